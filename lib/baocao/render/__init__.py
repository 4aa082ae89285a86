"""Rendering layer: a Markdown report source to DOCX and PDF laid out per Nghị định 30/2020.

The rest of the package calls only ``render``, ``get_renderer``, ``RENDERERS``,
``renderer_versions`` and catches ``RenderError`` (a tool failed) or, more broadly, ``BaocaoError``,
which also covers an output that could not be written (full disk, no permission: see ``baocao.atomic``).
The source format is documented in ``baocao/templates/README.md``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from .errors import RenderError
from .tools import pandoc_version, typst_version

__all__ = ["RENDERERS", "RenderError", "Renderer", "get_renderer", "render", "renderer_versions"]


class Renderer(Protocol):
    name: str
    outputs: tuple[str, ...]

    def render(self, source: Path, outdir: Path, basename: str) -> dict[str, Path]: ...


def _lazy(module: str, name: str) -> Callable[[], Renderer]:
    """A factory that imports the renderer's module (python-docx, Typst) when a render first needs it: a
    batch plan asks this package only for versions, and a re-run with nothing to render must not pay more."""
    return lambda: getattr(importlib.import_module(f"{__name__}.{module}"), name)()


RENDERERS: dict[str, Callable[[], Renderer]] = {
    "docx": _lazy("docx", "DocxRenderer"),
    "pdf": _lazy("typst_pdf", "TypstPdfRenderer"),
    "quarto": _lazy("quarto", "QuartoRenderer"),
}


def get_renderer(name: str) -> Renderer:
    """The renderer registered as ``name``; an unknown name lists the supported ones."""
    factory = RENDERERS.get(name)
    if factory is None:
        raise RenderError(f"Không có trình kết xuất '{name}'. Hỗ trợ: {', '.join(RENDERERS)}")
    return factory()


def render(source: Path, outdir: Path, *, formats: Iterable[str] = ("docx", "pdf"),
           basename: str = "bao-cao") -> dict[str, Path]:
    """Render ``source`` into ``outdir`` in every format; return {format: output path}.

    Every renderer is resolved before any runs, so a typo in ``formats`` writes nothing.
    """
    source, outdir = Path(source), Path(outdir)
    if isinstance(formats, str):
        formats = (formats,)
    if not source.is_file():
        raise RenderError(f"Không tìm thấy tệp nguồn báo cáo: {source}")
    renderers = [get_renderer(name) for name in formats]
    outputs: dict[str, Path] = {}
    for renderer in renderers:
        outputs.update(renderer.render(source, outdir, basename))
    return outputs


def renderer_versions() -> dict[str, str]:
    """Versions of the tools that shape the output, for build manifests."""
    versions = {
        "pandoc": pandoc_version(),
        "typst": typst_version(),
        "python-docx": importlib.metadata.version("python-docx"),
    }
    if shutil.which("quarto"):
        from .quarto import quarto_version

        versions["quarto"] = quarto_version()
    return versions
