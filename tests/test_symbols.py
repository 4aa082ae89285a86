"""Document symbols: the forms of the 2024 appendix parse, odd ones and misplaced types are warnings."""
from __future__ import annotations

import pytest

from baocao.register import DOCUMENTS, load_register
from baocao.symbols import Symbol, fits_column, is_usual, parse_symbol
from conftest import ROOT


@pytest.mark.parametrize("text, expected", [
    ("1765/BC-DV", Symbol("1765", "BC", "DV")),
    ("568-BC/ĐUCA", Symbol("568", "BC", "ĐUCA")),  # a party body's form
    ("713/SNV-XDCQ&CTTN", Symbol("713", None, "SNV-XDCQ&CTTN")),  # công văn of a department
    ("1001/SNV-XDCQ, TCBC", Symbol("1001", None, "SNV-XDCQ, TCBC")),
    ("171/KH-UBND-BDVTU", Symbol("171", "KH", "UBND-BDVTU")),  # a joint plan
    ("2644/UBND-VX", Symbol("2644", None, "UBND-VX")),  # công văn: no type
    ("03-CTr/BDVTW-BCSĐCP", Symbol("03", "CTr", "BDVTW-BCSĐCP")),
])
def test_forms_of_the_appendix_parse(text, expected):
    assert parse_symbol(text) == expected


@pytest.mark.parametrize("text", ["1765", "BC-1765", "1765/BC", "BHXH 4692", "1765 / BC-DV", "568-XX/ĐUCA"])
def test_unusual_forms_are_not_parsed(text):
    assert parse_symbol(text) is None and not is_usual(text)


def test_type_against_column():
    assert not fits_column("842/BC-UBDT", "plan")
    assert not fits_column("568/KH-ĐUCA", "annual_report")
    assert fits_column("2748/BNV-CTTN", "plan")  # a công văn may carry any document
    assert fits_column("BHXH 4692", "annual_report")  # unusual is its own warning, not this one
    assert set(DOCUMENTS) == {"plan", "annual_report", "scoring_report"}


def test_shipped_register_gives_no_symbol_warning():
    """Every symbol of the real 2024 appendix is one of the known forms in the right column."""
    _, warnings = load_register(ROOT / "data" / "2024" / "so-theo-doi.csv", 2024)
    assert warnings == []
