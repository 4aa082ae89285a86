"""Numbers typed in prose about who sent their reports are checked against the register."""
from __future__ import annotations

import json
import shutil

import pytest

from baocao.claims import check, check_prose, find_claims
from baocao.errors import ERROR, WARNING
from baocao.report import build_for
from conftest import ROOT, copy_project, run_cli

FOOTNOTE_1 = ROOT / "tests" / "data" / "claims" / "chu-thich-1-bc-1385.md"


@pytest.fixture(scope="module")
def submissions():
    return build_for(2024, root=ROOT).facts["submissions"]


def test_footnote_1_of_report_1385_gives_exactly_its_two_mistakes(submissions):
    records, problems = check_prose([FOOTNOTE_1], submissions, 2024)
    assert [(p.value, p.row) for p in problems] == [("38/60 địa phương", 6), ("26 bộ, ngành", 8)]
    fraction, count = problems
    assert "41/63" in fraction.message and "submissions.provinces.annual_report.received" in fraction.message
    assert "kể 25 tên" in count.message and "tính được 25" in count.message
    assert all(p.severity == WARNING and p.file == str(FOOTNOTE_1) for p in problems)
    # the claims that agree are checked too, and recorded as agreeing
    agreeing = {r["literal"]: r for r in records if r["agrees"]}
    assert set(agreeing) == {"05/30 bộ, ngành", "22 địa phương"}
    assert agreeing["22 địa phương"]["listed"] == 22


RIGHT_AND_WRONG = ROOT / "tests" / "data" / "claims" / "dung-va-sai.md"


def test_check_flags_each_wrong_sentence_and_none_of_the_right_ones(tmp_path):
    """Each right sentence (by the 2024 register) is followed by a wrong one; `baocao check` must flag exactly
    the wrong ones, each with the value the register gives, and neither the shipped prose nor a fraction in a
    clause about something other than sending documents ("38/63 … đi đầu", "26 bộ, ngành đã ban hành")."""
    root = copy_project(tmp_path)
    shutil.copy(RIGHT_AND_WRONG, root / "data" / "2024" / "prose" / "dung-va-sai.md")
    result = run_cli("check", "--year", "2024", "--json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    claims = [p for p in json.loads(result.stdout) if "số liệu gõ tay" in p["message"]]
    assert all(p["file"].endswith("dung-va-sai.md") and p["severity"] == WARNING for p in claims)
    assert [(p["row"], p["value"], p["message"].split(": ", 1)[1]) for p in claims] == [
        (8, "42/63 địa phương", "sổ theo dõi tính được 41/63 (submissions.provinces.annual_report.received). "
                                "Hãy dùng chỗ giữ chỗ {{ submissions… }}."),
        (10, "41/60 địa phương", "sổ theo dõi tính được 41/63 (submissions.provinces.annual_report.received). "
                                 "Hãy dùng chỗ giữ chỗ {{ submissions… }}."),
        (14, "21 địa phương", "sổ theo dõi tính được 22 (submissions.provinces.annual_report.missing). "
                              "Hãy dùng chỗ giữ chỗ {{ submissions… }}."),
        (18, "05 bộ, ngành", "sổ theo dõi tính được 25 (submissions.ministries.annual_report.missing). "
                             "Hãy dùng chỗ giữ chỗ {{ submissions… }}."),
        (22, "10/30 bộ, ngành", "sổ theo dõi tính được 01/30 (submissions.ministries.scoring_report.received). "
                                "Hãy dùng chỗ giữ chỗ {{ submissions… }}."),
        (26, "61 tỉnh, thành phố", "sổ theo dõi tính được 16 (submissions.provinces.plan.received). "
                                   "Hãy dùng chỗ giữ chỗ {{ submissions… }}."),
    ]
    assert "37/63 các tỉnh, thành phố đi đầu" in (ROOT / "data/2024/prose/quan-triet-chi-thi-33.md").read_text("utf-8")


@pytest.mark.parametrize("text, fact, stated", [
    ("Bộ Nội vụ chưa nhận được báo cáo của 22/63 địa phương.", "submissions.provinces.annual_report.missing", 22),
    ("Có 16 tỉnh, thành phố đã gửi kế hoạch.", "submissions.provinces.plan.received", 16),
    ("Đã có 01/30 bộ, ngành gửi báo cáo về tiêu chí chấm điểm.", "submissions.ministries.scoring_report.received", 1),
])
def test_polarity_document_and_group_come_from_the_wording(text, fact, stated, submissions):
    [claim] = find_claims(text, "x.md", 2024)
    assert (claim.fact, claim.stated) == (fact, stated)
    assert check([claim], submissions)[1] == []


def test_a_name_with_a_comma_counts_once_and_annotations_are_ignored(submissions):
    text = ("02 bộ, ngành chưa gửi báo cáo gồm: Bộ Văn hóa, Thể thao và Du lịch (có kế hoạch), "
            "Bộ Ngoại giao.")
    [claim] = find_claims(text, "x.md", 2024)
    assert claim.listed == 2


def test_dates_and_document_numbers_are_not_claims():
    text = "Bộ Nội vụ nhận được báo cáo số 12/BC-UBND ngày 17/5/2024 của 05 địa phương."
    assert [c.literal for c in find_claims(text, "x.md", 2024)] == ["05 địa phương"]


def test_claims_are_recorded_in_facts_and_strict_makes_them_errors(tmp_path):
    root = copy_project(tmp_path)
    shutil.copy(FOOTNOTE_1, root / "data" / "2024" / "prose" / "chu-thich.md")
    lenient = run_cli("check", "--year", "2024", "--json", cwd=root)
    assert lenient.returncode == 0, lenient.stderr
    found = [p for p in json.loads(lenient.stdout) if p["value"] in ("38/60 địa phương", "26 bộ, ngành")]
    assert [p["severity"] for p in found] == [WARNING, WARNING]
    strict = run_cli("check", "--year", "2024", "--strict", "--json", cwd=root)
    assert strict.returncode == 1
    assert [p["severity"] for p in json.loads(strict.stdout) if p["file"].endswith("chu-thich.md")] == [ERROR, ERROR]
    facts = build_for(2024, root=root).facts
    assert {c["literal"]: c["computed"] for c in facts["claims"] if not c["agrees"]} == {
        "38/60 địa phương": "41/63", "26 bộ, ngành": "25"}
    assert facts["claims"][0]["file"] == "data/2024/prose/chu-thich.md"
    assert {c["literal"]: c["fact"] for c in facts["claims"] if not c["agrees"]} == {
        "38/60 địa phương": "submissions.provinces.annual_report.received",
        "26 bộ, ngành": "submissions.ministries.annual_report.missing"}


def test_the_message_gives_every_disagreement_and_strict_makes_it_an_error(submissions):
    _, problems = check_prose([FOOTNOTE_1], submissions, 2024, severity=ERROR)
    assert [p.message for p in problems] == [
        "số liệu gõ tay «38/60 địa phương» khác số liệu tính toán: sổ theo dõi tính được 41/63 "
        "(submissions.provinces.annual_report.received). Hãy dùng chỗ giữ chỗ {{ submissions… }}.",
        "số liệu gõ tay «26 bộ, ngành» khác số liệu tính toán: sổ theo dõi tính được 25 "
        "(submissions.ministries.annual_report.missing); danh sách kèm theo kể 25 tên. "
        "Hãy dùng chỗ giữ chỗ {{ submissions… }}.",
    ]
    assert {p.severity for p in problems} == {ERROR}


@pytest.mark.parametrize("text, literal, stated, listed", [
    ("41/63 địa phương đã gửi báo cáo năm.", "41/63 địa phương", 41, None),  # a claim at the very start
    ("Bộ Nội vụ nhận được báo cáo của **05/30** bộ, ngành.", "05/30 bộ, ngành", 5, None),  # bold, as typed
    ("Bộ Nội vụ chưa nhận được báo cáo gồm 22 địa phương.", "22 địa phương", 22, None),  # "gồm" before the number
    ("02 bộ, ngành chưa gửi báo cáo gồm: Bộ Ngoại giao, Bộ Văn hóa, Thể thao và Du lịch.", "02 bộ, ngành", 2, 2),
    ("02 bộ, ngành chưa gửi báo cáo gồm: Bộ Ngoại giao, **Bộ Chưa Có**.", "02 bộ, ngành", 2, 2),
])
def test_what_a_claim_reads_from_its_sentence(text, literal, stated, listed):
    [claim] = find_claims(text, "x.md", 2024)
    assert (claim.literal, claim.stated, claim.listed, claim.line) == (literal, stated, listed, 1)


RATED_GOOD = "Tỷ lệ cơ quan, đơn vị, địa phương được đánh giá, xếp loại công tác dân vận chính quyền mức Tốt"
# Sentences typed into Tây Ninh's 2025 prose, each right or wrong by the report's own facts (test_real_yoy.py
# reads the same figures in the printed comparison table: visits −11,9 %, rated Tốt 85,84 %, −3,05 points).
TYPED = {
    "Số lượt tiếp công dân giảm 11,9% so với năm 2024.": [("giảm 11,9%", "citizen_visits.change", "-11,9", True)],
    "Số lượt tiếp công dân giảm 12,5% so với năm 2024.": [("giảm 12,5%", "citizen_visits.change", "-11,9", False)],
    f"{RATED_GOOD} giảm 3,05 điểm phần trăm so với năm 2024.": [
        ("giảm 3,05 điểm phần trăm", "agencies_rated_good.change", "-3,05", True)],
    f"{RATED_GOOD} là 85,84%.": [("85,84%", "agencies_rated_good.value", "85,84%", True)],
    f"{RATED_GOOD} là 86,8%.": [("86,8%", "agencies_rated_good.value", "85,84%", False)],
    "Chỉ số cải cách hành chính (PAR INDEX) tăng 6,1% so với năm 2024.": [
        ("tăng 6,1%", "par_index.change", "không so sánh được", False)],
    # naming no indicator: right when it is any indicator's change
    "So với năm 2024, một chỉ số giảm 2,27 điểm phần trăm.": [
        ("giảm 2,27 điểm phần trăm", "*.change", "-2,27; 0,00; -3,05; -11,90", True)],
    "So với năm 2024, một chỉ số tăng 2,27 điểm phần trăm.": [
        ("tăng 2,27 điểm phần trăm", "*.change", "-2,27; 0,00; -3,05; -11,90", False)],
}


def test_typed_indicator_figures_are_checked_against_the_reports_own_facts(tmp_path):
    """--final's check of indicator values and year-on-year changes typed in a province's prose, in this
    process (the CLI tests of test_final.py run the same check in a child process): each wrong figure is
    reported on its line with the report's figure, each right one is recorded as agreeing."""
    from baocao import checks
    from baocao.inputs import read_inputs
    from baocao.params import load_params

    root = copy_project(tmp_path)
    prose = root / "data/2025/tinh/prose/danh-gia-chung.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\n" + "\n\n".join(TYPED) + "\n", encoding="utf-8")
    lines = prose.read_text(encoding="utf-8").splitlines()
    row = {sentence: lines.index(sentence) + 1 for sentence in TYPED}
    checked = checks.check(read_inputs(load_params(root / "params/2025/tay-ninh.yml")))
    found = [(r["line"], r["literal"], r["fact"], r["computed"], r["agrees"]) for r in checked.claims
             if r["kind"] == "indicator"]
    expected = [(row[sentence], literal, f"indicators.{fact}", computed, agrees)
                for sentence, claims in TYPED.items() for literal, fact, computed, agrees in claims]
    assert found == expected
    assert {r["file"] for r in checked.claims if r["kind"] == "indicator"} == {"data/2025/tinh/prose/danh-gia-chung.md"}
    reported = [(p.row, p.value, p.severity, p.message) for p in checked.data if p.file.endswith("danh-gia-chung.md")]
    assert reported == [
        (line, literal, WARNING, f"số liệu gõ tay «{literal}» khác số liệu tính toán của báo cáo: {computed} ({fact}). "
                                 "Hãy dùng chỗ giữ chỗ, ví dụ {{ indicators.<mã>.change }}.")
        for line, literal, fact, computed, agrees in expected if not agrees]
