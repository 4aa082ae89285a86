"""Build one report (params + data → facts + Markdown source) and write its outputs.

This is what the master notebook calls, cell by cell: the notebook is for reading and auditing, the logic
lives here where it is tested.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import additions, atomic, figures, review, sentences, subunits, workspace, yoy
from .claims import check_prose
from .document import attached_line, build_markdown, empty_items
from .errors import ERROR, WARNING, BaocaoError, Problem, raise_if_errors
from .indicators import Indicator, read_indicators
from .markdown import escape
from .narrative import read_prose, render_prose
from .params import Params, load_params, outline_items, params_path
from .register import GROUPS, load_register
from .stats import submission_facts, submissions_context
from .targets import targets_table, unit_indicators, unit_targets
from .units import UnitRegistry

SUBMISSIONS_NOTE = "bc-submissions"
PREDECESSOR_NOTE = "bcpredecessor{}"  # numbered, no hyphen: the appendix grid wraps a cell at hyphens, never inside a word


@dataclass
class Report:
    params: Params
    register: pd.DataFrame
    indicators: dict[str, Indicator]
    facts: dict
    markdown: str = ""
    warnings: list[Problem] = field(default_factory=list)
    figures: list[figures.Figure] = field(default_factory=list)


def prose_context(params: Params, facts: dict) -> dict:
    """What prose placeholders see: every fact already formatted the Vietnamese way."""
    submissions = submissions_context(facts["submissions"])
    indicators = {
        key: {"name": escape(f["name"]), "value": f["value_text"], "change": f["change_text"], "year": str(f["year"]),
              "numerator": f["numerator_text"] or "", "denominator": f["denominator_text"] or ""}
        for key, f in facts["indicators"].items()}
    return {"submissions": submissions, "indicators": indicators,
            "footnotes": {"submissions": f"[^{SUBMISSIONS_NOTE}]"},
            "report": {"year": str(params.year), "next_year": str(params.year + 1)}} | _unit_context(params) | (
        additions.context(facts))


def _unit_context(params: Params) -> dict:
    """`unit.*` for a unit's own report: "Tây Ninh", "tỉnh Tây Ninh", "Ủy ban nhân dân tỉnh Tây Ninh"."""
    unit = params.unit_record
    if unit is None:
        return {}
    return {"unit": {"name": unit.name, "full_name": f"{unit.kind} {unit.name}", "agency": params.agency.name}}


def _prose(params: Params, context: dict) -> tuple[dict[str, str], list[Problem], list[str]]:
    """Filled prose per item, the problems found, and the items whose prose is marked `minh_hoa: true`."""
    texts, problems, illustrative = {}, [], []
    for path in workspace.unit_prose_files(params):
        prose = read_prose(path)
        text, found = render_prose(prose, context)
        texts[prose.item] = text
        problems += found
        if prose.front_matter.get("minh_hoa") is True:
            illustrative.append(prose.item)
    return texts, problems, illustrative


def unit_or_national_indicators(params: Params) -> tuple[dict[str, Indicator], list[Problem]]:
    """The national table as is; a unit's report reads its own rows of the shared per-unit table."""
    path = params.path(params.data.indicators)
    if params.unit_record is None:
        return read_indicators(path)
    return unit_indicators(path, params.unit_record, params.year)


def _empty_warnings(params: Params, prose: dict[str, str], tables: dict[str, str]) -> list[Problem]:
    return [Problem(file=str(params.outline_source), row=params.outline_line(item.id), column="id", value=item.id,
                    severity=WARNING, message=f"mục chưa có nội dung: không có số liệu và không có văn bản "
                                              f"({params.data.prose}/{item.id}.md); báo cáo ghi rõ mục này còn trống")
            for item in empty_items(params.outline, prose, tables)]


def _inputs(params: Params) -> list[Path]:
    """Every file or folder the report reads, for the review annex."""
    data = params.data
    named = [data.submissions, data.indicators, data.targets, data.subunits, data.departments, data.rubric, data.bands,
             data.scores, data.models, data.prose]
    if params.compare is not None:
        named += list(params.compare.files.values())
    return [params.source, *(params.path(p) for p in named if p is not None)]


def _predecessor_notes(params: Params, register: pd.DataFrame | None, comparison: yoy.Comparison | None
                       ) -> tuple[dict[str, str], str, dict[str, str]]:
    """(appendix unit → footnote label, the report's own unit's footnote reference, label → note text): merged
    or renamed units against the year compared with (last year when nothing is compared)."""
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
    return labels, own, footnotes


def _comparison_table(params: Params, comparison: yoy.Comparison, own_note: str) -> dict[str, str]:
    """The `year_on_year` table: submissions (with their sentence) in the national report, the unit's
    indicators (with how last year's figures were made) in a unit's report."""
    pp = params.wording.percentage_points
    parts = []
    if comparison.submissions is not None:
        parts += [sentences.submissions_comparison(comparison.submissions, params.agency.name, params.year, comparison.year),
                  yoy.submissions_table(comparison)]
    if comparison.indicators:
        unit = params.unit_record
        parts += [sentences.indicators_comparison_intro(f"{unit.kind} {unit.name}", params.year, comparison.year, own_note),
                  yoy.indicators_table(comparison, pp), *yoy.indicator_notes(comparison)]
    return {"year_on_year": "\n\n".join(parts)} if parts else {}


def _unplaced_comparison(params: Params) -> list[Problem]:
    """`compare:` without an outline item showing `year_on_year` would compute a comparison nobody reads."""
    if params.compare is None or any("year_on_year" in item.tables for item in outline_items(params.outline)):
        return []
    return [Problem(file=str(params.source), column="compare", severity=WARNING,
                    message="có so sánh với năm trước nhưng chưa mục nào của đề cương in bảng so sánh: "
                            "thêm «tables: [year_on_year]» vào một mục (outline)")]


def build(params: Params, strict: bool = False, draft: bool = False) -> Report:
    """Compute every fact, fill the prose, assemble the source; all data problems are raised together.

    Numbers typed in prose that contradict the register are warnings, or errors when `strict`. A `draft`
    carries the "DỰ THẢO" mark and the reviewers' annex (`review.annex`).
    """
    problems: list[Problem] = []
    register = None
    if params.data.submissions is not None:
        try:
            register, found = load_register(params.path(params.data.submissions), params.year,
                                            report_date=params.document.date)
            problems += found
        except BaocaoError as exc:
            problems += exc.problems
    indicators = {}
    if params.data.indicators is not None:
        try:
            indicators, found = unit_or_national_indicators(params)
            problems += found
        except BaocaoError as exc:
            problems += exc.problems
    targets = []
    if params.data.targets is not None and params.unit_record is not None and not problems:
        try:
            targets, found = unit_targets(params.path(params.data.targets), params.unit_record, params.year, indicators)
            problems += found
        except BaocaoError as exc:
            problems += exc.problems
    added = additions.load(params)
    problems += added.problems
    comparison = None
    if params.compare is not None and not problems:
        try:
            comparison = yoy.compare(params, register, indicators)
        except BaocaoError as exc:
            problems += exc.problems
    raise_if_errors(problems)
    pp = params.wording.percentage_points
    facts = {"year": params.year, "unit": params.unit,
             "submissions": {} if register is None else submission_facts(register, params.deadlines),
             "indicators": {key: ind.facts(pp) for key, ind in indicators.items()},
             "targets": [result.facts() for result in targets]}
    if comparison is not None:
        facts["compare"] = comparison.facts(pp)
    facts |= added.facts()
    appendix_notes, own_note, predecessor_notes = _predecessor_notes(params, register, comparison)
    if predecessor_notes:
        facts["predecessor_notes"] = list(predecessor_notes.values())
    prose, found, illustrative_prose = _prose(params, prose_context(params, facts))
    facts["claims"], disagreeing = check_prose(workspace.unit_prose_files(params), facts["submissions"], params.year,
                                               ERROR if strict else WARNING, params.root)
    tables = {"targets": targets_table(targets)} if targets else {}
    if comparison is not None:
        tables |= _comparison_table(params, comparison, own_note)
    tables |= added.tables(params)
    warnings = (raise_if_errors(problems + found + disagreeing) + _empty_warnings(params, prose, tables)
                + _unplaced_comparison(params))
    report_figures = figures.plan(params.outline, facts)
    facts["figures"] = [figure.facts() for figure in report_figures]
    footnotes = {SUBMISSIONS_NOTE: sentences.submissions_footnote(facts["submissions"], params.agency.name)} if register is not None else {}
    footnotes |= predecessor_notes
    facts["illustrative"] = {
        "params": params.illustrative,
        "indicators": [key for key, ind in indicators.items() if ind.illustrative],
        "targets": [t["code"] for t in facts["targets"] if t["illustrative"]],
        "prose": illustrative_prose,
    } | added.illustrative()
    if comparison is not None:
        facts["illustrative"]["compare"] = [row["key"] for row in facts["compare"]["indicators"] if row["illustrative"]]
    illustrative = any(facts["illustrative"].values())
    facts["illustrative"]["report"] = illustrative
    annex = review.annex(params.root, _inputs(params), warnings, facts["claims"]) if draft else ""
    appended, groups = (register, GROUPS) if added.register is None else (added.register.frame, subunits.GROUPS)
    markdown = build_markdown(params, prose, footnotes, appended, illustrative, tables, report_figures, annex,
                              appendix_notes, groups, added.annexes(attached_line(params)))
    return Report(params=params, register=register, indicators=indicators, facts=facts,
                  markdown=markdown, warnings=warnings, figures=report_figures)


def build_for(year: int, unit: str = "toan-quoc", root: Path | None = None, params_file: Path | None = None) -> Report:
    return build(load_params(params_file or params_path(year, unit, root)))


def write_outputs(report: Report, outdir: Path, formats=("docx", "pdf")) -> dict[str, Path]:
    """facts.json, the figures and the Markdown source first, then the rendered documents; each file lands
    atomically. Figures go to `figures/` beside the source, which names them by that relative path."""
    from .render import render

    outdir.mkdir(parents=True, exist_ok=True)
    paths = {
        "facts": atomic.write_text(outdir / "facts.json", json.dumps(report.facts, ensure_ascii=False, indent=2) + "\n"),
    }
    paths.update({figure.file: figure.write(outdir) for figure in report.figures})
    paths["source"] = atomic.write_text(outdir / "bao-cao.md", report.markdown)
    paths.update(render(paths["source"], outdir, formats=formats))
    return paths


def submissions_table(report: Report) -> pd.DataFrame:
    """Received / late / missing per group and document, for reading in the notebook."""
    rows = []
    for group, g in report.facts["submissions"].items():
        for doc, s in g.items():
            if doc != "total":
                rows.append({"Nhóm": group, "Văn bản": doc, "Tổng số đơn vị": g["total"], "Đã gửi": s["received"],
                             "Gửi muộn": s["late"], "Chưa gửi": s["missing"]})
    return pd.DataFrame(rows)
