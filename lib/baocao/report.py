"""Build one report (params → inputs → facts → check → Markdown source) and write its outputs.

The logic lives in the stages (`inputs`, `facts`, `checks`, `compose`), where it is tested; the master
notebook shows them one by one through `display`, and writes with `write_outputs` as `baocao render` does.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from . import atomic, checks, redline
from .anchors import ANCHORS_NAME
from .compose import Report, compose
from .errors import BaocaoError
from .inputs import read_inputs
from .params import Params, load_params, params_path
from .units import NATIONAL_SLUG


def build(params: Params, strict: bool = False, draft: bool = False, final: bool = False, so_voi: str = "",
          outdir: Path | None = None) -> Report:
    """Read, compute, check and compose; every problem of the check is raised together when one is an error.

    Numbers typed in prose that contradict computed ones are warnings, errors when `strict` or `final`; what
    keeps the report from being signed (`readiness`) is a warning, an error when `final`. A draft compares
    itself with the output named by `so_voi`, or else with the one already in `outdir` (the folder the
    outputs go to: see `redline`), read before anything is written.
    """
    checked = checks.check(read_inputs(params), strict=strict, final=final)
    if not checked.ok:
        raise BaocaoError(checked.problems)
    return compose(checked, draft=draft, compared=compared(params, draft, so_voi, outdir))


def compared(params: Params, draft: bool, so_voi: str, outdir: Path | None) -> tuple[redline.Previous | None, dt.date] | None:
    """What a draft compares with (`redline.load`: the output named by `so_voi`, or the one in `outdir`) and
    the render date; None for a final document, or when there is no folder to look in."""
    if draft and (so_voi or outdir is not None):
        return redline.load(params, outdir, so_voi), redline.render_date()
    return None


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
    if report.anchors:  # folded into the manifest by `manifest.write`
        paths["anchors"] = atomic.write_text(outdir / ANCHORS_NAME, json.dumps(report.anchors, ensure_ascii=False) + "\n")
    paths.update(render(paths["source"], outdir, formats=formats))
    changes = report.changes
    if "docx" in paths and changes is not None and changes.previous is not None:
        from .render.tracked import mark

        mark(paths["docx"], changes.previous.paragraphs, changes.date)
    return paths

