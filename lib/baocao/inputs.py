"""Stage 1 of a report: read everything one unit's report uses, once, into one `Inputs` value.

The stages are `inputs` (this module) → `facts` (what is computed) → `checks` (every problem, the readiness
to sign included) → `compose` (the Markdown source). `baocao check`, `baocao render`, the batch's pre-check
and the master notebook all start here, so they read the same files the same way.

Reading never stops at the first broken file: each reader's problems are collected, and what could be read is
kept (a broken table is None, not empty), so that one check lists the problems of every file at once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TypeVar

import pandas as pd

from . import models, scoring, subunits
from .errors import ERROR, BaocaoError, Problem
from .indicators import Indicator, read_unit_indicators, report_indicators
from .narrative import Prose, read_prose_paths
from .params import PROVINCE_DEFAULTS, Params, outline_ids
from .readers import table_file
from .register import load_register
from .targets import Target, own_targets
from .weights import Weights, read_weights
from .workspace import unit_prose_files, own_prose_folder

T = TypeVar("T")


@dataclass(frozen=True)
class Previous:
    """Last year's files that `compare:` names, as read for the year compared with."""

    year: int
    register: pd.DataFrame | None = None
    indicators: dict[str, dict[str, Indicator]] | None = None  # unit name → key → indicator
    weights: Weights = field(default_factory=dict)


@dataclass(frozen=True)
class Own:
    """What a report adds when its data has it: a province's register of its own sở, ban, ngành and communes
    (`data.subunits`, read against `roster`: the list `data.departments` and the communes), its scoring of
    them (`data.rubric`, `data.bands`, `data.scores`), and the «Dân vận khéo» models of any report
    (`data.models`). A file named but unreadable leaves its value None."""

    roster: subunits.SubunitRoster | None = None
    register: pd.DataFrame | None = None
    scores: scoring.Scoring | None = None
    models: pd.DataFrame | None = None


@dataclass(frozen=True)
class Inputs:
    """What one unit's report reads: its params, tables, prose and last year's files, with every problem
    found while reading them. A table that could not be read is None."""

    params: Params
    register: pd.DataFrame | None
    indicators: dict[str, Indicator] | None
    targets: list[Target]
    prose: list[Prose]
    previous: Previous | None
    problems: list[Problem]
    own: Own = field(default_factory=lambda: Own())

    @property
    def ok(self) -> bool:
        """Whether everything could be read without an error (warnings allowed)."""
        return not any(p.severity == ERROR for p in self.problems)

    def params_files(self) -> list[Path]:
        """The params file, the province defaults it builds on and the shared outline it names."""
        params = self.params
        files = [params.source.parent / PROVINCE_DEFAULTS, params.source, params.outline_source]
        return list(dict.fromkeys(f for f in files if f.is_file()))

    def files(self) -> list[Path]:
        """Every file or folder the report reads, for the review annex (a province's own prose folder included)."""
        params = self.params
        tables = [path for name, path in params.data.files.items() if name != "prose"]
        if params.compare is not None:
            tables += list(params.compare.files.values())
        folders = [params.path(params.data.prose), own_prose_folder(params)]
        return [params.source, *(table_file(params.path(p)) for p in tables),  # a workspace names tables by stem
                *(folder for folder in folders if folder is not None and folder.is_dir())]


def _read(problems: list[Problem], read: Callable[[], tuple[T, list[Problem]]], errors_only: bool = False) -> T | None:
    """Run one reader; its problems join `problems` (only its errors with `errors_only`); None when it failed."""
    try:
        value, found = read()
    except BaocaoError as exc:
        problems += exc.errors if errors_only else exc.problems
        return None
    problems += [] if errors_only else found
    return value


def _previous(params: Params, problems: list[Problem]) -> Previous | None:
    """Last year's files: their errors stop this report as this year's do; their warnings were reported when
    last year's report was made and are not repeated."""
    spec = params.compare
    if spec is None:
        return None
    register = indicators = None
    weights: Weights = {}
    if spec.submissions is not None:
        register = _read(problems, lambda: load_register(params.path(spec.submissions), spec.year), errors_only=True)
    if spec.indicators is not None:
        indicators = _read(problems, lambda: read_unit_indicators(params.path(spec.indicators), spec.year), errors_only=True)
    if spec.weights is not None:
        weights = _read(problems, lambda: read_weights(params.path(spec.weights), spec.year), errors_only=True) or {}
    return Previous(year=spec.year, register=register, indicators=indicators, weights=weights)


def read_inputs(params: Params) -> Inputs:
    """Read what the report of `params` uses; never raises for a problem of the data (see `Inputs.problems`)."""
    problems: list[Problem] = []
    data = params.data
    register, indicators = None, {}
    if data.submissions is not None:  # a unit's own report may have no register
        register = _read(problems, lambda: load_register(params.path(data.submissions), params.year,
                                                         report_date=params.document.date))
    if data.indicators is not None:
        indicators = _read(problems, lambda: report_indicators(params.path(data.indicators), params.unit_record,
                                                               params.year))
    targets: list[Target] = []
    if data.targets is not None and params.unit_record is not None and indicators is not None:
        targets = _read(problems, lambda: own_targets(params.path(data.targets), params.unit_record, params.year, indicators)) or []
    previous = _previous(params, problems)
    own = _own(params, problems)
    paths = [params.path(path) for path in unit_prose_files(params)]  # a link leading outside is refused
    prose, found = read_prose_paths(paths, outline_ids(params.outline))
    return Inputs(params=params, register=register, indicators=indicators, targets=targets, prose=prose,
                  previous=previous, problems=problems + found, own=own)


def _unchecked(path: Path, what: str, why: str) -> Problem:
    """`path` (a table, maybe named by its stem: the message names the file) could not be checked."""
    try:
        path = table_file(path)
    except BaocaoError:  # no file by that name: the stem is named
        pass
    return Problem(file=str(path), message=f"chưa kiểm tra được {what}: {why}")


def _roster(params: Params, problems: list[Problem]) -> subunits.SubunitRoster | None:
    """Who reports to the province: its list of sở, ban, ngành (none listed without `data.departments`) and its
    communes; None when the list cannot be read."""
    departments = subunits.Departments((), illustrative=False)
    if params.data.departments is not None:
        departments = _read(problems, lambda: subunits.read_departments(params.path(params.data.departments)))
    return None if departments is None else subunits.SubunitRoster(departments, params.unit_record, params.year)


def _own(params: Params, problems: list[Problem]) -> Own:
    data = params.data
    roster = None
    if params.unit_record is not None and any(p is not None for p in (data.subunits, data.scores, data.models)):
        roster = _roster(params, problems)
    broken = "danh sách sở, ban, ngành có lỗi"
    register = scored = rows = None
    if data.subunits is not None:
        if roster is None:
            problems.append(_unchecked(params.path(data.subunits), "sổ theo dõi", broken))
        else:
            register = _read(problems, lambda: subunits.read_register(params.path(data.subunits), roster, params.year,
                                                                      params.document.date))
    if data.scores is not None:
        if roster is None:
            problems.append(_unchecked(params.path(data.scores), "bảng điểm", broken))
        else:
            scored = _read(problems, lambda: scoring.read(params.path(data.rubric), params.path(data.bands),
                                                          params.path(data.scores), roster))
    if data.models is not None:
        if params.unit_record is None:
            rows = _read(problems, lambda: models.read_models(params.path(data.models), params.year,
                                                              models.national_resolver(params.year)))
        elif roster is None:
            problems.append(_unchecked(params.path(data.models), "bảng mô hình", broken))
        else:
            rows = _read(problems, lambda: models.read_models(params.path(data.models), params.year,
                                                              lambda name: roster.find(name).name))
    return Own(roster=roster, register=register, scores=scored, models=rows)
