"""The data contract: one declared pandera schema per table analysts keep, and the conversion of pandera's
failures into `Problem`s a person can act on (file, sheet, Excel row, Vietnamese column header, bad value,
what was expected).

Tables are validated as read: every cell is still text (or a date for an Excel date cell), the frame index
is the Excel row number and the column labels are the headers analysts see; only number columns are first put
in machine form, each by the convention its cells show (`read_numbers`: «1.848» is Vietnamese for 1848). Each check's `error` is the
expectation in Vietnamese; validation is lazy, so one run reports every bad cell of the file. Checks whose
failure a reviewer should see but which do not stop the report (a date before the reporting window, an odd
document symbol) live in a separate warning schema of the same table.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

import pandas as pd
import pandera.pandas as pa

from . import dates, symbols
from .errors import ERROR, Problem

# --- cells ------------------------------------------------------------------------------------------------

COMPARISONS = (">=", ">", "=", "<=", "<")
KINDS = ("số lượng", "chỉ số", "tỷ lệ")
YES_NO = ("có", "không")
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"


# A number as the checks read it, once the column's convention is known (`read_numbers`): "84.38", "1848", "-2".
MACHINE = re.compile(r"-?\d+(?:\.\d+)?", re.ASCII)
# Figures in a report have a few digits; more than this is a paste gone wrong (or an ID), and would only be
# rounded or overflow later.
MAX_DIGITS = 15


def _number(value) -> Decimal | None:
    """The machine-form number of a cell, or None (empty, another form, too many digits)."""
    text = str(value)
    if not MACHINE.fullmatch(text) or sum(c.isdigit() for c in text) > MAX_DIGITS:
        return None
    return Decimal(text)


def foreign_digits(value) -> bool:
    """Digits other than 0–9 (full-width １２, Arabic-Indic ١٢…), as pasted from web pages: they look like
    digits, and Python would even read them, but the report would print them as typed."""
    return any(c.isdigit() and not c.isascii() for c in str(value))


def _cell(predicate, expected: str, name: str | None = None) -> pa.Check:
    """An element-wise check that lets empty cells through (whether a cell may be empty is its own check)."""
    return pa.Check(lambda v: v == "" or bool(predicate(v)), element_wise=True, error=expected, name=name or expected)


FILLED = pa.Check(lambda v: v != "", element_wise=True, error="không được để trống", name="không được để trống")
FOREIGN = _cell(lambda v: not foreign_digits(v),
                "có chữ số không phải chữ số thường (chữ số toàn độ rộng hoặc chữ số Ả Rập, thường do dán từ trang "
                "web): gõ lại bằng bàn phím")
# A number cell: digits of the keyboard, the machine form (after `read_numbers`), not absurdly long.
NUMBER = (FOREIGN,
          _cell(lambda v: foreign_digits(v) or MACHINE.fullmatch(str(v)) is not None,
                "cần một số viết kiểu máy (dấu chấm thập phân, không dấu phân cách nghìn), ví dụ 84.38"),
          _cell(lambda v: not MACHINE.fullmatch(str(v)) or _number(v) is not None,
                f"số có quá {MAX_DIGITS} chữ số: kiểm tra lại ô (dán nhầm một mã, hay nhiều số liền nhau?)"))
NONZERO = _cell(lambda v: _number(v) != 0, "mẫu số phải khác 0")
YEAR = _cell(lambda v: foreign_digits(v) or re.fullmatch(r"\d{4}", str(v), re.ASCII) and 2000 <= int(v) <= 2100,
             "cần năm bốn chữ số, ví dụ 2024")
KEY = _cell(lambda v: re.fullmatch(KEY_PATTERN, str(v)),
            "mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ, ví dụ citizen_visits")
KIND = _cell(lambda v: v in KINDS, "một trong: " + ", ".join(KINDS))
FLAG = _cell(lambda v: str(v).casefold() in YES_NO, "«có» hoặc «không» (để trống nghĩa là không)")
COMPARISON = _cell(lambda v: v in COMPARISONS, "một trong: " + ", ".join(COMPARISONS))
DATE_FORM = _cell(lambda v: foreign_digits(v) or dates.looks_like_date(v), f"cần ngày tháng dạng {dates.FORMAT_HINT}")
CALENDAR = _cell(dates.is_calendar_date, "ngày không có trên lịch (ví dụ 31/02/2024): kiểm tra lại ngày và tháng")


def _column(*checks: pa.Check, required: bool = False) -> pa.Column:
    return pa.Column(None, checks=[FILLED, *checks] if required else list(checks))


# --- indicators and targets --------------------------------------------------------------------------------

# field → header of the indicator tables (the header is what analysts type and messages show).
INDICATOR_FIELDS = {
    "key": "Mã chỉ số", "name": "Tên chỉ số", "year": "Năm", "value": "Giá trị", "unit": "Đơn vị",
    "kind": "Loại", "numerator": "Tử số", "denominator": "Mẫu số", "previous": "Giá trị năm trước",
    "stated_change": "Thay đổi theo nguồn (%)", "source": "Nguồn", "illustrative": "Minh họa",
}
_F = INDICATOR_FIELDS
INDICATOR_COLUMNS = {
    _F["key"]: _column(KEY, required=True),
    _F["name"]: _column(required=True),
    _F["year"]: _column(FOREIGN, YEAR, required=True),
    _F["value"]: _column(*NUMBER, required=True),
    _F["unit"]: _column(required=True),
    _F["kind"]: _column(KIND, required=True),
    _F["numerator"]: _column(*NUMBER),
    _F["denominator"]: _column(*NUMBER, NONZERO),
    _F["previous"]: _column(*NUMBER),
    _F["stated_change"]: _column(*NUMBER),
    _F["source"]: _column(required=True),
    _F["illustrative"]: _column(FLAG),
}
UNIT = "Đơn vị"  # first column of per-unit tables: the unit's name as typed, resolved by UnitRegistry
# In per-unit indicators the first column and the unit of measure share the header "Đơn vị"; the first is
# told apart by its position and labelled so in messages.
UNIT_NAME = "Đơn vị (tỉnh, thành phố)"


def _together(*pairs: tuple[str, str]):
    """A frame check for cells that come in pairs (a number and its date, a numerator and its denominator):
    it flags the empty half of a half-filled pair, so the message points at the cell to fill."""
    def check(df: pd.DataFrame) -> pd.DataFrame:
        result = pd.DataFrame(True, index=df.index, columns=df.columns)  # pandera wants the frame's shape
        for first, second in pairs:
            if first in df and second in df:
                has_first, has_second = df[first] != "", df[second] != ""
                result[first] = has_first | ~has_second
                result[second] = has_second | ~has_first
        return result
    return check


PAIR = pa.Check(_together((_F["numerator"], _F["denominator"])), error="tử số và mẫu số phải có cả hai hoặc cùng để trống",
                name="cặp tử số/mẫu số")


def _failing(test) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """A frame check from `test(df) → {column: Series, True where the cell fails}`: only those cells are flagged,
    so each message points at the cell to fix."""
    def check(df: pd.DataFrame) -> pd.DataFrame:
        result = pd.DataFrame(True, index=df.index, columns=df.columns)
        for column, failing in test(df).items():
            result[column] = ~failing
        return result
    return check


def _values(df: pd.DataFrame, field: str, condition: Callable[[Decimal], bool]) -> dict[str, pd.Series]:
    """{header of `field`: where its number meets `condition`} (nothing when the column is absent)."""
    column = _F[field]
    if column not in df:
        return {}
    return {column: df[column].map(lambda v: (n := _number(v)) is not None and condition(n))}


def _of_kind(df: pd.DataFrame, kind: str) -> pd.Series | bool:
    return df[_F["kind"]] == kind if _F["kind"] in df else False


def _negative(df: pd.DataFrame) -> dict[str, pd.Series]:
    count = _of_kind(df, "số lượng")
    found = {c: s & count for field in ("value", "previous") for c, s in _values(df, field, lambda n: n < 0).items()}
    return found | _values(df, "numerator", lambda n: n < 0) | _values(df, "denominator", lambda n: n < 0)


def _beyond_whole(df: pd.DataFrame) -> dict[str, pd.Series]:
    share = _of_kind(df, "tỷ lệ")
    return {c: s & share for field in ("value", "previous") for c, s in _values(df, field, lambda n: not 0 <= n <= 100).items()}


def _part_above_whole(df: pd.DataFrame) -> dict[str, pd.Series]:
    numerator, denominator = _F["numerator"], _F["denominator"]
    if numerator not in df or denominator not in df:
        return {}
    above = [(n := _number(a)) is not None and (d := _number(b)) is not None and n > d
             for a, b in zip(df[numerator], df[denominator])]
    return {numerator: pd.Series(above, index=df.index) & _of_kind(df, "tỷ lệ")}


# What each kind of figure can be: a count is never negative, a share lies between 0 and 100 %, its part never
# exceeds its whole. A figure outside would print as typed ("171,56%", "-3 lượt") without a word. They form the
# tables' warning schema: an analyst still filling a table gets the draft (and the warning), and `readiness`
# makes them errors before signing (`--final`), without hiding the table's other findings meanwhile.
KIND_RANGES = [
    pa.Check(_failing(_negative), error="số lượng, tử số và mẫu số không thể âm", name="số lượng, tử số và mẫu số không thể âm"),
    pa.Check(_failing(_beyond_whole), error="tỷ lệ phải từ 0 đến 100 (%)", name="tỷ lệ phải từ 0 đến 100 (%)"),
    pa.Check(_failing(_part_above_whole), error="tỷ lệ: tử số không thể lớn hơn mẫu số",
             name="tỷ lệ: tử số không thể lớn hơn mẫu số"),
]
IMPLAUSIBLE = frozenset(check.error for check in KIND_RANGES)
PLAUSIBLE_INDICATORS = pa.DataFrameSchema(checks=KIND_RANGES, strict=False, name="chỉ số (cảnh báo)")

NATIONAL_INDICATORS = pa.DataFrameSchema(
    INDICATOR_COLUMNS | {_F["key"]: pa.Column(None, checks=INDICATOR_COLUMNS[_F["key"]].checks, unique=True)},
    checks=[PAIR], strict=True, ordered=False, name="chỉ số quốc gia")

UNIT_INDICATORS = pa.DataFrameSchema(
    {UNIT_NAME: _column(required=True)} | INDICATOR_COLUMNS,
    checks=[PAIR], strict=True, name="chỉ số theo địa phương")  # (unit, key) unique once names are resolved

TARGETS = pa.DataFrameSchema({
    UNIT: _column(required=True),
    "Mã chỉ tiêu": _column(KEY, required=True),
    "Nội dung chỉ tiêu": _column(required=True),
    "Phép so sánh": _column(COMPARISON, required=True),
    "Mức chỉ tiêu": _column(*NUMBER, required=True),
    "Đơn vị tính": _column(required=True),
    _F["key"]: _column(KEY),
    _F["source"]: _column(required=True),
    "Minh họa": _column(FLAG),
}, strict=True, name="chỉ tiêu")  # (unit, key) unique once names are resolved

# The weights of indexes (chỉ số) for a comparison across mergers (`compare.weights`, see `baocao.yoy`): one
# row per unit of the compared year, for one index («Mã chỉ số») or, left empty, for every index of that unit
# (a population serves all of them). field → header.
WEIGHT_FIELDS = {"unit": UNIT, "key": _F["key"], "weight": "Trọng số", "basis": "Cơ sở trọng số",
                 "source": _F["source"], "illustrative": _F["illustrative"]}
_W = WEIGHT_FIELDS
POSITIVE = _cell(lambda v: _number(v) is None or _number(v) > 0, "trọng số phải lớn hơn 0, ví dụ 1234.5")
WEIGHTS = pa.DataFrameSchema({
    _W["unit"]: _column(required=True),
    _W["key"]: _column(KEY),
    _W["weight"]: _column(*NUMBER, POSITIVE, required=True),
    _W["basis"]: _column(required=True),  # what the weight is, as the report states it: "dân số trung bình năm 2024"
    _W["source"]: _column(required=True),
    _W["illustrative"]: _column(FLAG),
}, strict=True, name="trọng số")  # (unit, key) unique once names are resolved

# --- the register of submissions (tidy form, after reading the appendix layout) -----------------------------

GROUP = "Nhóm"
NAME = "Tên cơ quan"
NUMBER_HEADER = "Số văn bản"
DATE_HEADER = "Ngày tháng văn bản"


def register_column(document_title: str, part: str) -> str:
    """"Kế hoạch – Số văn bản": the two header levels of the appendix, as one label for messages."""
    return f"{document_title} – {part}"


def register_schemas(documents: dict[str, str], groups: Iterable[str], year: int,
                     report_date: dt.date | None) -> tuple[pa.DataFrameSchema, pa.DataFrameSchema]:
    """(errors, warnings) for the tidy register of `year`, reported on `report_date`."""
    errors = {GROUP: _column(_cell(lambda v: v in set(groups), "một nhóm của phụ lục"), required=True),
              NAME: _column(required=True)}
    warnings = {}
    pairs = []
    for doc, title in documents.items():
        number, date = register_column(title, NUMBER_HEADER), register_column(title, DATE_HEADER)
        pairs.append((number, date))
        date_checks = [FOREIGN, DATE_FORM, CALENDAR]
        if report_date is not None:
            date_checks.append(_cell(lambda v: not dates.after_report(v, report_date),
                                     f"văn bản không thể đề ngày sau ngày của chính báo cáo ({dates.dmy(report_date)})"))
        errors[number] = _column()
        errors[date] = _column(*date_checks)
        warnings[number] = _column(
            _cell(symbols.is_usual, f"số, ký hiệu không theo dạng thường gặp (ví dụ {symbols.EXAMPLES}): kiểm tra lại"),
            _cell(lambda v, doc=doc: symbols.fits_column(v, doc),
                  f"loại văn bản trong ký hiệu không phải {title.casefold()}: kiểm tra văn bản có ghi đúng cột không"))
        warnings[date] = _column(_cell(lambda v: not dates.before_window(v, year),
                                       f"ngày trước kỳ báo cáo (trước {dates.dmy(dates.window_start(year))}): kiểm tra lại năm"))
    pair = pa.Check(_together(*pairs), error="có số văn bản thì phải có ngày tháng văn bản và ngược lại", name="số và ngày đi cùng nhau")
    return (pa.DataFrameSchema(errors, checks=[pair], strict=True, name="sổ theo dõi"),
            pa.DataFrameSchema(warnings, strict=False, name="sổ theo dõi (cảnh báo)"))


# --- prose front matter ------------------------------------------------------------------------------------

def front_matter_schema(outline_ids: Iterable[str]) -> pa.DataFrameSchema:
    ids = sorted(outline_ids)
    return pa.DataFrameSchema({
        "muc": pa.Column(None, checks=[pa.Check(lambda v: v in ids, element_wise=True, name="muc",
                                                error="«muc» phải là mã một mục của đề cương trong tệp tham số (outline)")]),
        "nguon": pa.Column(None, checks=[pa.Check(lambda v: isinstance(v, str) and v.strip() != "", element_wise=True,
                                                  name="nguon", error="«nguon» là một dòng chữ ghi nguồn")], required=False),
        "minh_hoa": pa.Column(None, checks=[pa.Check(lambda v: isinstance(v, bool), element_wise=True, name="minh_hoa",
                                                     error="«minh_hoa» là true hoặc false")], required=False),
    }, strict=True, name="phần đầu tệp văn bản")


# --- numbers as Vietnamese write them ----------------------------------------------------------------------

# One cell alone cannot always say how it is written: "1.848" is one thousand eight hundred and forty-eight in
# Vietnamese, and 1,848 to a machine. A column can: "1.133.105" or "84,38" is Vietnamese, "84.38" is not.
_INTEGER = re.compile(r"-?\d+", re.ASCII)
_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+", re.ASCII)  # "1.848": thousands, or three decimals; "1.133.105"
_DECIMAL_COMMA = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+", re.ASCII)  # "84,38", "1.133.105,5"
_SPACED = re.compile(r"-?\d{1,3}(?: \d{3})+(?=$|[.,]\d+$)", re.ASCII)  # "1 848", "337 635,5": spaces group thousands
VIETNAMESE, MACHINE_FORM = "kiểu Việt Nam", "kiểu máy"
AMBIGUOUS = ("số đọc được hai cách (dấu chấm ngăn cách hàng nghìn, hay dấu chấm thập phân?) và cột không có số nào "
             "cho biết cách viết: viết số nguyên không có dấu ngăn cách, ví dụ 1848; số thập phân viết dấu chấm, ví dụ 84.38")
MIXED = ("cột viết số theo hai kiểu ({}, ví dụ {}; ô này {}): viết cả cột một kiểu, tốt nhất kiểu máy: số nguyên "
         "không có dấu ngăn cách, ví dụ 1133105, số thập phân dấu chấm, ví dụ 84.38")
_EXAMPLES = {VIETNAMESE: "1.133.105 hay 84,38", MACHINE_FORM: "84.38"}


def _form(text: str) -> str | None:
    """How one cell is written: "integer", "grouped" (one group of three after a dot: either), or a convention."""
    if _INTEGER.fullmatch(text):
        return "integer"
    if _GROUPED.fullmatch(text):
        return "grouped" if text.count(".") == 1 else VIETNAMESE
    if _DECIMAL_COMMA.fullmatch(text):
        return VIETNAMESE
    return MACHINE_FORM if MACHINE.fullmatch(text) else None


def numeric_columns(schema: pa.DataFrameSchema) -> list[str]:
    return [name for name, column in schema.columns.items() if NUMBER[1] in column.checks]


def read_numbers(frame: pd.DataFrame, schema: pa.DataFrameSchema, *, decimal_comma: bool, file: str,
                 sheet: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """The number columns of `schema` in machine form, each read by its own convention, and the cells that
    cannot be read for sure.

    A column's convention is what its cells show ("1.133.105", "84,38" → Vietnamese; "84.38" → machine); a
    column that shows nothing (only "1.848"-like cells) takes the file's (`decimal_comma`: a semicolon CSV,
    which Excel writes where the decimal mark is a comma), or else its "1.848" cells are ambiguous. A column
    showing both conventions is an error at each cell of the other one."""
    frame, problems = frame.copy(), []
    for column in (c for c in numeric_columns(schema) if c in frame):
        # a space (a no-break one once read) between groups of three digits only groups them: 1 848 is 1848
        frame[column] = frame[column].map(lambda v: v.replace(" ", "") if isinstance(v, str) and _SPACED.match(v) else v)
        forms = {row: _form(text) for row, text in frame[column].items() if isinstance(text, str) and text}
        shown = {form for form in forms.values() if form in (VIETNAMESE, MACHINE_FORM)}
        if len(shown) == 1:
            convention = shown.pop()
        else:
            convention = VIETNAMESE if decimal_comma else (MACHINE_FORM if shown else None)
        for row, form in forms.items():
            text = frame.at[row, column]
            where = dict(file=file, sheet=sheet, row=row, column=column, value=text)
            if form in (VIETNAMESE, MACHINE_FORM) and form != convention:
                problems.append(Problem(**where, message=MIXED.format(convention, _EXAMPLES[convention], form)))
            elif form == "grouped" and convention is None:
                problems.append(Problem(**where, message=AMBIGUOUS))
            elif form in ("grouped", VIETNAMESE) and convention == VIETNAMESE:
                frame.at[row, column] = text.replace(".", "").replace(",", ".")
    return frame, problems


# --- pandera failures → Problems ---------------------------------------------------------------------------

def unrecognised(frame: pd.DataFrame, schema: pa.DataFrameSchema, *, file: str, sheet: str | None = None) -> Problem | None:
    """A file whose header row has none of the table's columns is not that table (a wrong path, another file):
    it is refused without echoing any of its cells, which may hold anything (a password file, a letter)."""
    if any(str(column) in schema.columns or column == UNIT for column in frame.columns):
        return None
    return Problem(file=file, sheet=sheet, row=1,
                   message=f"tệp này không phải bảng «{schema.name}»: dòng đầu không có tiêu đề cột nào của mẫu (cần: "
                           f"{', '.join(schema.columns)}); kiểm tra đường dẫn tệp trong tệp tham số")


_BUILT_IN = {"not_nullable": "không được để trống"}


def _shown(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return dates.dmy(value) if isinstance(value, dt.date) else str(value)


def _row(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, *, file: str, sheet: str | None = None,
             header_row: int | None = 1, severity: str = ERROR, noun: str = "cột") -> list[Problem]:
    """Every failure of `schema` on `frame`, as Problems sorted by row (the frame's index is the Excel row).

    `noun` names what the schema's columns are to the user: "cột" of a table, "khóa" of a front matter."""
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    where = dict(file=file, sheet=sheet, severity=severity)
    problems: list[Problem] = []
    duplicates: dict[tuple, list[int]] = defaultdict(list)
    combined: dict[int, dict[str, str]] = defaultdict(dict)
    for case in cases.itertuples(index=False):
        check, column, row = str(case.check), None if pd.isna(case.column) else str(case.column), _row(case.index)
        if check == "column_in_schema":
            close = difflib.get_close_matches(str(case.failure_case), list(schema.columns), n=1, cutoff=0.6)
            hint = f"; có phải «{close[0]}»?" if close else f"; các {noun} của mẫu: " + ", ".join(schema.columns)
            problems.append(Problem(**where, row=header_row, column=str(case.failure_case),
                                    message=f"{noun} lạ, không có trong mẫu" + hint))
        elif check == "column_in_dataframe":
            problems.append(Problem(**where, row=header_row, column=str(case.failure_case), message=f"thiếu {noun} bắt buộc"))
        elif check == "field_uniqueness":
            duplicates[column, str(case.failure_case)].append(row)
        elif check == "multiple_fields_uniqueness":
            combined[row][column] = str(case.failure_case)
        elif isinstance(case.failure_case, dict):  # a frame-wide check reports {column: value} per failing cell
            problems += [Problem(**where, row=row, column=name, value=_shown(value), message=check)
                         for name, value in case.failure_case.items()]
        else:
            problems.append(Problem(**where, row=row, column=column, value=_shown(case.failure_case),
                                    message=_BUILT_IN.get(check, check)))
    for (column, value), rows in duplicates.items():
        problems += [Problem(**where, row=row, column=column, value=value,
                             message="bị trùng: cùng giá trị ở các dòng " + ", ".join(map(str, sorted(rows))))
                     for row in rows]
    groups: dict[tuple, list[int]] = defaultdict(list)
    for row, values in combined.items():
        groups[tuple(sorted(values.items()))].append(row)
    for key, rows in groups.items():
        columns = ", ".join(column for column, _ in key)
        problems += [Problem(**where, row=row, column=columns, value=" | ".join(v for _, v in key),
                             message="bị trùng: cùng giá trị ở các dòng " + ", ".join(map(str, sorted(rows))))
                     for row in rows]
    return sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


