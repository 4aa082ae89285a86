"""Weights of last year's units (population, number surveyed…), to compare an index across a merger.

An index (PAR INDEX, SIPAS) of a merged unit cannot be summed or averaged as it is; `yoy` compares it only as
a mean weighted by what the analyst supplies here, and states the basis in the report.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import schemas
from .errors import Problem, raise_if_errors
from .filecache import by_file
from .indicators import YES_NO, resolve_units, validated_table
from .units import UnitRegistry

_W = schemas.WEIGHT_FIELDS


@dataclass(frozen=True)
class Weight:
    """One unit's weight (for every indicator, or for one), with its basis and source."""

    value: Decimal
    basis: str
    source: str
    illustrative: bool


Weights = dict[tuple[str, str], Weight]  # (unit name in the compared year, indicator key or "" for all)


@by_file
def read_weights(path: Path, year: int, registry: UnitRegistry | None = None) -> tuple[Weights, list[Problem]]:
    """The weights table of `year`'s units; all errors are raised at once."""
    frame, where, problems = validated_table(path, schemas.WEIGHTS)
    units, found = resolve_units(frame, _W["unit"], _W["key"], year, registry, where)
    raise_if_errors(problems + found)
    weights = {(units[row], c[_W["key"]]): Weight(Decimal(c[_W["weight"]]), c[_W["basis"]], c[_W["source"]],
                                                   YES_NO[c[_W["illustrative"]].casefold()])
               for row, c in frame.iterrows()}
    return weights, problems
