"""Stage 3 of a report: the one check. `baocao check`, `baocao render`, the batch's pre-check and the master
notebook all call `check`, so they can never disagree about a unit.

It goes on past a broken table: prose placeholders are still checked against the names the facts would have,
so that one run lists the problems of every file. It finds, in order: the problems of reading the inputs
(`inputs`), of prose placeholders (`narrative`), typed figures that contradict the computed ones (`claims`),
outline items left empty, and what still stands between the report and a signature (`readiness`).

Typed figures that disagree are warnings, errors with `strict`; readiness findings are warnings, errors with
`final` (ready to sign), which also makes disagreeing figures errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import claims, readiness
from .document import empty_items
from .errors import ERROR, WARNING, Problem
from .facts import Facts, compute, prose_context
from .inputs import Inputs
from .narrative import render_prose
from .params import Params, outline_items
from .schemas import IMPLAUSIBLE


@dataclass(frozen=True)
class Checked:
    """The facts of a unit, its filled prose and every problem found, split into the data check's
    (`data`) and what a signature still waits for (`readiness`)."""

    inputs: Inputs
    facts: Facts
    prose: dict[str, str]  # outline item → prose with its placeholders filled
    claims: list[dict]  # every figure typed in prose, with the computed one (`facts.json` «claims»)
    data: list[Problem] = field(default_factory=list)
    readiness: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.data + self.readiness

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


def _empty_warnings(params: Params, prose: dict[str, str], tables: set[str]) -> list[Problem]:
    return [Problem(file=str(params.outline_source), row=params.outline_line(item.id), column="id", value=item.id,
                    severity=WARNING, message=f"mục chưa có nội dung: không có số liệu và không có văn bản "
                                              f"({params.data.prose}/{item.id}.md); báo cáo ghi rõ mục này còn trống")
            for item in empty_items(params.outline, prose, tables)]


def _unplaced_comparison(params: Params) -> list[Problem]:
    """`compare:` without an outline item showing `year_on_year` would compute a comparison nobody reads."""
    if params.compare is None or any("year_on_year" in item.tables for item in outline_items(params.outline)):
        return []
    return [Problem(file=str(params.source), column="compare", severity=WARNING,
                    message="có so sánh với năm trước nhưng chưa mục nào của đề cương in bảng so sánh: "
                            "thêm «tables: [year_on_year]» vào một mục (outline)")]


def _fill_prose(inputs: Inputs, facts: Facts) -> tuple[dict[str, str], list[Problem]]:
    context = prose_context(inputs.params, facts.as_dict())
    texts, problems = {}, []
    for prose in inputs.prose:
        text, found = render_prose(prose, context)
        if inputs.indicators is None:  # names unknown because the table is broken, already reported
            found = [p for p in found if not (p.value or "").startswith("indicators.")]
        texts[prose.item] = text
        problems += found
    return texts, problems


def check(inputs: Inputs, strict: bool = False, final: bool = False) -> Checked:
    """Every problem of the report `inputs` make, with its facts and filled prose."""
    params = inputs.params
    facts = compute(inputs)
    prose, problems = _fill_prose(inputs, facts)
    # figures out of their kind's range are said once, by `readiness`, at the severity of the mode
    problems = [p for p in inputs.problems if p.message not in IMPLAUSIBLE] + problems
    # typed figures are compared only with facts computed from tables that could be read
    records, found = claims.check_report(inputs.prose, facts, ERROR if strict or final else WARNING, params.root,
                                         submissions=inputs.register is not None,
                                         indicators=inputs.indicators is not None
                                         and (params.compare is None or facts.comparison is not None))
    problems += found
    if not any(p.severity == ERROR for p in problems):
        problems += _empty_warnings(params, prose, facts.shown_tables()) + _unplaced_comparison(params)
    found = readiness.findings(inputs, facts, ERROR if final else WARNING)
    return Checked(inputs=inputs, facts=facts, prose=prose, claims=records, data=problems, readiness=found)
