"""Stage 2 of a report: every figure the text, tables and charts show, computed from the `Inputs`.

`Facts` is typed: the submission counts per group and document, the unit's indicators and judged targets,
the year-on-year comparison and the notes on merged units. `Facts.as_dict` is the view `facts.json` holds
(its keys are the names prose placeholders and tests use), and `prose_context` is what placeholders see.

Facts are computed from whatever could be read: with a broken table the check still gets the names the
facts would have, so that prose placeholders are checked in the same run as the tables.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import additions, sentences, yoy
from .indicators import Indicator
from .inputs import Inputs
from .markdown import escape
from .params import Params
from .sandbox import Number
from .stats import submission_facts, submissions_context
from .targets import Result, judge
from .register import empty as empty_register
from .units import UnitRegistry

SUBMISSIONS_NOTE = "bc-submissions"
PREDECESSOR_NOTE = "bcpredecessor{}"  # numbered, no hyphen: the appendix grid wraps a cell at hyphens, never inside a word


@dataclass(frozen=True)
class Notes:
    """Footnotes about merged or renamed units: appendix unit → label, the report's own unit's reference,
    and label → note text."""

    appendix: dict[str, str] = field(default_factory=dict)
    own: str = ""
    texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    params: Params
    submissions: dict  # group → document → counts and unit lists (`stats.submission_facts`)
    indicators: dict[str, Indicator]
    targets: list[Result]
    comparison: yoy.Comparison | None
    notes: Notes
    illustrative: dict[str, list[str] | bool]  # which inputs are samples (`facts.json` «illustrative»)
    added: additions.Added = field(default_factory=additions.Added)  # a province's register, scoring; models

    @property
    def percentage_points(self) -> str:
        return self.params.wording.percentage_points

    @property
    def is_illustrative(self) -> bool:
        return bool(self.illustrative["report"])

    def as_dict(self) -> dict:
        """The computed part of `facts.json`, in its order (claims and figures are added by later stages)."""
        pp = self.percentage_points
        facts = {"year": self.params.year, "unit": self.params.unit, "submissions": self.submissions,
                 "indicators": {key: ind.facts(pp) for key, ind in self.indicators.items()},
                 "targets": [result.facts() for result in self.targets]}
        if self.comparison is not None:
            facts["compare"] = self.comparison.facts(pp)
        if self.notes.texts:
            facts["predecessor_notes"] = list(self.notes.texts.values())
        return facts | self.added.facts()

    def shown_tables(self) -> set[str]:
        """The computed tables (`params.TABLES`) this report has data for."""
        shown = {"targets"} if self.targets else set()
        if self.comparison is not None and (self.comparison.submissions is not None or self.comparison.indicators):
            shown.add("year_on_year")
        return shown | self.added.shown()

    def footnotes(self) -> dict[str, str]:
        """label → text of every footnote the program writes (who sent the report; merged units)."""
        notes = {}
        if self.submissions:
            notes[SUBMISSIONS_NOTE] = sentences.submissions_footnote(self.submissions, self.params.agency.name)
        return notes | self.notes.texts


def _notes(params: Params, register: pd.DataFrame | None, comparison: yoy.Comparison | None) -> Notes:
    """Merged or renamed units against the year compared with (last year when nothing is compared)."""
    previous = params.compare.year if params.compare is not None else params.year - 1
    texts = {}
    if params.appendix is not None and register is not None:
        texts = yoy.register_notes(register, UnitRegistry.load(), params.year, previous)
    labels = {unit: PREDECESSOR_NOTE.format(number) for number, unit in enumerate(texts, start=1)}
    footnotes = {labels[unit]: text + "." for unit, text in texts.items()}
    own = ""
    if comparison is not None and comparison.note:
        label = PREDECESSOR_NOTE.format(len(footnotes) + 1)
        footnotes[label], own = comparison.note + ".", f"[^{label}]"
    return Notes(appendix=labels, own=own, texts=footnotes)


def _illustrative(inputs: Inputs, indicators: dict[str, Indicator], targets: list[Result],
                  comparison: yoy.Comparison | None, added: additions.Added) -> dict[str, list[str] | bool]:
    flags: dict[str, list[str] | bool] = {
        "params": inputs.params.illustrative,
        "indicators": [key for key, ind in indicators.items() if ind.illustrative],
        "targets": [r.target.key for r in targets if r.target.illustrative or r.indicator.illustrative],
        "prose": [p.item for p in inputs.prose if p.front_matter.get("minh_hoa") is True],
    }
    if comparison is not None:
        flags["compare"] = [row.current.key for row in comparison.indicators if row.current.illustrative or row.mapped.illustrative]
    flags |= added.illustrative
    flags["report"] = any(flags.values())
    return flags


def compute(inputs: Inputs) -> Facts:
    """The facts of the report. With inputs that have errors, the comparison is left out and an unreadable
    register gives zero counts under the same names (for checking placeholders only)."""
    params = inputs.params
    register = inputs.register
    if register is None and params.data.submissions is not None:
        register = empty_register()
    submissions = {} if register is None else submission_facts(register, params.deadlines)
    indicators = inputs.indicators or {}
    targets = judge(inputs.targets, indicators)
    comparison = None
    if inputs.previous is not None and inputs.ok:
        comparison = yoy.compare(params, inputs.register, indicators, inputs.previous)
    added = additions.compute(inputs)
    return Facts(params=params, submissions=submissions, indicators=indicators, targets=targets,
                 comparison=comparison, notes=_notes(params, inputs.register, comparison),
                 illustrative=_illustrative(inputs, indicators, targets, comparison, added), added=added)


def _year(year: int) -> Number:
    return Number(str(year), year, "year")


def _part(text: str | None, value: float | None) -> Number | str:
    return "" if value is None else Number(text, value)


def prose_context(params: Params, facts: dict) -> dict:
    """What prose placeholders see: every fact already formatted the Vietnamese way; numbers are `Number`s,
    so that a placeholder may compute with them ({{ a - b }})."""
    submissions = submissions_context(facts["submissions"])
    indicators = {
        key: {"name": escape(f["name"]), "value": Number(f["value_text"], f["value"]), "change": escape(f["change_text"]),
              "year": _year(f["year"]), "numerator": _part(f["numerator_text"], f["numerator"]),
              "denominator": _part(f["denominator_text"], f["denominator"])}
        for key, f in facts["indicators"].items()}
    return {"submissions": submissions, "indicators": indicators,
            "footnotes": {"submissions": f"[^{SUBMISSIONS_NOTE}]"},
            "report": {"year": _year(params.year), "next_year": _year(params.year + 1)}} | _unit_context(params) | (
        additions.context(facts))


def _unit_context(params: Params) -> dict:
    """`unit.*` for a unit's own report: "Tây Ninh", "tỉnh Tây Ninh", "Ủy ban nhân dân tỉnh Tây Ninh"."""
    unit = params.unit_record
    if unit is None:
        return {}
    return {"unit": {"name": escape(unit.name), "full_name": escape(f"{unit.kind} {unit.name}"),
                     "agency": escape(params.agency.name)}}
