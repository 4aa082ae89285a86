"""Stage 4 of a report: the Markdown source, from checked facts and prose (`checks.Checked`).

Composing adds what only the document needs: the computed tables an outline item asks for, the numbered
charts, the footnotes, the appendix and, for a draft, the reviewers' annex. `Report` is what the master
notebook and `write_outputs` use.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from . import anchors as anchoring
from . import figures, redline, review, sentences, yoy
from .checks import Checked
from .readers import table_file
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
    anchors: dict = field(default_factory=dict)  # bookmark → where its paragraph comes from (`anchors`)
    changes: redline.Changes | None = None  # a draft compared with the previous output: what changed


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


def tables(facts: Facts, anchors: anchoring.Anchors | None = None) -> dict[str, str]:
    """Table name (`params.TABLES`) → its Markdown, for the tables this report has data for; with `anchors`,
    each marked as computed, with the data file and row of each of its rows."""
    shown = {"targets": targets_table(facts.targets)} if facts.targets else {}
    if facts.comparison is not None:
        shown |= _comparison_table(facts)
    shown |= facts.added.tables(facts.params)  # a province's own tables
    if anchors is None:
        return shown
    rows = {"targets": anchors.target_rows(facts.targets), "year_on_year": anchors.indicator_rows(facts.indicators)}
    return {name: anchors.data(name, markdown, rows.get(name)) for name, markdown in shown.items()}


def anchored_prose(checked: Checked, anchors: anchoring.Anchors) -> dict[str, str]:
    """Outline item → its filled prose, each block wrapped in its anchor (an empty text stays empty)."""
    files = {prose.item: prose for prose in checked.inputs.prose}
    return {item: anchors.prose(files[item], text) if text.strip() and item in files else text
            for item, text in checked.prose.items()}


def compose(checked: Checked, draft: bool = False, compared: tuple[redline.Previous | None, dt.date] | None = None) -> Report:
    """The report of a unit whose check found no error. A `draft` carries the "DỰ THẢO" mark and the
    reviewers' annex (`review.annex`); `compared` (a draft's previous output, None for a first one, and the
    render date) adds what changed since (`redline`): the annex lists it, the source marks its paragraphs."""
    inputs, facts = checked.inputs, checked.facts
    params = inputs.params
    json_facts = facts.as_dict()
    json_facts["claims"] = checked.claims
    report_figures = figures.plan(params.outline, json_facts)
    json_facts["figures"] = [figure.facts() for figure in report_figures]
    json_facts["illustrative"] = facts.illustrative
    footnotes = facts.footnotes()
    register, groups = facts.added.appendix(inputs.register)  # a province's own register when it keeps one
    own_register = table_file(params.path(params.data.subunits)) if register is not inputs.register else None
    anchors = anchoring.for_report(params, own_register, facts.indicators, facts.targets, list(footnotes))

    def source(changes: redline.Changes | None = None) -> str:
        annex = ""
        if draft:
            annex = review.annex(params.root, inputs.files(), checked.data, checked.claims, checked.readiness,
                                 illustrative_reason(checked.readiness, params.root) if facts.is_illustrative else "",
                                 changes.annex(params.root) if changes else "")
        return build_markdown(params, anchored_prose(checked, anchors), footnotes, register,
                              facts.is_illustrative, tables(facts, anchors), report_figures, annex,
                              facts.notes.appendix, anchors, groups, facts.added.annexes(attached_line(params)))

    markdown, changes = source(), None
    if draft and compared is not None:  # the body does not depend on the annex: compare, then list and mark
        previous, date = compared
        changes = redline.compare(previous, markdown, json_facts, params, date)
        markdown = redline.mark_blocks(source(changes), changes.changed_blocks)
    return Report(params=params, register=inputs.register, indicators=facts.indicators, facts=json_facts,
                  markdown=markdown, warnings=checked.data, figures=report_figures, readiness=checked.readiness,
                  anchors=anchors.records, changes=changes)
