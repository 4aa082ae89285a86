"""Sentences the program writes itself, because their every word depends on computed facts."""
from __future__ import annotations

from . import vnformat
from .markdown import escape
from .vocabulary import GROUP_WORDS

LETTERS = "abcdefgh"


def _units(stats: dict) -> str:
    with_plan = set(stats.get("missing_with_plan", []))
    return vnformat.join(escape(u) + (" (có kế hoạch)" if u in with_plan else "") for u in stats["missing_units"])


def submissions_footnote(submissions: dict, agency: str) -> str:
    """Footnote to the opening: who sent the annual report, and who did not (those with a plan marked).

    Every number is counted from the register, and each list is the one its number counts.
    """
    agency = escape(agency)
    received = " và ".join(
        f"{vnformat.fraction(g['annual_report']['received'], g['total'])} {GROUP_WORDS[name]}"
        for name, g in submissions.items())
    # "a\)": the letter is text, not a Markdown list marker (a list would lose the official "a)" look).
    lines = [f"a\\) {agency} nhận được báo cáo của: {received}."]
    for letter, (name, group) in zip(LETTERS[1:], submissions.items()):
        stats = group["annual_report"]
        if stats["missing"]:
            lines.append(f"{letter}\\) {vnformat.count(stats['missing'])} {GROUP_WORDS[name]} {agency} "
                         f"không nhận được báo cáo gồm: {_units(stats)}.")
    return "\n\n    ".join(lines)


def submissions_comparison(comparison: dict, agency: str, year: int, previous: int) -> str:
    """Annual reports received this year beside last year, by share: the number of units that must report
    changed (63 → 34 provinces), so "41/63 địa phương (2024)" is only read together with its share.

    `comparison` is `yoy.compare_submissions`' result; `previous` is the year compared with.
    """
    agency = escape(agency)
    parts = []
    for name, documents in comparison.items():
        c = documents["annual_report"]
        now, before = c["current"], c["previous"]
        parts.append(f"{now['fraction']} {GROUP_WORDS[name]} ({year}), tỷ lệ {now['share_text']}, so với "
                     f"{before['fraction']} {GROUP_WORDS[name]} ({previous}), tỷ lệ {before['share_text']} ({c['change_text']})")
    changed = [GROUP_WORDS[name] for name, documents in comparison.items()
               if documents["annual_report"]["current"]["total"] != documents["annual_report"]["previous"]["total"]]
    sentence = f"Năm {year}, {agency} nhận được báo cáo năm của " + "; của ".join(parts) + "."
    if changed:
        sentence += (f" Số {' và số '.join(changed)} phải báo cáo năm {year} khác năm {previous} nên số liệu "
                     "được so sánh theo tỷ lệ.")
    return sentence


def indicators_comparison_intro(unit_name: str, year: int, previous: int, footnote: str) -> str:
    """The line above a unit's year-on-year table; for a merged unit it says how last year's figures were
    brought onto it, with `footnote` (a reference to its predecessors' note) — "" for an unchanged unit."""
    if not footnote:
        return f"Kết quả năm {year} so với năm {previous}:"
    return (f"Kết quả năm {year} so với năm {previous}; số liệu năm {previous} là của các đơn vị nay thuộc "
            f"{escape(unit_name)}{footnote}: số lượng được cộng, tỷ lệ được tính lại từ tổng tử số và tổng mẫu số, "
            "chỉ số chỉ so sánh được khi có trọng số:")
