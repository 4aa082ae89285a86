"""What a report adds to the core (register, indicators, targets, comparison) when its data has it: a
province's register of its sở, ban, ngành and communes (`baocao.subunits`), its scoring of them
(`baocao.scoring`), and the «Dân vận khéo» models of any report (`baocao.models`).

Their files are read once, by the inputs stage (`inputs.Own`). Here, in the facts stage, they become `Added`,
which says what each gives the later stages: its entries of facts.json, its prose placeholders (filled and
checked by `checks`), its outline tables and annexes (`compose`), and whether it is a sample.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import models, scoring, subunits
from .inputs import Inputs
from .params import Params
from .register import empty as empty_register
from .stats import submissions_context
from .vocabulary import GROUPS, SUBUNIT_GROUPS


_TABLES = {"subunits": "subunits", "scoring": "ranking", "models": "models"}  # facts → the outline table showing them


@dataclass(frozen=True)
class Added:
    """The facts of what `inputs.Own` read. A file named but unreadable still gives its placeholder names
    (nothing counted) where those names do not depend on its content; the scoring's band names come from
    its rubric, so `unknown` lists the placeholders a check cannot judge."""

    register: pd.DataFrame | None = None  # the province's register: its Bảng tổng hợp
    subunits: dict | None = None
    scoring: dict | None = None
    models: dict | None = None
    illustrative: dict[str, bool] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()  # prefixes of placeholder names («scoring.»)

    def facts(self) -> dict:
        """`subunits`, `scoring`, `models` of facts.json, for those the report has."""
        found = {"subunits": self.subunits, "scoring": self.scoring, "models": self.models}
        return {name: value for name, value in found.items() if value is not None}

    def shown(self) -> set[str]:
        """The outline tables (`params.TABLES`) this report has data for."""
        return {table for name, table in _TABLES.items() if getattr(self, name) is not None}

    def tables(self, params: Params) -> dict[str, str]:
        """The outline tables `subunits`, `ranking`, `models` this report has data for."""
        tables = {}
        if self.subunits is not None:
            tables["subunits"] = subunits.table(self.subunits, params.agency.name, params.year)
        if self.scoring is not None:
            tables["ranking"] = scoring.table(self.scoring, params.year)
        if self.models is not None:
            tables["models"] = models.table(self.models)
        return tables

    def appendix(self, national: pd.DataFrame | None) -> tuple[pd.DataFrame | None, dict[str, str]]:
        """The register the Bảng tổng hợp prints, with its groups: the province's own when it keeps one."""
        return (national, GROUPS) if self.register is None else (self.register, SUBUNIT_GROUPS)

    def annexes(self, attached: str) -> list[str]:
        """Annexes after the Bảng tổng hợp: the ranking."""
        return [scoring.annex(self.scoring, attached)] if self.scoring is not None else []


def compute(inputs: Inputs) -> Added:
    """The facts of the additions `inputs` read (an unreadable register or table of models counts nothing)."""
    params, own = inputs.params, inputs.own
    data = params.data
    found = {}
    if data.subunits is not None:
        register = own.register if own.register is not None else empty_register()
        found["subunits"] = subunits.facts(register, params.deadlines)
    if own.scores is not None:
        found["scoring"] = scoring.facts(own.scores.rubric, own.scores.scored, own.roster)
    if data.models is not None:
        found["models"] = models.facts(own.models if own.models is not None else models.empty(), params.year)
    illustrative = {"subunits": own.register is not None and own.roster.departments.illustrative,
                    "scoring": bool(found.get("scoring", {}).get("illustrative")),
                    "models": own.models is not None and found["models"]["illustrative"]}
    unknown = ("scoring.",) if data.scores is not None and own.scores is None else ()
    return Added(register=own.register, illustrative=illustrative, unknown=unknown, **found)


def context(facts: dict) -> dict:
    """What prose placeholders see of the additions facts.json holds, formatted the Vietnamese way."""
    formats = {"subunits": submissions_context, "scoring": scoring.context, "models": models.context}
    return {name: format(facts[name]) for name, format in formats.items() if name in facts}
