"""Reading dates the way analysts type them: 17/5/2024, 05/06/2024, 2024-05-17 or an Excel date cell."""
from __future__ import annotations

import datetime as dt
import re

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class DateError(ValueError):
    """The text is not a real calendar date; the message says why, in Vietnamese."""


def parse_date(value) -> dt.date | None:
    """Return the date, None for an empty cell, or raise DateError (31/02/2024 is not a date)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise DateError("không phải ngày tháng; cần dạng ngày/tháng/năm, ví dụ 17/5/2024")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateError(f"ngày {day}/{month}/{year} không có trên lịch") from None
