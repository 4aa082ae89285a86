"""Vietnamese formatting of numbers, dates and lists, in one place so every output agrees.

Numbers use babel's Vietnamese symbols (4.479; 84,38) with half-up rounding, as people round by hand;
dates follow Nghị định 30/2020: a leading zero for days 1–9 and for months 1 and 2 only.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

LOCALE = "vi_VN"


def to_decimal(value) -> Decimal:
    """Exact decimal of a number as written (floats go through their shortest repr: 0.1 stays 0.1)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value, decimals: int | None = None) -> str:
    """4479 → "4.479"; 84.38 → "84,38"; with `decimals`, rounded half-up to that many places."""
    value = to_decimal(value)
    if decimals is None:
        decimals = max(0, -value.as_tuple().exponent)
    value = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    value = abs(value) if value == 0 else value  # -0.0004 rounds to 0, never "-0,00"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)


def parse(text: str) -> Decimal:
    """The value of a number written the Vietnamese way: "4.479" → 4479, "84,38" → 84.38, "05" → 5.

    Strict, so a misplaced separator ("44.79") is refused rather than read as something else.
    """
    try:
        return parse_decimal(text, locale=LOCALE, strict=True)
    except NumberFormatError as exc:
        raise ValueError(f"«{text}» không phải một số viết kiểu Việt Nam (ví dụ 4.479 hoặc 84,38)") from exc


def percent(part, whole, decimals: int = 2) -> str:
    """A share as printed: percent(41, 63) → "65,08%"."""
    return number(to_decimal(part) / to_decimal(whole) * 100, decimals) + "%"


def trimmed(value, decimals: int) -> str:
    """Rounded to at most `decimals` places without trailing zeros: 7.0 → "7", 9.25 → "9,3" (1 place)."""
    return number(to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP).normalize())


def points_change(change, percentage_points: str) -> str:
    """"tăng 1,25 điểm phần trăm", "giảm 0,50 …", "không đổi": a change between two shares or indexes;
    `percentage_points` is the year's wording of the unit (params `wording.percentage_points`)."""
    printed = number(abs(to_decimal(change)), 2)
    if printed == number(0, 2):  # a change that rounds away is no change to the reader, not "tăng 0,00 …"
        return "không đổi"
    return f"{'tăng' if change > 0 else 'giảm'} {printed} {percentage_points}"


def count(n: int) -> str:
    """Counts in administrative prose take a leading zero below ten: 5 → "05" (as in "05/30 bộ, ngành")."""
    return f"{n:02d}" if 0 <= n < 10 else number(n)


def fraction(part: int, whole: int) -> str:
    """"05/30", "41/63"."""
    return f"{count(part)}/{count(whole)}"


def _day_month(day: int, month: int) -> tuple[str, str]:
    return (f"{day:02d}", f"{month:02d}" if month <= 2 else str(month))


def date_long(date: dt.date) -> str:
    """"ngày 27 tháng 02 năm 2025", "ngày 29 tháng 6 năm 2019"."""
    day, month = _day_month(date.day, date.month)
    return f"ngày {day} tháng {month} năm {date.year}"


def date_short(date: dt.date) -> str:
    """"27/02/2025", "17/5/2024" — the same leading-zero rule in the short form."""
    day, month = _day_month(date.day, date.month)
    return f"{day}/{month}/{date.year}"


def join(items: Iterable[str]) -> str:
    """Lists in official prose are joined by commas: "An Giang, Bà Rịa – Vũng Tàu, Bắc Kạn"."""
    return ", ".join(items)


def join_and(items: Iterable[str]) -> str:
    """A list read as one phrase: "Tây Ninh và Long An", "Hà Giang, Tuyên Quang và Bắc Kạn"."""
    items = list(items)
    return " và ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)
