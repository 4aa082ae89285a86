"""DOCX through pandoc's docx writer, the ND30 reference document and python-docx post-processing."""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_path
from . import nd30
from .docx_layout import apply_layout
from .source import read_meta
from .tools import LUA_FILTER, REFERENCE_DOCX, pandoc_path, run_pandoc


class DocxRenderer:
    """Renders ``<basename>.docx``."""

    name = "docx"
    outputs = ("docx",)

    def __init__(self, pandoc_cmd: list[str] | None = None) -> None:
        self.pandoc_cmd = pandoc_cmd

    def render(self, source: Path, outdir: Path, basename: str) -> dict[str, Path]:
        meta = read_meta(source)
        source = source.resolve()
        target = outdir / f"{basename}.docx"
        with atomic_path(target) as tmp:
            run_pandoc(
                self.pandoc_cmd or [pandoc_path()],
                [str(source), "--from", "markdown", "--to", "docx",
                 "--reference-doc", str(REFERENCE_DOCX), "--lua-filter", str(LUA_FILTER),
                 *nd30.pandoc_variables(), "--output", str(tmp)],
                meta.epoch,
                cwd=source.parent,
            )
            apply_layout(tmp, meta)
        return {"docx": target}
