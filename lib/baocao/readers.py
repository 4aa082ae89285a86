"""Readers for the tables analysts keep, chosen by file extension through a small registry.

Every reader returns the sheet as rows of cells exactly as a person sees them, with the row number Excel
shows, so that every later message can point at "dòng 12, cột «Ngày tháng văn bản»". Text is NFC with outer
spaces removed (a name pasted from a PDF arrives decomposed, a cell typed in Excel often ends in a space).

What a reader cannot read it refuses with a message that says how to save the file so that it can: CSV
saved by Excel in the Windows code page (Windows-1258/1252) has already lost or garbled letters, so it is
refused rather than guessed; UTF-16 ("Unicode Text") is read, whatever its separator.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from .errors import WARNING, BaocaoError, Problem, unreadable
from .names import visible

if TYPE_CHECKING:
    import pandas as pd

Cell = str | dt.date | int | float | None
# The largest table a report reads is the per-unit indicator table (34 provinces × a few dozen indicators, about
# a thousand rows). A table fifty times larger is a paste gone wrong, or rows left over below the table, and
# checking it row by row would keep a user waiting for minutes only to read thousands of messages.
MAX_ROWS = 50_000
# The widest table (the register: two columns per document type) has about a dozen columns.
MAX_COLUMNS = 200
SAVE_AS_UTF8 = "mở tệp trong Excel, chọn File › Save As › «CSV UTF-8 (Comma delimited) (*.csv)» rồi lưu lại"


@dataclass(frozen=True)
class Sheet:
    file: str
    name: str | None
    rows: list[list[Cell]]  # rows[i] is Excel row i + 1
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (first row, first column, last row, last column), 1-based
    formulas: tuple[tuple[int, int, str], ...] = field(default=())  # (row, column, formula), 1-based
    visible: bool = True  # Excel can hide a sheet (an old copy, a draft): only visible sheets are the table
    decimal_comma: bool = False  # a semicolon CSV: saved where the decimal mark is a comma ("1.848" = 1848)


def _text(value: str) -> str:
    return visible(value)


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise BaocaoError(Problem(file=file, message="tệp này là tệp Excel (.xlsx) nhưng mang đuôi .csv: đổi đuôi tệp thành .xlsx"))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw:
        raise BaocaoError(Problem(file=file, message="tệp không phải bảng CSV (nội dung nhị phân): cần tệp văn bản CSV UTF-8 hoặc tệp Excel .xlsx"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if sum(b < 32 and b not in b"\t\r\n" for b in raw) > len(raw) // 100:
            raise BaocaoError(Problem(file=file, message="tệp không phải bảng CSV (nội dung nhị phân): cần tệp văn bản CSV UTF-8 hoặc tệp Excel .xlsx")) from None
        line = raw[: exc.start].count(b"\n") + 1
        raise BaocaoError(Problem(
            file=file, row=line,
            message="tệp CSV không mã hóa UTF-8 (có thể Excel đã lưu kiểu «CSV (Comma delimited)» theo bảng mã "
                    f"Windows-1258/1252, làm hỏng chữ có dấu): {SAVE_AS_UTF8}")) from None


def _read_csv(path: Path, raw: bytes) -> list[Sheet]:
    text = _decode(raw, str(path))
    header = text.partition("\n")[0]
    # Excel writes "," (CSV UTF-8), ";" (locales with a decimal comma) or tab ("Unicode Text"): the
    # separator is the one that splits the header into the most cells.
    delimiter = max(",;\t", key=lambda d: len(next(csv.reader([header], delimiter=d), [])))
    # A cell typed with Alt+Enter holds a line break inside quotes: one record, one Excel row (never split the
    # text into lines first; str.splitlines would also break at U+2028 and other separators inside a cell).
    rows = [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return [Sheet(file=str(path), name=None, rows=rows, decimal_comma=delimiter == ";")]


def _read_xlsx(path: Path, raw: bytes) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=False)
    except Exception:  # openpyxl raises many types for a damaged file
        raise BaocaoError(Problem(file=str(path), message="không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx (mở và lưu lại bằng Excel)")) from None
    sheets = []
    for ws in book.worksheets:
        rows: list[list[Cell]] = []
        formulas = []
        for row in _used_rows(ws, str(path)):
            cells = []
            for cell in row:
                if cell.data_type == "f":
                    formulas.append((cell.row, cell.column, str(cell.value)))
                    cells.append(None)
                else:
                    cells.append(_cell(cell.value, cell.number_format))
            rows.append(cells)
        merged = tuple((r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges)
        sheets.append(Sheet(file=str(path), name=ws.title, rows=rows, merged=merged, formulas=tuple(formulas),
                            visible=ws.sheet_state == "visible"))
    return sheets


def _used_rows(ws, file: str) -> Iterable[tuple]:
    """The rows of a worksheet up to its last cell holding a value, refused beyond any table a report reads.

    Excel's own extent of a sheet (what `iter_rows` walks) reaches the farthest cell ever typed in or
    formatted: one stray cell at XFD1048576 of a ten-row table makes it 17 billion cells (minutes, then
    MemoryError). The cells holding a value are known as soon as the file is loaded, so the extent is measured
    on them first, and a value far outside is named so that the user can delete it."""
    filled = [(cell.row, cell.column) for cell in ws._cells.values() if cell.value not in (None, "")]  # sparse: no public API
    if not filled:
        return []
    last_row, last_column = max(r for r, _ in filled), max(c for _, c in filled)
    if last_row > MAX_ROWS or last_column > MAX_COLUMNS:
        row, column = max((r, c) for r, c in filled if r > MAX_ROWS or c > MAX_COLUMNS)
        raise BaocaoError(Problem(
            file=file, sheet=ws.title, row=row, column=column_letter(column), value=f"{column_letter(column)}{row}",
            message=f"ô {column_letter(column)}{row} có dữ liệu ở quá xa bảng (mọi bảng của báo cáo nằm trong {MAX_ROWS} "
                    f"dòng và {MAX_COLUMNS} cột đầu): xóa ô thừa (trong Excel: Ctrl+End để tới ô cuối cùng) hoặc "
                    "kiểm tra có dán nhầm dữ liệu"))
    return ws.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=last_column)


_NUMBER_FORMAT = re.compile(r"^[#,]*0(?:\.(0+))?(%?)$")


def _cell(value, number_format: str = "General") -> Cell:
    """An Excel value as it shows: a number formatted "0.0" reads "66.0" (the decimals are part of the figure
    the report prints), one formatted "0.00%" reads "69.38" (Excel stores 0.6938), a date-time cell reads as
    its date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and (match := _NUMBER_FORMAT.match(number_format)):
        decimals, percent = match.groups()
        return f"{value * 100 if percent else value:.{len(decimals or '')}f}"
    return value


READERS: dict[str, Callable[[Path, bytes], list[Sheet]]] = {".csv": _read_csv, ".xlsx": _read_xlsx}


def read_sheets(path: Path | str) -> list[Sheet]:
    """Read every sheet of a table file; the reader is chosen by the file's extension. The file is read once,
    whole, here, so that a missing, locked or unreadable file gets one message whatever its format.
    `path` may name the table by its stem (see `table_file`)."""
    path = table_file(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        supported = ", ".join(sorted(READERS))
        raise BaocaoError(Problem(file=str(path), message=f"định dạng tệp «{path.suffix}» không được hỗ trợ. Hỗ trợ: {supported}"))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BaocaoError(unreadable(path, exc)) from None
    return reader(path, raw)


# --- one table, one file -------------------------------------------------------------------------------------
# Analysts keep a table as CSV or as Excel, and `baocao new-year` writes both. When both exist, editing one
# and rendering from the other would silently ignore the edit: a table has one file, or two with the same cells.

def table_file(path: Path | str) -> Path:
    """The one file a table name means. `x` (a stem) is x.csv or x.xlsx, whichever exists; `x.csv` is itself.
    When the other format exists beside it too, both must hold the same cells (then the named file, or the CSV
    for a stem, is read); different cells are an error naming both files: never a silent choice."""
    path = Path(path)
    named = path.suffix.lower() in READERS
    present = [c for c in table_candidates(path) if c.is_file()]
    if not named and not present:
        raise BaocaoError(Problem(file=str(path), message="không có tệp bảng này: cần "
                                  + " hoặc ".join(c.name for c in table_candidates(path)) + " (đường dẫn tính từ thư mục dự án)"))
    chosen = path if named else present[0]
    if len(present) > 1 and chosen.is_file():
        other = next(c for c in present if c != chosen)
        row = _first_difference(_identity(chosen), _identity(other))
        if row is not None:
            where = "tệp «" + other.name + "» không đọc được" if row == UNREADABLE else f"khác nhau từ dòng {row}"
            raise BaocaoError(Problem(
                file=str(chosen), value=other.name, row=None if row == UNREADABLE else row,
                message=f"bảng có hai tệp khác nhau trong cùng thư mục: «{chosen.name}» và «{other.name}» ({where}); "
                        "baocao không tự chọn tệp nào. "
                        "Giữ một tệp: xóa tệp cũ (hoặc chuyển ra khỏi thư mục), hoặc lưu tệp đã sửa đè lên tệp kia "
                        f"(trong Excel: File › Save As › «CSV UTF-8» để thay «{path.with_suffix('.csv').name}»)"))
    return chosen


def table_candidates(path: Path | str) -> list[Path]:
    """The files a table name may mean: `x` or `x.csv` → x.csv and x.xlsx. Another file is only itself.
    (Readers that memoize a table watch all of them: an edit to the twin must be seen.)"""
    path = Path(path)
    if path.suffix.lower() in READERS:
        return [path, *(path.with_suffix(s) for s in READERS if s != path.suffix.lower())]
    if path.suffix:
        return [path]
    return [path.with_name(path.name + suffix) for suffix in READERS]


def _identity(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


def _canonical(cell: Cell) -> object:
    """A cell as both formats can hold it: an Excel date cell equals its text «14/12/2024», the number 1765
    equals the text «1765», text is compared as read (NFC, trimmed)."""
    from .dates import looks_like_date, parse_date

    if cell is None or cell == "":
        return ""
    if isinstance(cell, dt.date) or (isinstance(cell, str) and looks_like_date(cell)):
        try:
            return parse_date(cell)
        except ValueError:
            return cell
    try:
        return float(cell)
    except (TypeError, ValueError):
        return cell


def _canonical_rows(path: Path) -> list[list[object]]:
    sheet = READERS[path.suffix.lower()](path, path.read_bytes())[0]
    rows = [[_canonical(c) for c in row] for row in sheet.rows]
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


UNREADABLE = -1


@functools.lru_cache(maxsize=64)
def _first_difference(*files: tuple[str, int, int]) -> int | None:
    """The first (Excel) row where the files' first sheets differ, None when they hold the same cells,
    UNREADABLE when one cannot be read (nothing says they agree); memoized on the files' identities, so a
    batch compares a shared pair once."""
    try:
        first = _canonical_rows(Path(files[0][0]))
    except BaocaoError:
        return None  # the file that is read reports its own problem
    try:
        others = [_canonical_rows(Path(name)) for name, _, _ in files[1:]]
    except BaocaoError:
        return UNREADABLE
    for other in others:
        for row in range(max(len(first), len(other))):
            if (first[row] if row < len(first) else None) != (other[row] if row < len(other) else None):
                return row + 1
    return None


def read_table(path: Path | str) -> tuple[Sheet, list[Problem]]:
    """The first visible sheet of a table file (what a person opening it sees first), with what the reader
    noticed: formula cells (errors: the value a reviewer reads must be the one typed, not one Excel may
    recompute differently) and ignored extra sheets, hidden ones included (warnings)."""
    sheets = read_sheets(path)
    sheet = next((s for s in sheets if s.visible), sheets[0])  # Excel always keeps one sheet visible
    filled = sum(any(c not in (None, "") for c in row) for row in sheet.rows)
    if not filled:
        raise BaocaoError(Problem(file=sheet.file, sheet=sheet.name, message="tệp rỗng: không có dòng nào"))
    if filled > MAX_ROWS:
        raise BaocaoError(Problem(
            file=sheet.file, sheet=sheet.name, value=f"{filled} dòng",
            message=f"bảng quá lớn: quá {MAX_ROWS} dòng có dữ liệu, nhiều hơn hẳn mọi bảng của báo cáo; kiểm tra có dán "
                    "nhầm dữ liệu hoặc còn dòng thừa bên dưới bảng (trong Excel: Ctrl+End để tới ô cuối cùng)"))
    problems = [Problem(file=sheet.file, sheet=sheet.name, row=row, column=column_letter(column), value=formula,
                        message="ô chứa công thức: hãy dán giá trị (Paste Special › Values) thay cho công thức")
                for row, column, formula in sheet.formulas]
    problems += [Problem(file=sheet.file, sheet=other.name, severity=WARNING,
                         message=f"trang tính {'' if other.visible else 'ẩn '}này bị bỏ qua: chỉ đọc trang tính "
                                 f"{'' if sheets[0] is sheet else 'hiện '}đầu tiên «{sheet.name}»")
                 for other in sheets if other is not sheet]
    return sheet, problems


def column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def merged_below(sheet: Sheet, first_data_row: int, titles: Iterable[int] = ()) -> list[Problem]:
    """Merged cells among data rows are errors: the merged value belongs to one row only, the others read
    as empty. (Merged cells in a header, or across one title row such as "II Địa phương", are how Excel
    shows a heading, and are fine.)"""
    titles = set(titles)
    problems = []
    for first_row, first_col, last_row, last_col in sheet.merged:
        if last_row >= first_data_row and not (first_row == last_row and first_row in titles):
            span = f"{column_letter(first_col)}{first_row}:{column_letter(last_col)}{last_row}"
            problems.append(Problem(file=sheet.file, sheet=sheet.name, row=first_row, value=span,
                                    message="ô gộp (merge) trong dòng dữ liệu: bỏ gộp ô và ghi giá trị vào từng ô"))
    return problems


def cell_text(cell: Cell) -> str | dt.date:
    """A cell as the tables compare it: text, or a date for an Excel date cell; numbers as typed (66.0 stays 66.0)."""
    if cell is None:
        return ""
    if isinstance(cell, dt.date) or isinstance(cell, str):
        return cell
    return str(cell)


def header_frame(sheet: Sheet, header_row: int = 1) -> tuple[pd.DataFrame, list[Problem]]:
    """A plain table (one header row, one record per row) as a frame indexed by Excel row number, with
    columns named by their header. Fully empty rows are skipped; merged data cells are reported."""
    import pandas as pd  # here, not at the top: a re-run that skips every unit never builds a frame

    header = [str(cell_text(c)) for c in sheet.rows[header_row - 1]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    header = [title or f"(cột {column_letter(i + 1)} không có tiêu đề)" for i, title in enumerate(header[:width])]
    records, index = [], []
    for number, row in enumerate(sheet.rows[header_row:], start=header_row + 1):
        cells = [cell_text(row[i]) if i < len(row) else "" for i in range(width)]
        if any(c != "" for c in cells):
            records.append(cells)
            index.append(number)
    problems = merged_below(sheet, header_row + 1)
    if not records:
        problems.append(Problem(file=sheet.file, sheet=sheet.name, row=header_row,
                                message="bảng chỉ có dòng tiêu đề, không có dòng dữ liệu nào"))
    frame = pd.DataFrame(records, index=pd.Index(index, name="dòng"), columns=header, dtype=object)
    return frame, problems
