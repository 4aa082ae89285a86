"""A province's own report: its header, signature and recipients, its targets judged, and the illustrative
notice wherever sample data is used."""
from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest
import yaml

from baocao.document import ILLUSTRATIVE_NOTICE
from baocao.errors import BaocaoError
from baocao.params import load_params
from baocao.markdown import unescape
from baocao.report import build_for
from baocao.units import UnitRegistry
from conftest import ROOT, copy_project, run_cli
from test_real_yoy import docx_rows

PROVINCES = UnitRegistry.load().expected("province", 2024)


def printed(value):
    """A metadata value as the documents print it (the builder escapes data, as pandoc reads it as Markdown)."""
    if isinstance(value, str):
        return unescape(value)
    if isinstance(value, list):
        return [printed(item) for item in value]
    return {key: printed(item) for key, item in value.items()} if isinstance(value, dict) else value


def front_matter(markdown: str) -> dict:
    return printed(yaml.safe_load(markdown.split("---\n")[1]))


def table_rows(markdown: str) -> dict[str, list[str]]:
    """Targets table rows by their «Chỉ tiêu» cell."""
    rows = [line.strip("|").split(" | ") for line in markdown.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows[1:]}


@pytest.fixture(scope="module")
def tay_ninh():
    return build_for(2024, "tay-ninh", root=ROOT)


def test_tay_ninh_header_signature_and_recipients(tay_ninh):
    meta = front_matter(tay_ninh.markdown)
    assert meta["agency"] == "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"
    assert meta["agency-lines"] == ["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH"]
    assert meta["number"] == "/BC-UBND"
    assert meta["place-date"] == "Tây Ninh, ngày … tháng … năm …"
    assert meta["signer"]["lines"] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert meta["recipients"][0] == "Bộ Nội vụ;" and meta["recipients"][-1].startswith("Lưu: VT")
    assert meta["illustrative"] is True


def test_illustrative_notice_and_facts(tay_ninh):
    body = tay_ninh.markdown.split("---\n", 2)[2]
    assert body.lstrip().startswith(ILLUSTRATIVE_NOTICE) and "DỮ LIỆU MINH HỌA" in ILLUSTRATIVE_NOTICE
    flags = tay_ninh.facts["illustrative"]
    assert flags["report"] is True
    assert "agencies_rated_good" in flags["indicators"] and "ct_xep_loai_tot" in flags["targets"]
    assert tay_ninh.facts["indicators"]["citizen_visits"]["illustrative"] is True


def test_national_report_is_not_marked_illustrative():
    report = build_for(2024, root=ROOT)
    assert report.facts["illustrative"]["report"] is False
    assert "DỮ LIỆU MINH HỌA" not in report.markdown
    assert front_matter(report.markdown)["place-date"] == "Hà Nội, ngày 27 tháng 02 năm 2025"


BRIEFED = "Cán bộ, công chức, viên chức được học tập, quán triệt các chỉ thị, nghị quyết và chính sách về công tác dân vận"
WITH_PLAN = "Cơ quan, đơn vị, địa phương xây dựng kế hoạch thực hiện công tác dân vận chính quyền"
RATED_GOOD = "Cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền mức Tốt"


def test_targets_table_verdicts_are_computed_from_the_data(tay_ninh):
    """Tây Ninh 2024 (chi-so-tinh.csv): 17.776/17.776 and 115/115 meet "= 100"; 100/115 = 86,96 % is not "> 90"."""
    assert "| Chỉ tiêu | Mức chỉ tiêu | Kết quả | Đánh giá |" in tay_ninh.markdown
    assert table_rows(tay_ninh.markdown) == {
        BRIEFED: ["100%", "100,00%", "Đạt"],
        WITH_PLAN: ["100%", "100,00%", "Đạt"],
        RATED_GOOD: ["Trên 90%", "86,96%", "Không đạt"],
    }


def test_the_real_2025_report_of_tay_ninh_judges_its_targets(rendered_2025_tay_ninh):
    """2025: 24.020/24.626 = 97,54 % misses "= 100", 113/113 meets it, 97/113 = 85,84 % is not "> 90";
    read from the DOCX a user opens."""
    rows = docx_rows(rendered_2025_tay_ninh / "bao-cao.docx", ["Chỉ tiêu", "Mức chỉ tiêu", "Kết quả", "Đánh giá"])
    assert rows == [
        [BRIEFED, "100%", "97,54%", "Không đạt"],
        [WITH_PLAN, "100%", "100,00%", "Đạt"],
        [RATED_GOOD, "Trên 90%", "85,84%", "Không đạt"],
    ]


def test_changing_a_value_flips_the_verdict(tmp_path, tay_ninh):
    rated_good = "Cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền mức Tốt"
    before = table_rows(tay_ninh.markdown)[rated_good][2]
    root = copy_project(tmp_path)
    path = root / "data" / "2024" / "chi-so-tinh.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    row = next(r for r in rows if r[0] == "Tây Ninh" and r[1] == "agencies_rated_good")
    numerator, denominator = int(row[7]), int(row[8])
    row[7] = str(denominator if before == "Không đạt" else int(denominator * 0.9))  # 100% or at most 90%
    row[4] = str((Decimal(row[7]) / denominator * 100).quantize(Decimal("0.01")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    after = table_rows(build_for(2024, "tay-ninh", root=root).markdown)[rated_good][2]
    assert {before, after} == {"Đạt", "Không đạt"}, numerator


def test_another_province_gets_its_own_header():
    meta = front_matter(build_for(2024, "ha-giang", root=ROOT).markdown)
    assert meta["agency"] == "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG"
    assert meta["place-date"].startswith("Hà Giang, ")
    assert "Chủ tịch, các PCT UBND tỉnh;" in meta["recipients"]
    assert front_matter(build_for(2024, "ha-noi", root=ROOT).markdown)["agency-lines"] == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"]


@pytest.mark.parametrize("unit", PROVINCES, ids=lambda unit: unit.slug)
def test_every_2024_province_builds_cleanly_with_its_targets(unit):
    report = build_for(2024, unit.slug, root=ROOT)
    assert report.warnings == []
    own_rows = [line for line in (ROOT / "data/2024/chi-so-tinh.csv").read_text(encoding="utf-8").splitlines()
                if line.startswith(f"{unit.name},")]
    assert len(report.facts["targets"]) == 3 and len(report.facts["indicators"]) == len(own_rows) == 5
    assert f"trên địa bàn {unit.kind} {unit.name}" in report.markdown


def test_unknown_unit_is_a_vietnamese_error_listing_close_slugs():
    result = run_cli("check", "--year", "2024", "--unit", "tay-nin", "--json", cwd=ROOT)
    assert result.returncode == 1
    [problem] = json.loads(result.stdout)
    assert (problem["file"], problem["value"]) == ("--unit", "tay-nin")  # as `render --unit tay-nin` says it
    assert problem["message"].startswith("không có đơn vị này trong năm 2024. Có phải: tay-ninh")


def test_mistakes_point_at_the_file_that_holds_them(tmp_path):
    root = copy_project(tmp_path)
    override = root / "params" / "2024" / "tay-ninh.yml"
    override.write_text(override.read_text(encoding="utf-8") + "signer:\n  chuc_vu: x\n", encoding="utf-8")
    defaults = root / "params" / "2024" / "tinh.yml"
    defaults.write_text(defaults.read_text(encoding="utf-8").replace('place: "{ten_tinh}"', 'place: "{ten_huyen}"'),
                        encoding="utf-8")
    with pytest.raises(BaocaoError) as caught:
        load_params(override)
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {"signer.chuc_vu", "document.place"}
    assert problems["signer.chuc_vu"].file == str(override)
    assert override.read_text(encoding="utf-8").splitlines()[problems["signer.chuc_vu"].row - 1].strip() == "chuc_vu: x"
    assert problems["document.place"].file == str(defaults) and "{ten_tinh}" in problems["document.place"].message


def test_the_shared_defaults_alone_are_not_a_report():
    with pytest.raises(BaocaoError, match="hãy chọn một tỉnh"):
        load_params(ROOT / "params" / "2024" / "tinh.yml")


def test_check_validates_a_province_report_as_its_render_would(tmp_path):
    from conftest import copy_project, run_cli

    result = run_cli("check", "--year", "2024", "--unit", "tay-ninh", cwd=copy_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 lỗi" in result.stdout  # its sample data and blank signer are warnings until --final
