"""Vietnamese numbers and dates: what is printed can be read back, rounds as by hand, dates as NĐ 30 says."""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao import vnformat

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


def test_examples_from_the_2024_report():
    assert vnformat.number(4479) == "4.479"
    assert vnformat.number(Decimal("84.38")) == "84,38"
    assert vnformat.number(1158760) == "1.158.760"
    assert vnformat.fraction(5, 30) == "05/30" and vnformat.fraction(41, 63) == "41/63"
    assert vnformat.percent(41, 63) == "65,08%"
    assert vnformat.date_long(dt.date(2025, 2, 27)) == "ngày 27 tháng 02 năm 2025"


@given(amounts)
def test_printed_number_reads_back_to_its_value(value):
    assert vnformat.parse(vnformat.number(value)) == value


@given(amounts, st.integers(min_value=0, max_value=3))
def test_rounding_is_half_up_as_by_hand(value, decimals):
    expected = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    assert vnformat.parse(vnformat.number(value, decimals)) == expected


@given(st.integers(min_value=0, max_value=10**6))
def test_a_half_always_rounds_up(n):
    assert vnformat.number(Decimal(n) + Decimal("0.5"), 0) == vnformat.number(n + 1)
    assert vnformat.number(Decimal(n) + Decimal("0.125"), 2) == vnformat.number(Decimal(n) + Decimal("0.13"))


def test_parse_refuses_a_misplaced_separator():
    with pytest.raises(ValueError, match="44.79"):
        vnformat.parse("44.79")


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_leading_zero_exactly_for_days_1_to_9_and_months_1_and_2(date):
    day, month, year = vnformat.date_short(date).split("/")
    assert (int(day), int(month), int(year)) == (date.day, date.month, date.year)
    assert day.startswith("0") == (date.day <= 9) and len(day) == 2
    assert month.startswith("0") == (date.month <= 2)
    assert vnformat.date_long(date) == f"ngày {day} tháng {month} năm {year}"


@given(st.integers(min_value=0, max_value=10**6))
def test_counts_have_two_digits_below_ten_and_read_back(n):
    text = vnformat.count(n)
    assert vnformat.parse(text) == n
    assert text.startswith("0") == (n < 10) and len(text) >= 2
