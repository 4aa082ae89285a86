"""Scoring and ranking of a province's sub-units: the rubric as data, scores checked against the maxima, totals,
classification, ranking with ties, the sentence, the counts and the ranking annex."""
from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from baocao.errors import BaocaoError
from baocao.params import load_params
from baocao.report import build_for
from baocao.scoring import Band, Scored, ranked
from baocao.subunits import SubUnit
from conftest import ROOT, copy_project, refused, replace_once

WORKSPACE = ROOT / "data" / "2025" / "tay-ninh"


def rows(path):
    return list(csv.DictReader(path.open(encoding="utf-8")))


@pytest.fixture(scope="module")
def tay_ninh():
    return build_for(2025, "tay-ninh", root=ROOT)


def recount() -> dict[str, int]:
    """Band counts straight from the score table and the bands table: total of the criteria columns, then the
    highest band whose «Điểm từ» the total reaches."""
    codes = [row["Mã tiêu chí"] for row in rows(WORKSPACE / "tieu-chi-cham-diem.csv")]
    bands = sorted(((Decimal(b["Điểm từ"]), b["Xếp loại"]) for b in rows(WORKSPACE / "xep-loai.csv")), reverse=True)
    counts = {name: 0 for _, name in bands}
    for unit in rows(WORKSPACE / "cham-diem.csv"):
        total = sum(Decimal(unit[code]) for code in codes)
        counts[next(name for lowest, name in bands if total >= lowest)] += 1
    return counts


def test_classification_counts_agree_with_an_independent_recount(tay_ninh):
    found = tay_ninh.facts["scoring"]
    assert {band["name"]: band["count"] for band in found["bands"].values()} == recount()
    assert found["scored"] == len(rows(WORKSPACE / "cham-diem.csv")) and found["expected"] == 111
    assert found["scored"] + len(found["not_scored"]) == found["expected"]


def test_the_sentence_and_the_counts_table_print_the_recount(tay_ninh):
    counts, scored = recount(), tay_ninh.facts["scoring"]["scored"]
    good = f"{counts['Tốt']} đơn vị xếp loại Tốt ({Decimal(counts['Tốt'] * 100) / scored:.2f}%)".replace(".", ",")
    assert f"{scored}/111 cơ quan, đơn vị, địa phương được chấm điểm" in tay_ninh.markdown
    assert good in tay_ninh.markdown
    assert "| Tốt | " in tay_ninh.markdown and f"| {counts['Tốt']} | " in tay_ninh.markdown
    assert "theo Quyết định 1563/QĐ-UBND ngày 01/8/2022 của UBND tỉnh Tây Ninh" in tay_ninh.markdown


def test_totals_ranks_and_the_annex(tay_ninh):
    units = tay_ninh.facts["scoring"]["units"]
    communes = [u for u in units if u["group"] == "communes"]
    totals = [Decimal(u["total"]) for u in communes]
    assert totals == sorted(totals, reverse=True) and communes[0]["rank"] == 1
    for before, after in zip(communes, communes[1:]):
        assert after["rank"] == (before["rank"] if after["total"] == before["total"] else communes.index(after) + 1)
    annex = tay_ninh.markdown[tay_ninh.markdown.index("KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI"):]
    assert "| TC1 " in annex and "| TC6 " in annex and "TC4: Cải cách hành chính (tối đa 20 điểm)" in annex
    assert "I Sở, ban, ngành" in annex and "II Xã, phường, đặc khu" in annex


def test_equal_totals_share_a_rank():
    good = Band("tot", "Tốt", Decimal(90))

    def unit(name, total):
        return Scored(SubUnit("communes", name, name), (), None, Decimal(total), good)

    order = ranked([unit("xã B", 95), unit("xã A", 97), unit("xã D", 95), unit("xã C", 90)])
    assert [(s.unit.name, s.rank) for s in order] == [("xã A", 1), ("xã B", 2), ("xã D", 2), ("xã C", 4)]


def test_the_sample_is_flagged_illustrative(tay_ninh):
    assert tay_ninh.facts["illustrative"]["scoring"] is True


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path)


def _problems(project) -> list[tuple]:
    return [(p.file.split("/")[-1], p.row, p.column, p.message) for p in refused(project / "params" / "2025" / "tay-ninh.yml")]


def test_a_score_above_its_maximum_or_negative_is_an_error_on_its_cell(project):
    scores = project / "data/2025/tay-ninh/cham-diem.csv"
    replace_once(scores, "Sở Nội vụ,100,9,", "Sở Nội vụ,100,12,")
    replace_once(scores, "Sở Y tế,98.5,10,9,", "Sở Y tế,98.5,10,-1,")
    problems = _problems(project)
    assert ("cham-diem.csv", 3, "tc1", "vượt điểm tối đa của tiêu chí (10 điểm)") in problems
    assert ("cham-diem.csv", 8, "tc2", "cần một số không âm viết kiểu máy, ví dụ 17.5") in problems


def test_an_unknown_unit_and_a_duplicate_are_errors(project):
    scores = project / "data/2025/tay-ninh/cham-diem.csv"
    replace_once(scores, "Sở Y tế,", "Sở Y tê,")
    text = scores.read_text(encoding="utf-8").splitlines()
    scores.write_text("\n".join(text + [text[2]]) + "\n", encoding="utf-8")
    problems = _problems(project)
    assert any(p[2] == "Tên cơ quan" and "Có phải: Sở Y tế?" in p[3] for p in problems)
    assert sum("đơn vị «Sở Nội vụ» có hai lần" in p[3] for p in problems) == 2


def test_bands_must_start_at_zero(project):
    replace_once(project / "data/2025/tay-ninh/xep-loai.csv", "yeu,Yếu,0,", "yeu,Yếu,10,")
    problems = _problems(project)
    assert ("xep-loai.csv", 5, "Điểm từ", "mức thấp nhất phải bắt đầu từ 0 điểm, để mọi tổng điểm đều có xếp loại") in problems
    assert any("chưa kiểm tra được bảng điểm" in p[3] for p in problems)


def test_scores_without_a_rubric_are_refused(project):
    (project / "data/2025/tay-ninh/xep-loai.csv").unlink()
    with pytest.raises(BaocaoError, match="chấm điểm cần đủ data.rubric"):
        load_params(project / "params" / "2025" / "tay-ninh.yml")
