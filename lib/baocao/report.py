"""Build one report (params → inputs → facts → check → Markdown source) and write its outputs.

This is what the master notebook calls, cell by cell: the notebook is for reading and auditing, the logic
lives in the stages (`inputs`, `facts`, `checks`, `compose`), where it is tested.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import atomic, checks
from .compose import Report, compose
from .errors import BaocaoError
from .inputs import read_inputs
from .params import Params, load_params, params_path
from .units import NATIONAL_SLUG


def build(params: Params, strict: bool = False, draft: bool = False, final: bool = False) -> Report:
    """Read, compute, check and compose; every problem of the check is raised together when one is an error.

    Numbers typed in prose that contradict computed ones are warnings, errors when `strict` or `final`; what
    keeps the report from being signed (`readiness`) is a warning, an error when `final`.
    """
    checked = checks.check(read_inputs(params), strict=strict, final=final)
    if not checked.ok:
        raise BaocaoError(checked.problems)
    return compose(checked, draft=draft)


def build_for(year: int, unit: str = NATIONAL_SLUG, root: Path | None = None, params_file: Path | None = None) -> Report:
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
