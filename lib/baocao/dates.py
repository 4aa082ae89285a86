"""Reading dates the way analysts type them: 17/5/2024, 05/06/2024, 2024-05-17 or an Excel date cell.

Three questions, answered separately so that each gets its own message and severity:
- is the cell written as a date at all (`looks_like_date`), and is it a day of the calendar
  (`is_calendar_date`: 31/02/2024 is not)? Both are errors: the figure cannot be used.
- does it fall inside the reporting window (`before_window`)? A plan for 2024 dated in 2023, or a document
  dated years before the report year, is possible but suspicious: a warning for a reviewer to confirm.
- is it dated after the report itself (`after_report`)? A report cannot cite a document that did not yet
  exist when it was signed: an error.
"""
from __future__ import annotations

import datetime as dt
import re

# Keyboard digits only: full-width or Arabic-Indic digits would otherwise pass and print as typed.
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
FORMAT_HINT = "ngày/tháng/năm, ví dụ 17/5/2024 hoặc 17/05/2024 (hoặc ô kiểu ngày của Excel)"


class DateError(ValueError):
    """The text is not a real calendar date; the message says why, in Vietnamese."""


def _parts(value) -> tuple[int, int, int] | None:
    """(year, month, day) as written, or None when the cell is not written as a date."""
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    text = str(value).strip()
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        return year, month, day
    if match := _ISO.match(text):
        return tuple(int(g) for g in match.groups())  # type: ignore[return-value]
    return None


def looks_like_date(value) -> bool:
    """Written in one of the accepted date forms (whether or not the day exists)."""
    return _parts(value) is not None


def is_calendar_date(value) -> bool:
    """A date form naming a day that exists; other forms are answered by `looks_like_date`."""
    parts = _parts(value)
    if parts is None:
        return True
    try:
        dt.date(*parts)
    except ValueError:
        return False
    return True


def parse_date(value) -> dt.date | None:
    """Return the date, None for an empty cell, or raise DateError (31/02/2024 is not a date)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    parts = _parts(value)
    if parts is None:
        raise DateError(f"không phải ngày tháng; cần dạng {FORMAT_HINT}")
    try:
        return dt.date(*parts)
    except ValueError:
        year, month, day = parts
        raise DateError(f"ngày {day}/{month}/{year} không có trên lịch") from None


def dmy(date: dt.date) -> str:
    """17/05/2024: the form messages use."""
    return date.strftime("%d/%m/%Y")


def window_start(year: int) -> dt.date:
    """The first day a document about `year` is expected to carry: 1 January of that year."""
    return dt.date(year, 1, 1)


def before_window(value, year: int) -> bool:
    """Dated before 1 January of the report year (only meaningful for a cell that is a real date)."""
    date = _safe(value)
    return date is not None and date < window_start(year)


def after_report(value, report_date: dt.date) -> bool:
    """Dated after the report that cites it was signed."""
    date = _safe(value)
    return date is not None and date > report_date


def _safe(value) -> dt.date | None:
    try:
        return parse_date(value)
    except DateError:
        return None
