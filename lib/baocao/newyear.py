"""`baocao new-year 2025 --from 2024`: the params and empty data templates of a new year, from the last one.

A new year is a new params file and new data, never a code change; this writes the first draft of both so
that an analyst starts from the right layout instead of copying last year's files by hand:

- `params/<year>.yml` (and `params/<year>/tinh.yml`) from the source year's file, edited in place so that its
  layout and comments stay: the year, every date (document date and deadlines) and the report year in texts
  move on, data paths point at `data/<year>/` (and `compare:` at the year before), the document number is
  blanked, `illustrative: true` (the last year's data was a sample) becomes false, and what the analyst must
  set is marked in a YAML comment («CẦN ĐIỀN», «CẦN KIỂM TRA»);
- `data/<year>/`: the register pre-filled with the units expected that year (`UnitRegistry.expected`) in
  the appendix layout, the indicator tables with their headers only, and one prose stub per outline item.

Existing files are never overwritten: they are reported as kept, so running it twice is harmless.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from . import atomic, schemas, yamlsafe
from .errors import BaocaoError, Problem
from .params import PROVINCE_DEFAULTS, OutlineItem, Params, load_params, outline_items, params_path
from .register import NationalRoster, Roster
from .vocabulary import DOCUMENTS
from .tablefiles import GROUP_NUMBERS, csv_text, indicators_workbook, register_workbook
from .units import UnitRegistry

TO_FILL = "CẦN ĐIỀN"
TO_CHECK = "CẦN KIỂM TRA"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


# --- params --------------------------------------------------------------------------------------------------

HEADER_START = "# Tạo bằng `baocao new-year"
HEADER_END = "liệt kê mọi chỗ còn lại."  # the header's last words: a header of an earlier run is replaced up to them


def _header(year: int, source_year: int, source_name: str, compared: int | None) -> str:
    """The first lines of a generated params file: which year it is, which year it compares with, and what is
    left to do. The marks themselves are written only beside the values they mark, so that
    `baocao check --final` finds each one where it must be fixed."""
    comparison = f"so sánh với năm {compared}" if compared is not None else "không so sánh với năm trước"
    return (f"{HEADER_START} {year} --from {source_year}` từ {source_name}: báo cáo năm {year}, {comparison}.\n"
            f"# Năm, các ngày, đường dẫn dữ liệu và các năm trong chú thích đã dời sang năm {year}. Giá trị còn trống hoặc\n"
            "# đoán (một ngày dời một năm, người ký năm trước) có ghi chú đánh dấu ở cuối dòng: điền hoặc xác nhận\n"
            f"# rồi xóa ghi chú; `baocao check --year {year} --final` {HEADER_END}\n")


def _comment_years(line: str, moved: range, years: int) -> str:
    """Years in a comment line move on like the values: a year of `moved` standing alone ("năm 2024") or as
    a folder of a path ("params/2024/"); a year inside a date ("27/02/2025") or a range ("2021-2030") stays."""
    def shift(match: re.Match) -> str:
        value = int(match.group())
        return str(value + years) if value in moved and value + years < 10000 else match.group()

    line = re.sub(r"(?<=[a-z]/)\d{4}(?=[/.][a-z])", shift, line)  # a path: params/2024/tinh.yml
    return re.sub(r"(?<![\w/.-])\d{4}(?![\w/-])", shift, line)


def _shift_date(text: str, years: int) -> str:
    """2024-12-15 → 2025-12-15; 29 February becomes 28 February in a year without it."""
    date = dt.date.fromisoformat(text)
    try:
        return date.replace(year=date.year + years).isoformat()
    except ValueError:
        return date.replace(year=date.year + years, day=28).isoformat()


def _scalars(node: yaml.Node, path: tuple = ()):
    """Every scalar of a composed YAML document with its key path, in document order."""
    if isinstance(node, yaml.ScalarNode):
        yield path, node
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(value, path + (key.value,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, path + (index,))


def shift_params_text(text: str, source_year: int, year: int, source_name: str) -> str:
    """The params text of `year`, edited scalar by scalar in the source text so its layout and comments stay.

    The report year and the year after it move on wherever they are written in a text (subject, appendix
    subtitle, "Nhiệm vụ trọng tâm công tác năm 2025"); other years (a decree of 2021) stay. Paths under
    `data:` change their `<source_year>` folder; the outline's shared file is kept as it is. `compare:` moves
    on too: the year compared with, and its files' year folders (last year's data becomes the year before's).
    """
    years = year - source_year
    in_text = re.compile(rf"\b({source_year}|{source_year + 1})\b")
    edits: list[tuple[int, int, str]] = []
    document = yaml.compose(text, Loader=yaml.SafeLoader)
    compared = {node.value for path, node in _scalars(document) if path == ("compare", "year")}

    def folders_moved(path: str, *folder_years: str) -> str:
        """data/2024/x.csv → data/2025/x.csv: each folder named one of `folder_years` moves on by `years`."""
        pattern = rf"(?<![^/])({'|'.join(folder_years)})(?=/|$)"
        return re.sub(pattern, lambda m: str(int(m.group()) + years), path)

    def to_line_end(node: yaml.Node, value: str, note: str) -> None:
        end = text.find("\n", node.end_mark.index)
        edits.append((node.start_mark.index, len(text) if end == -1 else end, f"{value}  # {note}"))

    for path, node in _scalars(document):
        start, end = node.start_mark.index, node.end_mark.index
        if path == ("year",):
            edits.append((start, end, str(year)))
        elif path == ("compare", "year"):
            edits.append((start, end, str(int(node.value) + years)))
        elif path[:1] == ("compare",):
            edits.append((start, end, folders_moved(text[start:end], str(source_year), *compared)))
        elif path == ("document", "number"):
            to_line_end(node, '""', f"{TO_FILL}: số văn bản năm {year}, khi văn bản được vào sổ")
        elif path[:1] == ("data",):
            edits.append((start, end, folders_moved(text[start:end], str(source_year))))
        elif path == ("outline", "file"):
            continue
        elif node.style is None and _ISO_DATE.match(node.value):
            shifted = _shift_date(node.value, years)
            action = (f"sửa thành ngày ký báo cáo năm {year}" if path == ("document", "date")
                      else f"đối chiếu hạn trong văn bản hướng dẫn năm {year}")
            to_line_end(node, shifted, f"{TO_CHECK}: dời từ {node.value}; {action}")
        elif path == ("signer", "name") and node.value:
            to_line_end(node, text[start:end], f"{TO_CHECK}: người ký năm {year}")
        elif path == ("illustrative",) and yaml.safe_load(text[start:end]) is True:
            to_line_end(node, "false", f"{TO_CHECK}: dữ liệu năm {source_year} là minh họa; đặt true nếu dữ liệu năm {year} cũng vậy")
        else:
            edits.append((start, end, in_text.sub(lambda m: str(int(m.group()) + years), text[start:end])))
    text = _comments_moved(text, range(min([source_year - 1, *map(int, compared)]), source_year + 2), years)
    for start, end, replacement in sorted(edits, reverse=True):  # the marks they write name the new year
        text = text[:start] + replacement + text[end:]
    if text.startswith(HEADER_START) and HEADER_END in text:  # made by new-year itself: one header, the newest
        text = text[text.index(HEADER_END) + len(HEADER_END):].lstrip("\n")
    return _header(year, source_year, source_name, int(next(iter(compared))) + years if compared else None) + text


def _comments_moved(text: str, moved: range, years: int) -> str:
    """`text` with the years of its comments moved on (whole comment lines, and what follows «  # » on a line
    with a value); every year keeps four digits, so the offsets of the values stay as YAML reported them."""
    lines = []
    for line in text.splitlines(keepends=True):
        value, mark, comment = line.partition("#") if line.lstrip().startswith("#") else line.partition("  #")
        lines.append(value + mark + _comment_years(comment, moved, years) if mark else line)
    return "".join(lines)



# --- data templates ------------------------------------------------------------------------------------------

def register_table(year: int, registry: UnitRegistry, roster: Roster | None = None) -> list[list[str]]:
    """The appendix of `year` with every expected unit and no document yet: the two-level header, the group
    rows ("I", "II") and one numbered row per unit, in the order the report prints them. `roster`: whose
    register (the national one by default; a province's own, see `baocao.subunits`)."""
    roster = roster or NationalRoster(registry, year)
    top = ["STT", schemas.NAME] + [cell for title in DOCUMENTS.values() for cell in (title, "")]
    sub = ["", ""] + [schemas.NUMBER_HEADER, schemas.DATE_HEADER] * len(DOCUMENTS)
    empty = [""] * (2 * len(DOCUMENTS))
    table = [top, sub]
    for number, (group, title) in zip(GROUP_NUMBERS, roster.groups.items()):
        table.append([number, title, *empty])
        units = roster.expected(group)
        table += [[str(index), unit.display_name, *empty] for index, unit in enumerate(units, start=1)]
    return table


NATIONAL_INDICATORS_HEADER = list(schemas.INDICATOR_FIELDS.values())
UNIT_INDICATORS_HEADER = [schemas.UNIT, *schemas.INDICATOR_FIELDS.values()]
TARGETS_HEADER = list(schemas.TARGETS.columns)


def prose_stub(item: OutlineItem, year: int) -> str:
    """Front matter naming the item, with the analyst's note as a YAML comment: the body stays empty, so the
    check keeps warning «mục chưa có nội dung» until the text is written."""
    what = f"mục «{item.title}»" if item.title else f"phần «{item.id}» (không có tiêu đề)"
    hint = "; có thể để trống nếu các mục con đã đủ" if item.children else ""
    return (f"---\nmuc: {item.id}\n# Năm {year}: chuyên viên viết nội dung {what} dưới dòng --- "
            f"thứ hai{hint} (số liệu tính sẵn: xem data/README.md).\n---\n")


# --- the command ---------------------------------------------------------------------------------------------

@dataclass
class Templates:
    """Files written from templates, never over an existing file: those created, those kept, and what the
    analyst must do next (`new_year`, `baocao.newunit.new_unit`)."""

    root: Path
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    def _create(self, path: Path, write: Callable[[Path], None]) -> None:
        if path.exists():
            self.kept.append(path)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic.atomic_path(path) as tmp:  # an interrupted run leaves no half-written template
            write(tmp)
        self.created.append(path)

    def text(self, path: Path, content: str) -> None:
        self._create(path, lambda p: p.write_text(content, encoding="utf-8"))

    def table(self, path: Path, rows: list[list[str]], workbook: Callable) -> None:
        """The table as CSV and as .xlsx beside `path` (the params name one of them; analysts use either)."""
        self.text(path.with_suffix(".csv"), csv_text(rows))
        self._create(path.with_suffix(".xlsx"), lambda p: workbook(rows).save(p))

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def summary(self, title: str) -> list[str]:
        """The summary printed to the analyst, in Vietnamese, under `title`."""
        rel = self.rel
        out = [title]
        out += [f"  đã tạo   {rel(p)}" for p in self.created]
        out += [f"  đã có, giữ nguyên   {rel(p)}" for p in self.kept]
        out += ["Việc chuyên viên cần làm:"] + [f"  - {line}" for line in self.todo]
        return out


@dataclass
class NewYear(Templates):
    """What `new_year` did."""

    year: int = 0
    source_year: int = 0

    def lines(self) -> list[str]:
        return self.summary(f"Năm {self.year} (từ năm {self.source_year}):")


def _params_file(result: NewYear, source: Path, target: Path) -> None:
    if not source.is_file():
        return
    text = source.read_text(encoding="utf-8")
    yamlsafe.refuse_aliases(text, str(source))  # its nodes are walked below: an alias bomb would never end
    result.text(target, shift_params_text(text, result.source_year, result.year, result.rel(source)))


def _templates(result: NewYear, params: Params, registry: UnitRegistry, unit_tables: bool) -> None:
    """The data files `params` reads, as empty templates; `unit_tables`: per-province indicators and targets."""
    data = params.data
    if data.submissions is not None:
        result.table(params.path(data.submissions), register_table(params.year, registry), register_workbook)
    if data.indicators is not None:
        header = UNIT_INDICATORS_HEADER if unit_tables else NATIONAL_INDICATORS_HEADER
        result.table(params.path(data.indicators), [header], indicators_workbook)
    if data.targets is not None:
        result.table(params.path(data.targets), [TARGETS_HEADER], indicators_workbook)
    if data.models is not None:
        from .models import MODELS

        result.table(params.path(data.models), [list(MODELS.columns)], indicators_workbook)
    for item in outline_items(params.outline):
        result.text(params.path(data.prose) / f"{item.id}.md", prose_stub(item, params.year))


def new_year(root: Path, year: int, source_year: int, registry: UnitRegistry | None = None) -> NewYear:
    """Write the params and data templates of `year` from those of `source_year`, keeping existing files."""
    root = root.resolve()
    source = params_path(source_year, root=root)
    if year <= source_year:
        raise BaocaoError(Problem(file="", column="năm", value=str(year), message=f"năm mới phải sau năm {source_year}"))
    if not source.is_file():
        raise BaocaoError(Problem(file=str(source), message=f"không tìm thấy tham số năm {source_year} để chép sang năm {year}"))
    registry = registry or UnitRegistry.load()
    try:
        provinces = registry.expected("province", year)
    except ValueError as exc:
        raise BaocaoError(Problem(file="", column="năm", value=str(year), message=str(exc))) from None
    result = NewYear(year=year, source_year=source_year, root=root)
    target = params_path(year, root=root)
    _params_file(result, source, target)
    national = load_params(target)
    _templates(result, national, registry, unit_tables=False)
    defaults = source.parent / str(source_year) / PROVINCE_DEFAULTS
    province_defaults = target.parent / str(year) / PROVINCE_DEFAULTS
    _params_file(result, defaults, province_defaults)
    if province_defaults.is_file():
        _templates(result, load_params(province_defaults.parent / f"{provinces[0].slug}.yml"), registry, unit_tables=True)
    result.todo = _todo(result, national, province_defaults, defaults.parent)
    return result


def _todo(result: NewYear, national: Params, province_defaults: Path, source_folder: Path) -> list[str]:
    year, rel = result.year, result.rel
    data = national.data
    todo = [
        f"{rel(national.source)}: điền số văn bản (document.number, ghi «{TO_FILL}»); đặt ngày ký (document.date), "
        f"người ký (signer) và các hạn gửi (deadlines) theo văn bản năm {year} (ghi «{TO_CHECK}»); xem lại nơi nhận "
        "(recipients) và trích yếu (document.subject).",
    ]
    if data.submissions is not None:
        todo.append(f"{rel(national.path(data.submissions).parent)}/{data.submissions.stem}.csv hoặc .xlsx: ghi số và "
                    f"ngày văn bản của từng đơn vị đã gửi, để trống ô của đơn vị chưa gửi; nếu dùng tệp .xlsx, sửa "
                    f"data.submissions trong {rel(national.source)}.")
    if data.indicators is not None:
        todo.append(f"{rel(national.path(data.indicators))}: thêm mỗi chỉ số một dòng, có nguồn (cột «Nguồn»).")
    todo.append(f"{rel(national.path(data.prose))}/: viết nội dung từng mục dưới phần đầu tệp.")
    if province_defaults.is_file():
        todo.append(f"{rel(province_defaults)}: mặc định chung cho báo cáo của các tỉnh năm {year}; điền số liệu "
                    "và văn bản mà các đường dẫn data: của tệp này chỉ tới.")
    overrides = sorted(p.name for p in source_folder.glob("*.yml") if p.name != PROVINCE_DEFAULTS)
    if overrides:
        todo.append(f"tham số riêng của từng tỉnh ({', '.join(overrides)}) không được chép: danh sách tỉnh năm {year} "
                    f"có thể đã khác; tạo lại params/{year}/<mã tỉnh>.yml nếu cần.")
    todo.append(f"kiểm tra: baocao check --year {year}")
    return todo
