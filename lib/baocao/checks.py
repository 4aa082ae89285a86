"""The whole-year check: everything a render reads, validated in one pass, every problem reported at once.

`baocao check` runs it. Unlike a render (`report.build`), it goes on past a broken table: prose files are
checked for their front matter (`schemas.front_matter_schema`) and their placeholders, and when an input
table is broken the placeholders are still checked against the names the facts would have, so that one run
lists the problems of every file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from . import additions, schemas
from .additions import Additions
from .errors import BaocaoError, Problem
from .indicators import Indicator, read_unit_indicators
from .narrative import Prose, read_prose, render_prose, split_front_matter
from .params import Params, key_lines, outline_ids
from .register import DOCUMENTS, load_register
from .report import prose_context, unit_or_national_indicators
from .stats import submission_facts
from .workspace import unit_prose_files
from .yoy import read_weights



@dataclass
class Inputs:
    register: pd.DataFrame | None = None
    indicators: dict[str, Indicator] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    additions: Additions = field(default_factory=Additions)


def _read_inputs(params: Params) -> Inputs:
    inputs = Inputs()
    if params.data.submissions is not None:  # a unit's own report may have no register
        try:
            inputs.register, found = load_register(params.path(params.data.submissions), params.year,
                                                   report_date=params.document.date)
            inputs.problems += found
        except BaocaoError as exc:
            inputs.problems += exc.problems
    if params.data.indicators is not None:
        try:
            inputs.indicators, found = unit_or_national_indicators(params)
            inputs.problems += found
        except BaocaoError as exc:
            inputs.problems += exc.problems
            inputs.indicators = None  # type: ignore[assignment]  # unreadable, not empty
    inputs.additions = additions.load(params)
    inputs.problems += inputs.additions.problems
    return inputs


# How each file `compare:` names is read: as `yoy.compare` reads it, for the year compared with.
COMPARED_READERS = {"submissions": load_register, "indicators": read_unit_indicators, "weights": read_weights}


def _compared_problems(params: Params) -> list[Problem]:
    """The errors of last year's files that `compare:` names: they stop the render as this year's do. Their
    warnings were reported when last year's report was made and are not repeated."""
    compare, problems = params.compare, []
    for name, relative in compare.files.items() if compare is not None else ():
        try:
            COMPARED_READERS[name](params.path(relative), compare.year)
        except BaocaoError as exc:
            problems += exc.errors
    return problems


def _front_matter_lines(path: Path) -> dict[str, int]:
    """Front-matter key → its line in the file (the block starts on line 2), for messages about a key."""
    front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return {key[0]: line + 1 for key, line in key_lines(front).items() if len(key) == 1}


def read_prose_file(path: Path, ids: list[str]) -> tuple[Prose | None, list[Problem]]:
    """One prose file and the problems of its front matter (None when it cannot be used)."""
    try:
        prose = read_prose(path)
    except UnicodeDecodeError:
        return None, [Problem(file=str(path), message="tệp văn bản phải mã hóa UTF-8")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(file=str(path), row=mark.line + 2 if mark else None,  # front matter starts on line 2
                              message="phần đầu tệp (YAML giữa hai dòng ---) không hợp lệ: "
                                      + str(getattr(exc, "problem", exc)))]
    if not isinstance(prose.front_matter, dict):
        return None, [Problem(file=str(path), row=2, message="phần đầu tệp phải là các dòng «khóa: giá trị», ví dụ «muc: mo-dau»")]
    lines = _front_matter_lines(path)
    frame = pd.DataFrame([prose.front_matter], index=[1], dtype=object)
    found = schemas.validate(frame, schemas.front_matter_schema(ids), file=str(path), header_row=None, noun="khóa")
    problems = [Problem(**{**p.to_dict(), "row": lines.get(p.column or "", 1)}) for p in found]
    return (None if problems else prose), problems


def _read_prose(files: list[Path], ids: list[str]) -> tuple[list[Prose], list[Problem]]:
    """Every usable prose file; each `muc` names an outline item, and only one file may fill an item."""
    proses, problems, owner = [], [], {}
    for path in files:
        prose, found = read_prose_file(path, ids)
        problems += found
        if prose is None:
            continue
        if prose.item in owner:
            problems.append(Problem(file=str(path), row=_front_matter_lines(path).get("muc"), column="muc", value=prose.item,
                                    message=f"mục này đã có văn bản ở tệp {owner[prose.item].name}: mỗi mục một tệp"))
            continue
        owner[prose.item] = path
        proses.append(prose)
    return proses, problems


def _placeholder_context(params: Params, inputs: Inputs) -> dict:
    """What placeholders may name: the facts of the data, or, for an unreadable register, the same names."""
    register = inputs.register
    if register is None:
        columns = ["group", "unit"] + [f"{doc}_{part}" for doc in DOCUMENTS for part in ("number", "date")]
        register = pd.DataFrame(columns=columns)
    facts = {"submissions": submission_facts(register, params.deadlines),
             "indicators": {key: ind.facts(params.wording.percentage_points) for key, ind in (inputs.indicators or {}).items()}}
    facts |= additions.placeholder_facts(params, inputs.additions)
    return prose_context(params, facts)  # the one definition of what prose sees


def check_year(params: Params) -> list[Problem]:
    """Every error and warning in what the render of `params` would read, file paths relative to the project."""
    inputs = _read_inputs(params)
    proses, problems = _read_prose(unit_prose_files(params), outline_ids(params.outline))
    problems = inputs.problems + _compared_problems(params) + problems
    context = _placeholder_context(params, inputs)
    for prose in proses:
        _, found = render_prose(prose, context)
        if inputs.indicators is None:  # unknown because the table is broken, already reported
            found = [p for p in found if not (p.value or "").startswith("indicators.")]
        if "scoring" in inputs.additions.broken:  # the same for a broken scoring
            found = [p for p in found if not (p.value or "").startswith("scoring.")]
        problems += found
    return [p.relative_to(params.root) for p in problems]
