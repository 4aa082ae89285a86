"""Sentences the program writes itself, because their every word depends on computed facts."""
from __future__ import annotations

from . import vnformat
from .markdown import escape

GROUP_WORDS = {"ministries": "bộ, ngành", "provinces": "địa phương"}
LETTERS = "abcdefgh"


def _units(stats: dict) -> str:
    with_plan = set(stats.get("missing_with_plan", []))
    return vnformat.join(escape(u) + (" (có kế hoạch)" if u in with_plan else "") for u in stats["missing_units"])


def submissions_footnote(submissions: dict, agency: str) -> str:
    """Footnote to the opening: who sent the annual report, and who did not (those with a plan marked).

    Every number is counted from the register, and each list is the one its number counts.
    """
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
