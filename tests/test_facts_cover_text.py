"""No number appears from nowhere: every number in the body text is a fact or was typed in prose or params.

A number the program prints but does not record in facts.json cannot be audited; this test finds one.
"""
from __future__ import annotations

import re

import pytest

from baocao import vnformat
from baocao.report import build_for
from conftest import ROOT

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
HEADING_NUMBER = re.compile(r"^#+ (?:[IVXL]+\.|\d+\.|[a-zđ]\)) ", re.MULTILINE)
IMAGE = re.compile(r"!\[(?P<caption>[^\]]*)\]\([^)]*\)(?:\{[^}]*\})?")
FENCED = re.compile(r"^::: \{\.(?:appendix|signature)[^\n]*\n.*?^:::$", re.MULTILINE | re.DOTALL)
ANCHOR = re.compile(r"^::: \{\.bc-(?:src|data) [^\n]*$", re.MULTILINE)  # `baocao.anchors`: ids, not text


def body_text(markdown: str) -> str:
    """The Markdown as a reader sees it: no metadata, no appendix table, no heading numbers, captions kept."""
    text = markdown.split("\n---\n", 1)[1]
    text = FENCED.sub("", ANCHOR.sub("", text))
    text = HEADING_NUMBER.sub("", text)
    return IMAGE.sub(lambda m: m.group("caption"), text)


def fact_spellings(value) -> set[str]:
    """Every way the report prints a fact: counts with a leading zero, decimals with a comma, inside phrases."""
    if isinstance(value, dict):
        return set().union(*map(fact_spellings, value.values()), *map(fact_spellings, value.keys()))
    if isinstance(value, list):
        return set().union(set(), *map(fact_spellings, value))
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, int):
        return {str(value), vnformat.count(value), vnformat.number(value)}
    if isinstance(value, float):
        return {vnformat.number(value, d) for d in range(3)} | {vnformat.trimmed(value, d) for d in range(1, 3)}
    return set(NUMBER.findall(str(value)))


def typed_numbers() -> set[str]:
    files = [*(ROOT / "data" / "2024" / "prose").glob("*.md"), ROOT / "params" / "2024.yml"]
    return {n for path in files for n in NUMBER.findall(path.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def report():
    return build_for(2024, root=ROOT)


def unexplained(text: str, facts: dict) -> list[str]:
    allowed = fact_spellings(facts) | typed_numbers()
    return [n for n in NUMBER.findall(text) if n not in allowed]


def test_every_number_in_the_2024_body_is_a_fact_or_typed(report):
    text = body_text(report.markdown)
    assert "Biểu đồ 1." in text and "41/63" in text and "CỘNG HÒA" not in text
    assert unexplained(text, report.facts) == []


def test_computed_figures_the_text_shows_are_in_facts(report):
    spellings = fact_spellings(report.facts)
    for shown in ("41/63", "05", "41", "63", "1.848", "84,38", "0,33", "49,24", "83,86", "2,58"):
        assert all(part in spellings for part in shown.split("/")), shown


def test_a_number_from_nowhere_is_caught(report):
    assert unexplained("Có 777 đơn vị và 12,34% số hồ sơ.", report.facts) == ["777", "12,34"]
