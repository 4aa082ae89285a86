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


def test_a_value_or_change_that_rounds_to_zero_has_no_sign():
    """A computed share of -5/1670220 prints as 0,00, and a change of 0.004 points is no change to a reader."""
    assert vnformat.number(Decimal("-0.0002"), 2) == "0,00" and vnformat.number(Decimal("-0.004"), 2) == "0,00"
    assert vnformat.number(Decimal("-0.005"), 2) == "-0,01"
    assert vnformat.points_change(Decimal("0.004"), "điểm phần trăm") == "không đổi"
    assert vnformat.points_change(Decimal("-0.004"), "điểm phần trăm") == "không đổi"
    assert vnformat.points_change(Decimal("0.005"), "điểm phần trăm") == "tăng 0,01 điểm phần trăm"


def test_what_the_reports_print():
    """Cells and sentences of the real reports (Tây Ninh 2025, the 2025 national report), written by hand."""
    assert vnformat.percent(113, 113) == "100,00%" and vnformat.number(Decimal("100"), 2) == "100,00"
    assert vnformat.number(Decimal("0.53846"), 4) == "0,5385"  # more places than babel's default pattern
    assert vnformat.trimmed(Decimal("11.902"), 1) == "11,9" and vnformat.trimmed(Decimal("7.0"), 1) == "7"
    assert vnformat.trimmed(Decimal("100.00"), 2) == "100" and vnformat.trimmed(Decimal("1250"), 2) == "1.250"
    assert vnformat.trimmed(Decimal("9.25"), 1) == "9,3" and vnformat.trimmed(Decimal("2.25"), 1) == "2,3"  # half up
    assert vnformat.points_change(Decimal("-2.2731"), "điểm phần trăm") == "giảm 2,27 điểm phần trăm"
    assert vnformat.points_change(Decimal("14.333"), "điểm phần trăm") == "tăng 14,33 điểm phần trăm"
    assert vnformat.points_change(Decimal("0"), "điểm phần trăm") == "không đổi"
    assert vnformat.count(7) == "07" and vnformat.count(10) == "10" and vnformat.count(1234) == "1.234"
    assert vnformat.join(["An Giang", "Bà Rịa – Vũng Tàu", "Bắc Kạn"]) == "An Giang, Bà Rịa – Vũng Tàu, Bắc Kạn"
    assert vnformat.join_and(["Tây Ninh"]) == "Tây Ninh"
    assert vnformat.join_and(["Tây Ninh", "Long An"]) == "Tây Ninh và Long An"
    assert vnformat.join_and(["Cần Thơ", "Hậu Giang", "Sóc Trăng"]) == "Cần Thơ, Hậu Giang và Sóc Trăng"
    assert vnformat.date_short(dt.date(2025, 7, 1)) == "01/7/2025"


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
