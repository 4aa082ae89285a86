"""A workspace per unit, by convention: data/<year>/<slug>/ overrides the shared province defaults file by file,
`baocao new-unit` starts one, an edit there re-renders that unit only, and `check` says whose workspace a
problem is in."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from baocao import batch
from baocao.errors import BaocaoError
from baocao.newunit import new_unit
from baocao.params import OUTSIDE, load_params
from baocao.report import build
from conftest import copy_project, pretend_rendered, run_cli

UNITS = ["toan-quoc", "ha-noi", "tay-ninh"]
OWN_TEXT = "---\nmuc: khai-quat-chung\n---\nTỉnh có {{ subunits.communes.total }} xã, phường nhận văn bản chỉ đạo.\n"


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path)


def params(root: Path, unit: str):
    return load_params(root / "params" / "2025" / f"{unit}.yml")


def to_run(root: Path) -> list[str]:
    return [job.unit for job in batch.plan(2025, UNITS, root, root / "outputs").jobs]




def test_own_prose_with_a_new_placeholder_is_read_by_that_unit_only(project):
    own = project / "data/2025/tay-ninh/prose/khai-quat-chung.md"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(OWN_TEXT, encoding="utf-8")
    tay_ninh = build(params(project, "tay-ninh"))
    assert "Tỉnh có 96 xã, phường nhận văn bản chỉ đạo." in tay_ninh.markdown
    assert "thực hiện công tác dân vận chính quyền gắn với việc sắp xếp" not in tay_ninh.markdown  # the shared text
    assert "Tuyên truyền" not in OWN_TEXT and "tuyên truyền về vị trí, vai trò" in tay_ninh.markdown  # other items shared
    ha_noi = build(params(project, "ha-noi"))  # the placeholder Hà Nội does not have cannot break it
    assert "thực hiện công tác dân vận chính quyền gắn với việc sắp xếp" in ha_noi.markdown


def test_an_edit_in_a_workspace_rerenders_that_unit_only(project):
    own = project / "data/2025/tay-ninh/prose/khai-quat-chung.md"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(OWN_TEXT, encoding="utf-8")
    pretend_rendered(project, 2025, UNITS)
    assert to_run(project) == []
    own.write_text(OWN_TEXT.replace("nhận", "đã nhận"), encoding="utf-8")
    assert to_run(project) == ["tay-ninh"]
    pretend_rendered(project, 2025, UNITS)
    register = project / "data/2025/tay-ninh/so-theo-doi.csv"
    register.write_text(register.read_text(encoding="utf-8").replace("98/KH-VPUBNDT", "99/KH-VPUBNDT"), encoding="utf-8")
    assert to_run(project) == ["tay-ninh"]


def test_workspace_tables_are_found_without_a_params_edit_and_own_params_win(project):
    assert params(project, "tay-ninh").data.subunits.as_posix() == "data/2025/tay-ninh/so-theo-doi"
    assert params(project, "ha-noi").data.subunits is None
    own = project / "params/2025/tay-ninh.yml"
    own.write_text(own.read_text(encoding="utf-8") + "data:\n  subunits: data/2025/tay-ninh/so-theo-doi.csv\n",
                   encoding="utf-8")
    assert params(project, "tay-ninh").data.subunits.as_posix() == "data/2025/tay-ninh/so-theo-doi.csv"


def test_new_unit_copies_the_shared_prose_and_templates_and_never_overwrites(project):
    first = run_cli("new-unit", "--year", "2025", "--unit", "ha-noi", cwd=project)
    assert first.returncode == 0, first.stderr
    workspace = project / "data/2025/ha-noi"
    shared = sorted(p.name for p in (project / "data/2025/tinh/prose").glob("*.md"))
    assert sorted(p.name for p in (workspace / "prose").glob("*.md")) == shared
    register = (workspace / "so-theo-doi.csv").read_text(encoding="utf-8").splitlines()
    assert register[2].startswith("I,") and register[3].startswith("II,") and any(line.endswith(",UBND phường Hoàn Kiếm,,,,,,") for line in register)
    (workspace / "prose" / shared[0]).write_text("đã sửa", encoding="utf-8")
    second = run_cli("new-unit", "--year", "2025", "--unit", "ha-noi", cwd=project)
    assert "đã tạo" not in second.stdout and "đã có, giữ nguyên   data/2025/ha-noi/so-theo-doi.csv" in second.stdout
    assert (workspace / "prose" / shared[0]).read_text(encoding="utf-8") == "đã sửa"


def test_new_unit_refuses_the_national_report_and_an_unknown_unit(project):
    with pytest.raises(BaocaoError, match="báo cáo toàn quốc không có không gian làm việc riêng"):
        new_unit(project, 2025, "toan-quoc")
    with pytest.raises(BaocaoError, match="Có phải: tay-ninh"):
        new_unit(project, 2025, "tay-nin")
    assert not (project / "data/2025/tay-nin").exists()


def test_check_names_the_workspace_of_each_problem(project):
    register = project / "data/2025/tay-ninh/so-theo-doi.csv"
    register.write_text(register.read_text(encoding="utf-8").replace("26/2/2025", "31/02/2025"), encoding="utf-8")
    prose = project / "data/2025/tinh/prose/khai-quat-chung.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\n{{ unit.nam }}\n", encoding="utf-8")
    result = run_cli("check", "--year", "2025", "--unit", "tay-ninh", "--json", cwd=project)
    problems = json.loads(result.stdout)
    assert {(p["file"], p["workspace"]) for p in problems if p["severity"] == "lỗi"} == {
        ("data/2025/tay-ninh/so-theo-doi.csv", "tay-ninh"), ("data/2025/tinh/prose/khai-quat-chung.md", None)}
    own = sum(p["workspace"] == "tay-ninh" for p in problems)
    table = " ".join(run_cli("check", "--year", "2025", "--unit", "tay-ninh", cwd=project).stderr.split())
    assert (f"{own} vấn đề trong không gian làm việc riêng của tay-ninh (data/2025/tay-ninh/); "
            f"{len(problems) - own} vấn đề trong dữ liệu chung.") in table


def test_a_workspace_file_linking_outside_the_project_is_refused(project, tmp_path_factory):
    """The workspace is read by convention, yet held to the same containment as a path written in params:
    a table there that links outside is refused at its data key, a prose file that does by the check."""
    outside = tmp_path_factory.mktemp("outside")
    (outside / "so-nganh.csv").write_text("Tên cơ quan\nSở Nội vụ\n", encoding="utf-8")
    departments = project / "data/2025/tay-ninh/so-nganh.csv"
    departments.unlink()
    departments.symlink_to(outside / "so-nganh.csv")
    with pytest.raises(BaocaoError) as refused:
        params(project, "tay-ninh")
    assert [(p.column, p.message) for p in refused.value.problems] == [("data.departments", OUTSIDE)]

    departments.unlink()
    departments.write_text((outside / "so-nganh.csv").read_text(encoding="utf-8"), encoding="utf-8")
    (outside / "secret.md").write_text("---\nmuc: han-che\n---\nBí mật\n", encoding="utf-8")
    (project / "data/2025/tay-ninh/prose/han-che.md").symlink_to(outside / "secret.md")
    result = run_cli("check", "--year", "2025", "--unit", "tay-ninh", "--json", cwd=project)
    assert result.returncode == 1 and "Bí mật" not in result.stdout
    assert OUTSIDE in [p["message"] for p in json.loads(result.stdout) if p["severity"] == "lỗi"]
