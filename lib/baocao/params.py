"""Report parameters: one YAML file per year (and per unit where needed), validated on load.

A new year is a new params file, never a code change, so everything that varies by year or unit lives here
and is checked strictly: an unknown key is an error (a typo would otherwise be silently ignored).
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, ValidationError

from .errors import BaocaoError, Problem

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Agency(Strict):
    parent: str = ""
    issuer: Text
    name: Text  # as it reads inside a sentence: "Bộ Nội vụ"


class Document(Strict):
    number: Annotated[str, StringConstraints(strip_whitespace=True)] = ""
    symbol: Text
    place: Text
    date: dt.date
    type: Text = "BÁO CÁO"
    subject: Text

    @property
    def number_symbol(self) -> str:
        """'1385/BC-BNV'; a blank number (a draft not yet registered) prints as '/BC-BNV'."""
        return f"{self.number}/{self.symbol}"


class Signer(Strict):
    authority: str = ""
    title: Text
    name: Text


class Deadlines(Strict):
    """The first day a document counts as late ("trước ngày 15/12" → 15/12). None: no deadline."""

    plan: dt.date | None = None
    annual_report: dt.date | None = None
    scoring_report: dt.date | None = None


class DataPaths(Strict):
    submissions: Path
    indicators: Path | None = None
    prose: Path


class OutlineItem(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str = ""
    directive_tasks: list[int] = Field(default_factory=list)  # tasks of Chỉ thị 33/CT-TTg it follows up
    children: list["OutlineItem"] = Field(default_factory=list)


class Appendix(Strict):
    label: str = "Phụ lục"
    title: Text
    subtitle: Text


class Wording(Strict):
    percentage_points: Text = "điểm phần trăm"


class Params(Strict):
    year: int = Field(ge=2000, le=2100)
    unit: Text = "toan-quoc"
    agency: Agency
    document: Document
    signer: Signer
    recipients: list[Text] = Field(min_length=1)
    deadlines: Deadlines
    data: DataPaths
    outline: list[OutlineItem] = Field(min_length=1)
    appendix: Appendix | None = None
    wording: Wording = Wording()
    illustrative: bool = False

    _source: Path = PrivateAttr(default=Path("params/params.yml"))

    @property
    def source(self) -> Path:
        """The file these parameters were read from (set by load_params)."""
        return self._source

    @property
    def root(self) -> Path:
        """Data paths are relative to the project folder that holds params/."""
        return self.source.resolve().parent.parent

    def path(self, relative: Path) -> Path:
        return relative if relative.is_absolute() else self.root / relative


_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "khóa không có trong mẫu tham số (gõ nhầm?)",
    "date_from_datetime_parsing": "ngày không hợp lệ, cần dạng YYYY-MM-DD",
    "date_parsing": "ngày không hợp lệ, cần dạng YYYY-MM-DD",
    "date_type": "cần một ngày dạng YYYY-MM-DD",
    "int_parsing": "cần một số nguyên",
    "int_type": "cần một số nguyên",
    "string_type": "cần một chuỗi ký tự",
    "string_too_short": "không được để trống",
    "string_pattern_mismatch": "chỉ gồm chữ thường không dấu, số và dấu gạch ngang",
    "list_type": "cần một danh sách",
    "too_short": "danh sách không được rỗng",
    "bool_parsing": "cần true hoặc false",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
    "model_type": "cần một nhóm khóa (mapping)",
}


class _Loader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so that 2025-02-30 reaches validation (and its message)
    instead of crashing inside the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _key_lines(text: str) -> dict[tuple, int]:
    """Map each key path of the YAML document to its 1-based line, so errors can point at the line."""
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
        walk(yaml.compose(text, Loader=yaml.SafeLoader), ())
    except yaml.YAMLError:
        pass
    return lines


def _problems(error: ValidationError, file: str, text: str) -> list[Problem]:
    lines = _key_lines(text)
    problems = []
    for item in error.errors():
        loc = tuple(item["loc"])
        line = next((lines[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in lines), None)
        message = _MESSAGES.get(item["type"], item["msg"])
        value = item.get("input") if item["type"] != "missing" and not isinstance(item.get("input"), dict) else None
        problems.append(Problem(file=file, row=line, column=".".join(str(p) for p in loc),
                                message=message, value=None if value is None else str(value)))
    return problems


def load_params(path: Path | str) -> Params:
    """Read and validate a params file; every problem is reported at once with its line and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaocaoError(Problem(file=str(path), message="không tìm thấy tệp tham số")) from None
    except UnicodeDecodeError:
        raise BaocaoError(Problem(file=str(path), message="tệp tham số phải mã hóa UTF-8")) from None
    try:
        raw = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BaocaoError(Problem(file=str(path), row=mark.line + 1 if mark else None,
                                  message=f"YAML không hợp lệ: {getattr(exc, 'problem', exc)}")) from None
    if not isinstance(raw, dict):
        raise BaocaoError(Problem(file=str(path), message="tệp tham số phải là một nhóm khóa YAML"))
    try:
        params = Params.model_validate(raw)
    except ValidationError as exc:
        raise BaocaoError(_problems(exc, str(path), text)) from None
    params._source = path
    return params


def params_path(year: int, unit: str = "toan-quoc", root: Path | None = None) -> Path:
    """params/<year>.yml for the national report; params/<year>/<unit>.yml for a unit's own report."""
    root = root or Path.cwd()
    if unit == "toan-quoc":
        return root / "params" / f"{year}.yml"
    return root / "params" / str(year) / f"{unit}.yml"
