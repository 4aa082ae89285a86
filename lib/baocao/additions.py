"""What a report adds to the core (register, indicators, targets, comparison) when its data has it: a
province's register of its sở, ban, ngành and communes (`baocao.subunits`), its scoring of them
(`baocao.scoring`), and the «Dân vận khéo» models of any report (`baocao.models`).

One place reads them, for the render (`report.build`) and the check (`checks.check_year`) alike, and says
what each adds: facts, prose placeholders, outline tables, annexes and illustrative flags.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import models, scoring, subunits
from .errors import BaocaoError, Problem
from .params import Params


@dataclass
class Additions:
    register: subunits.SubunitRegister | None = None
    scoring: dict | None = None
    models: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # names of the facts whose files could not be read

    def facts(self) -> dict:
        """`subunits`, `scoring`, `models` of facts.json, for those the report has."""
        found = {"subunits": self.register.facts if self.register else None, "scoring": self.scoring, "models": self.models}
        return {name: value for name, value in found.items() if value is not None}

    def tables(self, params: Params) -> dict[str, str]:
        """The outline tables `subunits`, `ranking`, `models`."""
        tables = {}
        if self.register is not None:
            tables["subunits"] = subunits.table(self.register.facts, params.agency.name, params.year)
        if self.scoring is not None:
            tables["ranking"] = scoring.table(self.scoring, params.year)
        if self.models is not None:
            tables["models"] = models.table(self.models)
        return tables

    def annexes(self, attached: str) -> list[str]:
        """Annexes after the Bảng tổng hợp: the ranking."""
        return [scoring.annex(self.scoring, attached)] if self.scoring is not None else []

    def illustrative(self) -> dict[str, bool]:
        return {"subunits": self.register is not None and self.register.departments.illustrative,
                "scoring": bool(self.scoring and self.scoring["illustrative"]),
                "models": bool(self.models and self.models["illustrative"])}


def _read(additions: Additions, name: str, read) -> object:
    try:
        value, found = read()
    except BaocaoError as exc:
        additions.problems += exc.problems
        additions.broken.add(name)
        return None
    additions.problems += found
    return value


def load(params: Params) -> Additions:
    """Everything `params` names of the three, with every problem collected (none raised)."""
    data, additions = params.data, Additions()
    if data.subunits is not None and params.unit_record is not None:
        additions.register = _read(additions, "subunits", lambda: subunits.load(
            params.path(data.subunits), params.path(data.departments), params.unit_record, params.year,
            params.deadlines, params.document.date))
    if data.scores is not None:
        if additions.register is not None:
            additions.scoring = _read(additions, "scoring", lambda: scoring.load(params))
        else:
            additions.broken.add("scoring")
    if data.models is not None:
        additions.models = _read(additions, "models", lambda: models.load(params))
    return additions


def context(facts: dict) -> dict:
    """What prose placeholders see of the additions the facts hold, formatted the Vietnamese way."""
    from .stats import submissions_context

    formats = {"subunits": submissions_context, "scoring": scoring.context, "models": models.context}
    return {name: format(facts[name]) for name, format in formats.items() if name in facts}


def placeholder_facts(params: Params, additions: Additions) -> dict:
    """The facts a check fills placeholders from: those read, or, for a broken file whose names do not depend
    on its content, the same names with nothing counted (the scoring's band names come from its rubric, so a
    broken scoring has none: `broken` says which placeholders a check must not report)."""
    found = additions.facts()
    if params.data.subunits is not None and "subunits" not in found:
        found["subunits"] = subunits.placeholder_names()
    if params.data.models is not None and "models" not in found:
        found["models"] = models.facts(models.empty(), params.year)
    return found
