"""Incremental re-runs: which units a second `baocao render` re-renders after an edit, and what each unit's
manifest.json records. A successful run is simulated by writing the manifest, so no kernel is started."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from baocao import batch, manifest
from baocao.errors import BaocaoError
from conftest import pretend_rendered
from test_batch import AN_GIANG_ROW, PROVINCES, edit_register_row, make_project

UNITS = ["toan-quoc", *PROVINCES]


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path)


def _to_run(root: Path, force: bool = False) -> list[str]:
    return [job.unit for job in batch.plan(2024, UNITS, root, root / "outputs", force=force).jobs]


def _pretend_rendered(root: Path) -> None:
    pretend_rendered(root, 2024, UNITS)


def test_a_rerun_with_nothing_changed_skips_every_unit(project):
    assert _to_run(project) == UNITS
    _pretend_rendered(project)
    plan = batch.plan(2024, UNITS, project, project / "outputs")
    assert plan.jobs == [] and [r.status for r in plan.skipped] == [batch.SKIPPED] * 3
    assert _to_run(project, force=True) == UNITS


def _edit_line(path: Path, starts: str, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(starts))
    assert old in lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_editing_one_province_data_row_rerenders_only_the_reports_that_read_it(project):
    _pretend_rendered(project)
    _edit_line(project / "data/2024/chi-so-tinh.csv", "An Giang,", "Số liệu minh họa", "Số liệu minh họa (sửa)")
    assert _to_run(project) == ["an-giang"]
    _pretend_rendered(project)
    edit_register_row(project, AN_GIANG_ROW, ",,,,,529/BC-UBND", ",,,77/BC-UBND,10/12/2024,529/BC-UBND")
    assert _to_run(project) == ["toan-quoc"]  # the register is the national report's appendix


def test_editing_a_province_params_file_rerenders_only_that_province(project):
    params = project / "params" / "2024" / "ha-noi.yml"
    params.write_text("recipients:\n  - Bộ Nội vụ;\n  - \"Lưu: VT, SNV.\"\n", encoding="utf-8")
    _pretend_rendered(project)
    params.write_text(params.read_text(encoding="utf-8").replace("SNV", "VP"), encoding="utf-8")
    assert _to_run(project) == ["ha-noi"]


@pytest.mark.parametrize("edit, rerun", [("data/2024/prose/ket-luan.md", ["toan-quoc"]),
                                         ("data/2024/tinh/prose/ket-luan.md", list(PROVINCES)),
                                         ("notebooks/bao_cao.ipynb", UNITS)])
def test_editing_text_or_the_notebook_rerenders_the_units_that_read_it(project, edit, rerun):
    path = project / edit
    if not path.exists():
        path = next((project / edit).parent.glob("*.md"))
    _pretend_rendered(project)
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _to_run(project) == rerun


def test_a_failed_unit_or_a_deleted_output_is_rendered_again(project):
    _pretend_rendered(project)
    outputs = project / "outputs" / "2024"
    (outputs / "an-giang" / "bao-cao.md").unlink()
    recorded = json.loads((outputs / "ha-noi" / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))
    (outputs / "ha-noi" / manifest.MANIFEST_NAME).write_text(json.dumps(recorded | {"status": batch.FAILED}))
    assert _to_run(project) == ["an-giang", "ha-noi"]


def test_manifest_records_parameters_input_hashes_and_versions(project):
    _pretend_rendered(project)
    recorded = json.loads((project / "outputs/2024/an-giang" / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert recorded["parameters"]["unit"] == "an-giang" and recorded["parameters"]["year"] == 2024
    assert recorded["inputs"]["indicators"]["scope"] == "rows:an-giang"
    assert "/params/2024/" in recorded["inputs"]["params"]["path"]
    assert {"params", "indicators", "targets", "prose", "notebook", "package"} <= set(recorded["inputs"])
    assert all(len(entry["sha256"]) == 64 for entry in recorded["inputs"].values())
    assert {"python", "baocao", "papermill"} <= set(recorded["versions"])
    national = json.loads((project / "outputs/2024/toan-quoc" / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert national["inputs"]["register"]["scope"] == "file"


def test_every_bad_params_file_is_reported_at_once_before_any_output(project):
    for slug in ("bac-giang", "yen-bai"):
        (project / "params" / "2024" / f"{slug}.yml").write_text("chu_ky: x\n", encoding="utf-8")
    with pytest.raises(BaocaoError) as caught:
        batch.plan(2024, ["toan-quoc", "bac-giang", "yen-bai"], project, project / "outputs")
    assert sorted(Path(p.file).name for p in caught.value.problems) == ["bac-giang.yml", "yen-bai.yml"]
    assert not (project / "outputs").exists()


def test_editing_last_years_data_rerenders_the_reports_that_compare_with_it(project):
    """2025 compares with 2024 (`compare:`): a province merged from several reads all their 2024 rows, and
    the national report the whole 2024 register, so the files are hashed whole."""
    units = ["toan-quoc", "tay-ninh", "ha-noi"]

    def to_run() -> list[str]:
        return [job.unit for job in batch.plan(2025, units, project, project / "outputs").jobs]

    for job in batch.plan(2025, units, project, project / "outputs", force=True).jobs:
        Path(job.outdir).mkdir(parents=True, exist_ok=True)
        (Path(job.outdir) / "bao-cao.md").write_text(job.unit, encoding="utf-8")
        manifest.write(Path(job.outdir), job.fingerprint, batch.OK, 1.0, ["bao-cao.md"])
    assert to_run() == []
    recorded = json.loads((project / "outputs/2025/tay-ninh" / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))
    assert recorded["inputs"]["compare.indicators"]["path"].endswith("data/2024/chi-so-tinh.csv")
    _edit_line(project / "data/2024/chi-so-tinh.csv", "Long An,", "Số liệu minh họa", "Số liệu minh họa (sửa)")
    assert to_run() == ["tay-ninh", "ha-noi"]
    edit_register_row(project, AN_GIANG_ROW, ",,,,,529/BC-UBND", ",,,77/BC-UBND,10/12/2024,529/BC-UBND")
    assert to_run() == ["toan-quoc", "tay-ninh", "ha-noi"]
