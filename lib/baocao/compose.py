"""Stage 4 of a report: the Markdown source, from checked facts and prose (`checks.Checked`).

Composing adds what only the document needs: the computed tables an outline item asks for, the numbered
charts, the footnotes, the appendix and, for a draft, the reviewers' annex. `Report` is what the master
notebook and `write_outputs` use.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import figures, review, sentences, yoy
from .checks import Checked
from .document import attached_line, build_markdown
from .errors import Problem
from .facts import Facts
from .indicators import Indicator
from .params import Params
from .readiness import illustrative_reason
from .targets import targets_table


@dataclass
class Report:
    params: Params
    register: pd.DataFrame | None
    indicators: dict[str, Indicator]
    facts: dict  # what facts.json holds
    markdown: str = ""
    warnings: list[Problem] = field(default_factory=list)  # the data check's warnings
    figures: list[figures.Figure] = field(default_factory=list)
    readiness: list[Problem] = field(default_factory=list)  # what still keeps it from being signed (warnings)


def _comparison_table(facts: Facts) -> dict[str, str]:
    """The `year_on_year` table: submissions (with their sentence) in the national report, the unit's
    indicators (with how last year's figures were made) in a unit's report."""
    params, comparison = facts.params, facts.comparison
    pp = facts.percentage_points
    parts = []
    if comparison.submissions is not None:
        parts += [sentences.submissions_comparison(comparison.submissions, params.agency.name, params.year, comparison.year),
                  yoy.submissions_table(comparison)]
    if comparison.indicators:
        unit = params.unit_record
        parts += [sentences.indicators_comparison_intro(f"{unit.kind} {unit.name}", params.year, comparison.year, facts.notes.own),
                  yoy.indicators_table(comparison, pp), *yoy.indicator_notes(comparison)]
    return {"year_on_year": "\n\n".join(parts)} if parts else {}


def tables(facts: Facts) -> dict[str, str]:
    """Table name (`params.TABLES`) → its Markdown, for the tables this report has data for."""
    shown = {"targets": targets_table(facts.targets)} if facts.targets else {}
    if facts.comparison is not None:
        shown |= _comparison_table(facts)
    return shown | facts.added.tables(facts.params)


def compose(checked: Checked, draft: bool = False) -> Report:
    """The report of a unit whose check found no error. A `draft` carries the "DỰ THẢO" mark and the
    reviewers' annex (`review.annex`)."""
    inputs, facts = checked.inputs, checked.facts
    params = inputs.params
    json_facts = facts.as_dict()
    json_facts["claims"] = checked.claims
    report_figures = figures.plan(params.outline, json_facts)
    json_facts["figures"] = [figure.facts() for figure in report_figures]
    json_facts["illustrative"] = facts.illustrative
    annex = ""
    if draft:
        annex = review.annex(params.root, inputs.files(), checked.data, checked.claims, checked.readiness,
                             illustrative_reason(checked.readiness, params.root) if facts.is_illustrative else "")
    register, groups = facts.added.appendix(inputs.register)  # a province's own register when it keeps one
    markdown = build_markdown(params, checked.prose, facts.footnotes(), register, facts.is_illustrative,
                              tables(facts), report_figures, annex, facts.notes.appendix, groups,
                              facts.added.annexes(attached_line(params)))
    return Report(params=params, register=inputs.register, indicators=facts.indicators, facts=json_facts,
                  markdown=markdown, warnings=checked.data, figures=report_figures, readiness=checked.readiness)
