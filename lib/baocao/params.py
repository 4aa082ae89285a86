"""Report parameters: one YAML file per year (and per unit where needed), validated on load.

A new year is a new params file, never a code change, so everything that varies by year or unit lives here
and is checked strictly: an unknown key is an error (a typo would otherwise be silently ignored).

Three things keep the files small without hiding anything:
- `outline: {file: params/outlines/de-cuong-2024.yml}` reuses an outline kept once for many reports;
- a province's report reads `params/<year>/tinh.yml`, the defaults shared by every province of the year,
  with `{ten_tinh}`-style fields filled from the unit registry (see UNIT_FIELDS);
- `params/<year>/<unit>.yml`, when it exists, overrides those defaults key by key (lists are replaced);
- the unit's workspace `data/<year>/<unit>/` overrides the defaults' tables and prose file by file
  (`baocao.workspace`), with no params edit.
Every error still names the file and line the offending key came from.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import string
from pathlib import Path
from typing import Annotated, Any, Iterator, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from . import vnformat, workspace, yamlsafe
from .errors import BaocaoError, Problem, unreadable
from .outdirs import unit_problem
from .readers import table_candidates
from .units import NATIONAL_SLUG, Unit, UnitRegistry

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


# The years a report can be about: what params validate and what the command line accepts.
FIRST_YEAR, LAST_YEAR = 2000, 2100

class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Agency(Strict):
    parent: str = ""
    issuer: Text
    name: Text  # as it reads inside a sentence: "Bộ Nội vụ"
    lines: list[Text] = Field(default_factory=list)  # the issuer as the header prints it, line by line

    @property
    def header_lines(self) -> list[str]:
        """"ỦY BAN NHÂN DÂN" / "TỈNH TÂY NINH": NĐ 30 breaks a long issuer name; default one line."""
        return list(self.lines) or [self.issuer]


class Document(Strict):
    number: Annotated[str, StringConstraints(strip_whitespace=True)] = ""
    symbol: Text
    place: Text
    date: dt.date | None  # required, but null while the document is a draft not yet dated
    type: Text = "BÁO CÁO"
    subject: Text

    @property
    def number_symbol(self) -> str:
        """'1385/BC-BNV'; a blank number (a draft not yet registered) prints as '/BC-BNV'."""
        return f"{self.number}/{self.symbol}"

    @property
    def date_text(self) -> str:
        """"ngày 27 tháng 02 năm 2025"; an undated draft leaves the blanks a clerk fills by hand."""
        return vnformat.date_long(self.date) if self.date else "ngày … tháng … năm …"

    @property
    def place_date(self) -> str:
        return f"{self.place}, {self.date_text}"


class Signer(Strict):
    """The signature block. A collective body signs "TM. ỦY BAN NHÂN DÂN" (on_behalf) above the
    delegation line "KT. CHỦ TỊCH" (authority) and the signer's own title "PHÓ CHỦ TỊCH"."""

    on_behalf: str = ""
    authority: str = ""
    title: Text
    name: Annotated[str, StringConstraints(strip_whitespace=True)]  # "" until the signer is known

    @property
    def lines(self) -> list[str]:
        """The capitalised lines above the signature, top to bottom, without the blank ones."""
        return [line for line in (self.on_behalf, self.authority, self.title) if line]


class Deadlines(Strict):
    """The first day a document counts as late ("trước ngày 15/12" → 15/12). None: no deadline."""

    plan: dt.date | None = None
    annual_report: dt.date | None = None
    scoring_report: dt.date | None = None


class DataPaths(Strict):
    # A folder outside the project that data may also come from (a shared drive); relative paths still start
    # from the project. Without it every input must resolve inside the project folder.
    root: Path | None = None
    submissions: Path | None = None  # a unit without a register of its own sub-units has none
    indicators: Path | None = None  # with a «Đơn vị» column, only the report's own unit's rows are read
    targets: Path | None = None  # chi-tieu.csv: the unit's targets, judged against its indicators
    prose: Path
    # A province's own register of its sở, ban, ngành and communes, and its list of sở, ban, ngành (see
    # `baocao.subunits`); both or neither.
    subunits: Path | None = None
    departments: Path | None = None
    # Its scoring of those units (see `baocao.scoring`): the rubric's criteria, its bands, the scores.
    rubric: Path | None = None
    bands: Path | None = None
    scores: Path | None = None
    models: Path | None = None  # «Dân vận khéo» models of this year and the last (see `baocao.models`)

    @property
    def files(self) -> dict[str, Path]:
        """name → path of every input this names (what the check reads, the manifest hashes, the annex lists)."""
        named = {name: getattr(self, name) for name in type(self).model_fields if name != "root"}
        return {name: path for name, path in named.items() if path is not None}


class Compare(Strict):
    """`compare:` last year's files, to set this year's figures beside them (see `baocao.yoy`). Units that
    merged or were renamed since take their forerunners' figures; without this key nothing is compared."""

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)  # the year compared with
    submissions: Path | None = None  # that year's register: the national comparison of submissions
    indicators: Path | None = None  # that year's per-unit indicators: a province's own comparison
    weights: Path | None = None  # weights of that year's units, to compare indexes (chỉ số) of merged units

    @property
    def files(self) -> dict[str, Path]:
        """name → path of every file this names (what the check reads, the manifest hashes, the annex lists)."""
        named = {"submissions": self.submissions, "indicators": self.indicators, "weights": self.weights}
        return {name: path for name, path in named.items() if path is not None}


DirectiveTask = Annotated[int, Field(ge=1, le=8)]  # Chỉ thị 33/CT-TTg has eight tasks
# Computed tables an outline item can show, after its prose: a unit's targets judged, and (with
# `compare:`) the year-on-year comparison (submissions in the national report, indicators in a unit's).
TABLES = ("targets", "year_on_year", "subunits", "ranking", "models")


class OutlineItem(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str = ""
    directive_tasks: list[DirectiveTask] = Field(default_factory=list)  # tasks of Chỉ thị 33 it follows up
    tables: list[Literal[TABLES]] = Field(default_factory=list)
    children: list["OutlineItem"] = Field(default_factory=list)


class Appendix(Strict):
    label: str = "Phụ lục"
    title: Text
    subtitle: Text


class Wording(Strict):
    percentage_points: Text = "điểm phần trăm"


def outline_items(items: list[OutlineItem]) -> Iterator[OutlineItem]:
    """Every item of an outline, depth first, in the order the report prints them."""
    for item in items:
        yield item
        yield from outline_items(item.children)


def outline_ids(items: list[OutlineItem]) -> list[str]:
    return [item.id for item in outline_items(items)]


class Params(Strict):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    unit: Text = NATIONAL_SLUG
    agency: Agency
    document: Document
    signer: Signer
    recipients: list[Text] = Field(min_length=1)
    deadlines: Deadlines
    data: DataPaths
    compare: Compare | None = None
    outline: list[OutlineItem] = Field(min_length=1)
    appendix: Appendix | None = None
    wording: Wording = Wording()
    illustrative: bool = False

    @field_validator("data")
    @classmethod
    def _subunits_fit(cls, data: DataPaths, info: ValidationInfo) -> DataPaths:
        """A register of sub-units is a province's, and is read against its list of sở, ban, ngành."""
        wrong = []
        if (data.subunits is None) != (data.departments is None):
            wrong.append("data.subunits (sổ theo dõi của tỉnh) và data.departments (danh sách sở, ban, ngành) "
                         "phải có cả hai hoặc cùng không có")
        scoring = [data.rubric, data.bands, data.scores]
        if any(scoring) and (not all(scoring) or data.subunits is None):
            wrong.append("chấm điểm cần đủ data.rubric (tiêu chí), data.bands (xếp loại), data.scores (điểm) và "
                         "sổ theo dõi của tỉnh (data.subunits)")
        if data.subunits is not None and info.data.get("unit") == NATIONAL_SLUG:
            wrong.append("data.subunits là sổ theo dõi các đơn vị của một tỉnh, không dùng cho báo cáo toàn quốc")
        if wrong:
            raise PydanticCustomError("subunits", "; ".join(wrong))
        return data

    @field_validator("compare")
    @classmethod
    def _compare_fits(cls, compare: Compare | None, info: ValidationInfo) -> Compare | None:
        """What is compared must exist in this report: an earlier year, a register beside a register, a
        unit's own indicators beside its forerunners'."""
        year, unit, data = (info.data.get(key) for key in ("year", "unit", "data"))
        if compare is None or year is None:
            return compare
        wrong = []
        if compare.year >= year:
            wrong.append(f"compare.year ({compare.year}) phải là một năm trước năm báo cáo ({year})")
        if compare.submissions is not None and data is not None and data.submissions is None:
            wrong.append("compare.submissions cần sổ theo dõi của năm nay (data.submissions)")
        if compare.indicators is not None and unit == NATIONAL_SLUG:
            wrong.append("compare.indicators là bảng chỉ số theo tỉnh, chỉ dùng cho báo cáo của một tỉnh")
        if compare.weights is not None and compare.indicators is None:
            wrong.append("compare.weights cần compare.indicators (trọng số dùng để so sánh chỉ số)")
        if wrong:
            raise PydanticCustomError("compare", "; ".join(wrong))
        return compare

    _source: Path = PrivateAttr(default=Path("params/params.yml"))
    _unit_record: Unit | None = PrivateAttr(default=None)
    _outline_source: Path | None = PrivateAttr(default=None)
    _outline_lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> Path:
        """The file these parameters were read from (set by load_params)."""
        return self._source

    @property
    def unit_record(self) -> Unit | None:
        """The registry's unit this report is about; None for the national report."""
        return self._unit_record

    @property
    def outline_source(self) -> Path:
        """The file the outline was written in (a shared outline file, or this params file)."""
        return self._outline_source or self.source

    def outline_line(self, item_id: str) -> int | None:
        """The line of `outline_source` where the item is written, for messages about it."""
        return self._outline_lines.get(item_id)

    @property
    def root(self) -> Path:
        """Data paths are relative to the project folder that holds params/."""
        return _project_root(self.source)

    @property
    def input_roots(self) -> tuple[Path, ...]:
        """The folders inputs may be read from: the project, and `data.root` when params name one."""
        roots = [self.root]
        if self.data.root is not None:
            roots.append(self.data.root if self.data.root.is_absolute() else self.root / self.data.root)
        return tuple(root.resolve() for root in roots)

    def path(self, relative: Path) -> Path:
        """An input's path, relative to the project; refused when it (or the link it is) leads outside the project
        and `data.root`: a report must not read, and echo in its messages, a file of the computer such as
        `../../x.csv` or a link to /etc/passwd."""
        path = relative if relative.is_absolute() else self.root / relative
        if outside(path, self.input_roots):
            raise BaocaoError(Problem(file=str(self.source), value=str(relative), message=OUTSIDE))
        return path


_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "khóa không có trong mẫu tham số (gõ nhầm?)",
    "date_from_datetime_parsing": "ngày không có trên lịch hoặc sai dạng: cần ngày có thật dạng YYYY-MM-DD, ví dụ 2025-02-27",
    "date_parsing": "ngày không có trên lịch hoặc sai dạng: cần ngày có thật dạng YYYY-MM-DD, ví dụ 2025-02-27",
    "date_type": "cần một ngày dạng YYYY-MM-DD",
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "string_type": "cần một chuỗi ký tự",
    "string_too_short": "không được để trống",
    "string_pattern_mismatch": "chỉ gồm chữ thường không dấu, số và dấu gạch ngang",
    "list_type": "cần một danh sách: mỗi phần tử một dòng, bắt đầu bằng «- »",
    "too_short": "danh sách không được rỗng",
    "bool_parsing": "cần true hoặc false",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
    "model_type": "cần một nhóm khóa (mapping)",
    "literal_error": "giá trị không hợp lệ; cho phép: " + ", ".join(TABLES),
}


# libyaml's parser when PyYAML was built with it: a batch of 64 units reads 64 params files.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """Safe YAML that leaves dates as text, so that 2025-02-30 reaches validation (and its message)
    instead of crashing inside the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@functools.lru_cache(maxsize=256)
def key_lines(text: str) -> dict[tuple, int]:
    """Map each key path of the YAML document to its 1-based line, so errors can point at the line.

    Memoized on the text (callers only read the map): every province of a batch places its outline items
    in the same shared outline and defaults files."""
    lines: dict[tuple, int] = {}

    def walk(node: Any, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                lines[path + (key.value,)] = key.start_mark.line + 1
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[path + (index,)] = item.start_mark.line + 1
                walk(item, path + (index,))

    try:
        walk(yaml.compose(text, Loader=_SafeLoader), ())
    except yaml.YAMLError:
        pass
    return lines


PROVINCE_DEFAULTS = "tinh.yml"
# What `{…}` stands for in a province's params, from the unit registry (example: Tây Ninh).
UNIT_FIELDS = {
    "ten_tinh": lambda unit: unit.name,  # Tây Ninh
    "loai": lambda unit: unit.kind,  # tỉnh / thành phố
    "tinh": lambda unit: f"{unit.kind} {unit.name}",  # tỉnh Tây Ninh
    "TINH": lambda unit: f"{unit.kind} {unit.name}".upper(),  # TỈNH TÂY NINH
    "ma_tinh": lambda unit: unit.slug,  # tay-ninh
}


OUTSIDE = ("đường dẫn dữ liệu dẫn ra ngoài thư mục dự án (nơi có thư mục params/), kể cả qua liên kết tượng trưng: "
           "chép tệp vào thư mục dự án, hoặc khai báo thư mục dữ liệu chung ở khóa data.root")
INPUT_KEYS = (*(("data", name) for name in DataPaths.model_fields if name != "root"),
              *(("compare", name) for name in Compare.model_fields if name != "year"))


def outside(path: Path, roots: tuple[Path, ...]) -> bool:
    """Whether `path`, links followed, lies outside every folder of `roots` (themselves resolved); for a table,
    whether either of its files does (`x` or `x.csv` may mean x.xlsx too: see `readers.table_file`)."""
    files = {path, *table_candidates(path)}
    return any(not any(file.resolve().is_relative_to(root) for root in roots) for file in files)


def _outside_problems(params: "Params", layers: list["_Layer"]) -> list[Problem]:
    """Every input path of the params that leads outside the project and `data.root`, at its key and line."""
    problems = []
    for section, key in INPUT_KEYS:
        holder = getattr(params, section)
        relative = getattr(holder, key) if holder is not None else None
        if relative is not None:
            path = relative if relative.is_absolute() else params.root / relative
            if outside(path, params.input_roots):
                problems.append(_problem(layers, (section, key), OUTSIDE, relative))
    return problems


def _project_root(source: Path) -> Path:
    """The folder holding params/, wherever the file sits below it (params/2024.yml, params/2024/x.yml)."""
    source = source.resolve()
    return next((folder.parent for folder in source.parents if folder.name == "params"), source.parent.parent)


class _Layer:
    """One YAML file that contributed keys, with the line of each key, so errors point into the right file."""

    def __init__(self, path: Path, prefix: tuple = ()):
        self.file, self.prefix = str(path), prefix
        try:
            self.text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise BaocaoError(unreadable(path, exc, "tệp tham số")) from None
        except UnicodeDecodeError:
            raise BaocaoError(Problem(file=self.file, message="tệp tham số phải mã hóa UTF-8")) from None
        try:
            self.raw = yamlsafe.load(self.text, self.file, loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise BaocaoError(Problem(file=self.file, row=mark.line + 1 if mark else None,
                                      message=f"YAML không hợp lệ ({getattr(exc, 'problem', exc)}): thụt lề bằng dấu cách, "
                                              "không dùng phím Tab; giá trị có dấu «:» hoặc «#» đặt trong ngoặc kép")) from None

    @functools.cached_property
    def lines(self) -> dict[tuple, int]:
        """Key path → line; computed only when a message needs it."""
        return key_lines(self.text)

    def match(self, loc: tuple) -> tuple[int, int | None]:
        """(how much of `loc` this file defines, the line of that key); -1 when `loc` cannot be from here."""
        if loc[: len(self.prefix)] != self.prefix:
            return -1, None
        rest = loc[len(self.prefix):]
        depth = next((n for n in range(len(rest), 0, -1) if rest[:n] in self.lines), 0)
        return len(self.prefix) + depth, self.lines.get(rest[:depth])


def _locate(layers: list[_Layer], loc: tuple) -> tuple[str, int | None]:
    """The file and line that define `loc`: the deepest match wins, a later (overriding) file on a tie."""
    best = max(reversed(layers), key=lambda layer: layer.match(loc)[0])
    return best.file, best.match(loc)[1]


def _problem(layers: list[_Layer], loc: tuple, message: str, value: Any = None) -> Problem:
    file, line = _locate(layers, loc)
    return Problem(file=file, row=line, column=".".join(str(p) for p in loc), message=message,
                   value=None if value is None else str(value))


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model inside a field's type: `Signer`, `list[OutlineItem]`, `Appendix | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((model for arg in get_args(annotation) if (model := _submodel(arg))), None)


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model whose keys are valid at `loc` (list indices skipped), to suggest the key a typo meant."""
    model: type[BaseModel] | None = Params
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model else None
        model = _submodel(field.annotation) if field else None
    return model


def _message(item: dict) -> str:
    """The Vietnamese message of one validation error; an unknown key names the key it probably meant."""
    message = _MESSAGES.get(item["type"], item["msg"])
    loc = tuple(item["loc"])
    if item["type"] == "extra_forbidden" and (model := _model_at(loc[:-1])):
        close = difflib.get_close_matches(str(loc[-1]), list(model.model_fields), n=1, cutoff=0.6)
        message += f"; có phải «{close[0]}»?" if close else "; các khóa của mẫu: " + ", ".join(model.model_fields)
    elif item["type"] == "missing":
        message += f": thêm dòng «{loc[-1]}: …»"
    return message


def _problems(error: ValidationError, layers: list[_Layer]) -> list[Problem]:
    problems = []
    for item in error.errors():
        value = item.get("input") if item["type"] != "missing" and not isinstance(item.get("input"), dict) else None
        problems.append(_problem(layers, tuple(item["loc"]), _message(item), value))
    return problems


def _merge(base: Any, override: Any) -> Any:
    """Override key by key; a list or a value replaces the default whole (a recipient list is one thing)."""
    if isinstance(base, dict) and isinstance(override, dict):
        return {key: _merge(value, override[key]) if key in override else value for key, value in base.items()} | {
            key: value for key, value in override.items() if key not in base}
    return override


def _fill(node: Any, values: dict[str, str], layers: list[_Layer], problems: list[Problem], loc: tuple = ()) -> Any:
    """Replace `{ten_tinh}`-style fields in every text; an unknown field is reported where it was written."""
    if isinstance(node, dict):
        return {key: _fill(value, values, layers, problems, loc + (key,)) for key, value in node.items()}
    if isinstance(node, list):
        return [_fill(value, values, layers, problems, loc + (index,)) for index, value in enumerate(node)]
    if not isinstance(node, str):
        return node
    allowed = ", ".join("{" + name + "}" for name in values)
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(node) if field is not None]
    except ValueError:
        problems.append(_problem(layers, loc, f"dấu ngoặc nhọn không khớp; chỗ điền chỉ gồm: {allowed}", node))
        return node
    unknown = [field for field in fields if field not in values]
    for field in unknown:
        problems.append(_problem(layers, loc, f"không có chỗ điền «{{{field}}}»; dùng: {allowed}", node))
    return node if unknown else node.format_map(values)


def _unit(path: Path, raw: dict, layers: list[_Layer]) -> Unit:
    """The province a `params/<year>/<slug>.yml` is about; an unknown slug lists the closest ones."""
    year = raw.get("year")
    if not isinstance(year, int):
        raise BaocaoError(_problem(layers, ("year",), "cần năm báo cáo (số nguyên) để biết danh sách tỉnh", year))
    try:
        units = {unit.slug: unit for unit in UnitRegistry.load().expected("province", year)}
    except ValueError as exc:
        raise BaocaoError(_problem(layers, ("year",), str(exc), year)) from None
    slug = path.stem
    if slug not in units:
        close = difflib.get_close_matches(slug, units, n=5, cutoff=0.6)
        hint = f" Có phải: {', '.join(close)}?" if close else " Mã tỉnh là tên không dấu nối bằng gạch ngang, ví dụ tay-ninh."
        raise BaocaoError(Problem(file=str(path), value=slug,
                                  message=f"không có tỉnh, thành phố mã «{slug}» trong danh sách năm {year}.{hint}"))
    return units[slug]


def _outline_file(raw: dict, root: Path, layers: list[_Layer]) -> list[Problem]:
    """`outline: {file: …}`: read the shared outline in place; its own lines are used for its errors."""
    outline = raw.get("outline")
    if not isinstance(outline, dict):
        return []
    if set(outline) != {"file"} or not isinstance(outline["file"], str):
        return [_problem(layers, ("outline",), "cần danh sách mục, hoặc một khóa duy nhất «file: <đường dẫn>»")]
    path = Path(outline["file"])
    path = path if path.is_absolute() else root / path
    if outside(path, (root.resolve(),)):
        return [_problem(layers, ("outline", "file"), OUTSIDE, outline["file"])]
    if not path.is_file():
        return [_problem(layers, ("outline", "file"), "không tìm thấy tệp đề cương (đường dẫn tính từ thư mục dự án, "
                                                      "nơi có thư mục params/): sửa đường dẫn", outline["file"])]
    layer = _Layer(path, prefix=("outline",))
    if not isinstance(layer.raw, list):
        return [Problem(file=layer.file, message="tệp đề cương phải là một danh sách mục YAML")]
    layers.append(layer)
    raw["outline"] = layer.raw
    return []


def load_params(path: Path | str) -> Params:
    """Read and validate a params file; every problem is reported at once with its file, line and key.

    `params/<year>/<unit>.yml` beside a `tinh.yml` is a province's report: the defaults, then this file if
    it exists (it is optional), with the unit's fields filled in.
    """
    path = Path(path)
    defaults = path.parent / PROVINCE_DEFAULTS
    if path.name == PROVINCE_DEFAULTS:
        raise BaocaoError(Problem(file=str(path), message="đây là tham số mặc định chung cho mọi tỉnh; "
                                                          "hãy chọn một tỉnh, ví dụ --unit tay-ninh"))
    layers = [_Layer(defaults)] if defaults.is_file() else []
    if path.is_file() or not layers:
        layers.append(_Layer(path))
    problems = [Problem(file=layer.file, message="tệp tham số phải là một nhóm khóa YAML")
                for layer in layers if not isinstance(layer.raw, dict)]
    if problems:
        raise BaocaoError(problems)
    raw = layers[0].raw
    for layer in layers[1:]:
        raw = _merge(raw, layer.raw)
    unit = None
    if defaults.is_file():
        unit = _unit(path, raw, layers)
        raw = _fill(raw, {name: field(unit) for name, field in UNIT_FIELDS.items()}, layers, problems)
        if raw.setdefault("unit", unit.slug) != unit.slug:
            problems.append(_problem(layers, ("unit",), f"khác mã tỉnh của tên tệp («{unit.slug}»)", raw["unit"]))
        raw = workspace.apply(raw, _project_root(path), unit.slug, layers[1].raw if len(layers) > 1 else {})
    outline_problems = _outline_file(raw, _project_root(path), layers)
    problems += outline_problems
    try:
        params = Params.model_validate(raw)
    except ValidationError as exc:  # an outline already reported unreadable is not reported again as malformed
        found = [p for p in _problems(exc, layers) if not (outline_problems and (p.column or "").startswith("outline"))]
        raise BaocaoError(problems + found) from None
    if problems:
        raise BaocaoError(problems)
    params._source = path
    if problems := _outside_problems(params, layers):
        raise BaocaoError(problems)
    params._unit_record = unit
    params._outline_source = Path(next((layer.file for layer in layers if layer.prefix == ("outline",)), path))
    params._outline_lines = _item_lines(params.outline, layers, ("outline",))
    return params


def _item_lines(items: list[OutlineItem], layers: list[_Layer], loc: tuple) -> dict[str, int]:
    lines = {}
    for index, item in enumerate(items):
        line = _locate(layers, loc + (index, "id"))[1]
        if line is not None:
            lines[item.id] = line
        lines |= _item_lines(item.children, layers, loc + (index, "children"))
    return lines


def load_unit_params(year: int, unit: str, root: Path | None = None, params_file: Path | str | None = None) -> Params:
    """The params of `unit`'s report of `year`: its own file, or `params_file` (`--params`), which must be
    about that same year and unit. Otherwise last year's file under `--year 2025` would write the 2024 report
    into `outputs/2025/`, and the national file under `--unit ha-noi` the national report into Hà Nội's folder."""
    params = load_params(params_file or params_path(year, unit, root))
    problems = []
    if params.year != year:
        problems.append(Problem(file=str(params.source), column="year", value=str(params.year),
                                message=f"tệp tham số là của năm {params.year}, không phải năm {year} (--year): "
                                        f"chọn tệp tham số của năm {year} hoặc sửa --year"))
    if params.unit != unit:
        problems.append(Problem(file=str(params.source), column="unit", value=params.unit,
                                message=f"tệp tham số là của đơn vị «{params.unit}», không phải «{unit}» (--unit): "
                                        f"chọn tệp tham số của đơn vị {unit} hoặc sửa --unit"))
    if problems:
        raise BaocaoError(problems)
    return params


def params_path(year: int, unit: str = NATIONAL_SLUG, root: Path | None = None) -> Path:
    """params/<year>.yml for the national report; params/<year>/<unit>.yml for a unit's own report.

    A province's file is optional: when it does not exist, load_params uses params/<year>/tinh.yml alone.
    """
    root = root or Path.cwd()
    if problem := unit_problem(unit):  # `--unit ../../x` would load a params file from anywhere
        raise BaocaoError(problem)
    if unit == NATIONAL_SLUG:
        return root / "params" / f"{year}.yml"
    return root / "params" / str(year) / f"{unit}.yml"
