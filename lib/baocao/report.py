"""Build one report (params + data → facts + Markdown source) and write its outputs.

This is what the master notebook calls, cell by cell: the notebook is for reading and auditing, the logic
lives here where it is tested.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import atomic, figures, vnformat
from .claims import check_prose
from .document import build_markdown
from .errors import ERROR, WARNING, BaocaoError, Problem, raise_if_errors
from .indicators import Indicator, read_indicators
from .markdown import escape
from .narrative import read_prose, render_prose
from .params import Params, load_params, params_path
from .register import read_register
from .sentences import submissions_footnote
from .stats import submission_facts

SUBMISSIONS_NOTE = "bc-submissions"


@dataclass
class Report:
    params: Params
    register: pd.DataFrame
    indicators: dict[str, Indicator]
    facts: dict
    markdown: str = ""
    warnings: list[Problem] = field(default_factory=list)
    figures: list[figures.Figure] = field(default_factory=list)


def _context(params: Params, facts: dict) -> dict:
    """What prose placeholders see: every fact already formatted the Vietnamese way."""
    submissions = {
        group: {"total": vnformat.count(g["total"])} | {
            doc: {"received": vnformat.count(s["received"]), "late": vnformat.count(s["late"]),
                  "received_share": vnformat.percent(s["received"], g["total"]),
                  "missing": vnformat.count(s["missing"]), "missing_units": vnformat.join(map(escape, s["missing_units"]))}
            for doc, s in g.items() if doc != "total"}
        for group, g in facts["submissions"].items()}
    indicators = {
        key: {"name": f["name"], "value": f["value_text"], "change": f["change_text"], "year": str(f["year"]),
              "numerator": f["numerator_text"] or "", "denominator": f["denominator_text"] or ""}
        for key, f in facts["indicators"].items()}
    return {"submissions": submissions, "indicators": indicators,
            "footnotes": {"submissions": f"[^{SUBMISSIONS_NOTE}]"},
            "report": {"year": str(params.year), "next_year": str(params.year + 1)}}


def _prose_files(params: Params) -> list[Path]:
    folder = params.path(params.data.prose)
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def _prose(params: Params, context: dict) -> tuple[dict[str, str], list[Problem]]:
    texts, problems = {}, []
    for path in _prose_files(params):
        prose = read_prose(path)
        text, found = render_prose(prose, context)
        texts[prose.item] = text
        problems += found
    return texts, problems


def build(params: Params, strict: bool = False) -> Report:
    """Compute every fact, fill the prose, assemble the source; all data problems are raised together.

    Numbers typed in prose that contradict the register are warnings, or errors when `strict`.
    """
    problems: list[Problem] = []
    register = None
    try:
        register = read_register(params.path(params.data.submissions), params.year)
    except BaocaoError as exc:
        problems += exc.problems
    indicators = {}
    if params.data.indicators is not None:
        try:
            indicators, found = read_indicators(params.path(params.data.indicators))
            problems += found
        except BaocaoError as exc:
            problems += exc.problems
    raise_if_errors(problems)
    pp = params.wording.percentage_points
    facts = {"year": params.year, "unit": params.unit,
             "submissions": submission_facts(register, params.deadlines),
             "indicators": {key: ind.facts(pp) for key, ind in indicators.items()}}
    prose, found = _prose(params, _context(params, facts))
    facts["claims"], disagreeing = check_prose(_prose_files(params), facts["submissions"], params.year,
                                               ERROR if strict else WARNING, params.root)
    warnings = raise_if_errors(problems + found + disagreeing)
    report_figures = figures.plan(params.outline, facts)
    facts["figures"] = [figure.facts() for figure in report_figures]
    footnotes = {SUBMISSIONS_NOTE: submissions_footnote(facts["submissions"], params.agency.name)}
    illustrative = params.illustrative or any(i.illustrative for i in indicators.values())
    markdown = build_markdown(params, prose, footnotes, register, illustrative, report_figures)
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
