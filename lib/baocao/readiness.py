"""Ready to sign: what still stands between a report and a signature, each finding naming where to fix it.

- the signer, the number or the date left blank (a scaffold from `new-year` leaves them so);
- marks left in params or prose for someone to fill or confirm (`MARKERS`): `new-year` marks every value it
  guessed (a date moved on by a year) and the analyst removes the mark once the value is confirmed;
- sample sentences in prose («Văn bản mẫu: …»);
- every input flagged illustrative (data rows, prose, the params flag, last year's files `compare:` names),
  which is why the report carries «DỮ LIỆU MINH HỌA»;
- figures that cannot be right: a share over 100 %, a negative count.

`checks.check` reports them as warnings, and as errors with `--final` (`baocao check --final`,
`baocao render --final`, which then writes nothing).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .errors import Problem
from .facts import Facts
from .indicators import COLUMNS, Indicator
from .inputs import Inputs
from .params import key_lines
from .schemas import IMPLAUSIBLE
from .targets import Target
from .units import UnitRegistry
from .yoy import forerunner_names

MARKERS = ("CẦN ĐIỀN", "CẦN KIỂM TRA", "TODO")
MARKER = re.compile(r"(?<!\w)(" + "|".join(MARKERS) + r")(?!\w)")
SAMPLE = re.compile(r"Văn bản mẫu", re.IGNORECASE)
ILLUSTRATIVE_COLUMN = COLUMNS["illustrative"]


def _key_at(text: str) -> dict[int, str]:
    """line → the dotted params key written on it."""
    return {line: ".".join(str(part) for part in path) for path, line in key_lines(text).items()}


def _where(inputs: Inputs, path: tuple) -> tuple[str, int | None]:
    """The params file (the most specific first) and line that define the key `path`."""
    for file in reversed(inputs.params_files()):
        line = key_lines(file.read_text(encoding="utf-8")).get(path)
        if line is not None:
            return str(file), line
    return str(inputs.params.source), None


SIGNATURE = (  # (key, is it missing, what to do)
    (("document", "number"), lambda p: not p.document.number, "số văn bản còn trống: điền số khi văn bản được vào sổ"),
    (("document", "date"), lambda p: p.document.date is None, "ngày ký còn trống: điền ngày ký báo cáo (YYYY-MM-DD)"),
    (("signer", "name"), lambda p: not p.signer.name, "người ký còn trống: điền họ tên người ký"),
)


def _signature(inputs: Inputs, severity: str) -> list[Problem]:
    found = []
    for path, missing, message in SIGNATURE:
        if missing(inputs.params):
            file, line = _where(inputs, path)
            found.append(Problem(file=file, row=line, column=".".join(path), message=message, severity=severity))
    return found


def _markers(file: Path, text: str, severity: str, keys: dict[int, str] | None = None) -> list[Problem]:
    """One finding per line of `text` that still carries a mark."""
    found = []
    for line, content in enumerate(text.splitlines(), start=1):
        if match := MARKER.search(content):
            found.append(Problem(file=str(file), row=line, column=(keys or {}).get(line), value=match[1], severity=severity,
                                 message=f"còn dấu «{match[1]}»: điền hoặc xác nhận giá trị rồi xóa dấu"))
    return found


def _samples(inputs: Inputs, severity: str) -> list[Problem]:
    found = []
    for prose in inputs.prose:
        for offset, content in enumerate(prose.body.splitlines()):
            if match := SAMPLE.search(content):
                found.append(Problem(file=str(prose.path), row=prose.body_line + offset, value=match[0], severity=severity,
                                     message="câu văn mẫu còn trong văn bản: thay bằng nội dung thật của đơn vị"))
    return found


def _rows(file: Path, items: list[Indicator] | list[Target], what: str, severity: str) -> list[Problem]:
    """One finding per table listing the illustrative rows the report uses."""
    rows = sorted({item.row for item in items if item.illustrative and item.row is not None})
    if not rows:
        return []
    return [Problem(file=str(file), row=rows[0], column=ILLUSTRATIVE_COLUMN, severity=severity,
                    value=", ".join(item.key for item in items if item.illustrative),
                    message=f"{what} minh họa («{ILLUSTRATIVE_COLUMN} = có») ở dòng {', '.join(map(str, rows))}: "
                            "thay bằng số liệu thật rồi ghi «không»")]


def _illustrative(inputs: Inputs, facts: Facts, severity: str) -> list[Problem]:
    """Every input flagged as a sample, each where it is flagged."""
    params, found = inputs.params, []
    if params.illustrative:
        file, line = _where(inputs, ("illustrative",))
        found.append(Problem(file=file, row=line, column="illustrative", value="true", severity=severity,
                             message="tham số ghi dữ liệu của báo cáo là minh họa: khi số liệu đã thật, đặt false"))
    if params.data.indicators is not None:
        found += _rows(params.path(params.data.indicators), list(facts.indicators.values()), "chỉ số", severity)
    if params.data.targets is not None:
        found += _rows(params.path(params.data.targets), list(inputs.targets), "chỉ tiêu", severity)
    samples = [prose.path.name for prose in inputs.prose if prose.front_matter.get("minh_hoa") is True]
    if samples:
        found.append(Problem(file=str(params.path(params.data.prose)), column="minh_hoa", value=", ".join(samples),
                             severity=severity, message=f"{len(samples)} tệp văn bản mẫu («minh_hoa: true» ở phần đầu "
                                                        "tệp): viết nội dung thật rồi xóa dòng minh_hoa"))
    found += _compared(inputs, severity)
    return found


def _compared(inputs: Inputs, severity: str) -> list[Problem]:
    """Last year's rows the comparison uses that are samples: the unit's forerunners' indicators and weights."""
    params, previous = inputs.params, inputs.previous
    if previous is None or params.compare is None or params.unit_record is None:
        return []
    names = forerunner_names(UnitRegistry.load(), params.unit_record, previous.year)
    found = []
    if previous.indicators is not None and params.compare.indicators is not None:
        used = [ind for name in names for ind in previous.indicators.get(name, {}).values()
                if ind.key in (inputs.indicators or {})]
        found += _rows(params.path(params.compare.indicators), used, f"chỉ số năm {previous.year} dùng để so sánh", severity)
    weights = [(name, key) for (name, key), weight in previous.weights.items() if name in names and weight.illustrative]
    if weights and params.compare.weights is not None:
        found.append(Problem(file=str(params.path(params.compare.weights)), column=ILLUSTRATIVE_COLUMN, severity=severity,
                             value=", ".join(name for name, _ in weights),
                             message="trọng số minh họa dùng để so sánh: thay bằng số liệu thật rồi ghi «không»"))
    return found


def _implausible(inputs: Inputs, severity: str) -> list[Problem]:
    """Figures that cannot be right, whatever the source says (the tables' kind ranges, `schemas.KIND_RANGES`),
    which the data check reported as warnings."""
    return [replace(p, severity=severity) for p in inputs.problems if p.message in IMPLAUSIBLE]


def findings(inputs: Inputs, facts: Facts, severity: str) -> list[Problem]:
    """Everything that keeps the report from being signed, at `severity`."""
    found = _signature(inputs, severity)
    for file in inputs.params_files():
        text = file.read_text(encoding="utf-8")
        found += _markers(file, text, severity, _key_at(text))
    for prose in inputs.prose:
        found += _markers(prose.path, prose.path.read_text(encoding="utf-8"), severity)
    found += _samples(inputs, severity)
    found += _illustrative(inputs, facts, severity)
    return found + _implausible(inputs, severity)


def illustrative_reason(problems: list[Problem], root: Path) -> str:
    """One line: why the report still carries «DỮ LIỆU MINH HỌA» (the files flagged as samples)."""
    files = dict.fromkeys(p.relative_to(root).file for p in problems if p.column in (ILLUSTRATIVE_COLUMN, "minh_hoa", "illustrative"))
    return ("Báo cáo còn ghi «DỮ LIỆU MINH HỌA» vì các tệp sau còn dữ liệu minh họa: " + ", ".join(files) + ".") if files else ""
