"""Dates as analysts type them; impossible dates, dates before the reporting window and dates after the
report are told apart, because they get different severities."""
from __future__ import annotations

import datetime as dt

import pytest

from baocao.dates import DateError, after_report, before_window, is_calendar_date, looks_like_date, parse_date


@pytest.mark.parametrize("value", ["17/05/2024", "17/5/2024", "2024-05-17", dt.date(2024, 5, 17),
                                   dt.datetime(2024, 5, 17, 0, 0)])
def test_accepted_forms(value):
    assert parse_date(value) == dt.date(2024, 5, 17)


def test_empty_cell_is_no_date():
    assert parse_date("") is None and parse_date(None) is None


@pytest.mark.parametrize("value", ["31/02/2024", "29/2/2023", "2024-13-01", "0/5/2024"])
def test_impossible_dates_are_errors(value):
    assert looks_like_date(value) and not is_calendar_date(value)
    with pytest.raises(DateError, match="không có trên lịch"):
        parse_date(value)


@pytest.mark.parametrize("value", ["17.05.2024", "17/5", "ngày 17/5/2024", "45640", "05/17/24"])
def test_other_text_is_not_a_date(value):
    assert not looks_like_date(value)
    with pytest.raises(DateError, match="cần dạng ngày/tháng/năm"):
        parse_date(value)


def test_leap_day_is_a_date():
    assert parse_date("29/02/2024") == dt.date(2024, 2, 29)


def test_window_and_report_date():
    report = dt.date(2025, 2, 27)
    assert before_window("31/12/2023", 2024) and not before_window("01/01/2024", 2024)
    assert after_report("28/02/2025", report) and not after_report("27/02/2025", report)
    assert not before_window("31/02/2024", 2024)  # not a date: reported once, as impossible
