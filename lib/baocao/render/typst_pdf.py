"""PDF through pandoc's typst writer, the bao-cao.typ template and the Typst compiler.

The PDF is PDF/A-2b (ISO 19005-2, level B): the form of an electronic document kept for the long
term, with every font embedded, XMP metadata, no external dependency. Typst also writes it tagged, in
Vietnamese, with the outline from the headings and a fixed timestamp, so the same source yields the
same bytes. Only the vendored fonts are visible to the compiler.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typst

from . import nd30
from .. import atomic
from .errors import RenderError
from .source import ReportMeta, read_meta
from .tools import FONTS_DIR, LUA_FILTER, TYPST_TEMPLATE, check_fonts, pandoc_path, run_pandoc

# Compiler warnings that mean the text would not be set in the vendored face.
FONT_WARNING_MARKERS = ("font", "glyph")

# Typst's name for the archival standard the PDF conforms to (also passed to `quarto typst compile`).
PDF_STANDARD = "a-2b"

TypstCompile = Callable[[Path, Path, Path, int], bytes]


def typst_literal(text: str) -> str:
    """A Typst string literal holding ``text`` verbatim."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_typst_source(pandoc_cmd: list[str], source: Path, target: Path, meta: ReportMeta) -> None:
    """Convert the Markdown source to a complete .typ document with the ND30 template."""
    run_pandoc(
        pandoc_cmd,
        [
            str(source), "--from", "markdown", "--to", "typst",
            "--template", str(TYPST_TEMPLATE),
            "--lua-filter", str(LUA_FILTER),
            "--variable", f"nd30={nd30.typst_dict()}",
            *nd30.pandoc_variables(),
            "--variable", f"pdf-title={typst_literal(meta.title)}",
            "--variable", f"pdf-author={typst_literal(meta.author)}",
            "--output", str(target),
        ],
        meta.epoch,
        cwd=source.parent,
    )


def compile_with_package(typ: Path, root: Path, fonts_dir: Path, epoch: int) -> bytes:
    """Compile with the ``typst`` Python package, treating any font warning as an error."""
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(typ), root=str(root), font_paths=[str(fonts_dir)], ignore_system_fonts=True,
            timestamp=epoch, format="pdf", pdf_standards=PDF_STANDARD,
        )
    except typst.TypstError as exc:
        raise RenderError(f"Typst biên dịch thất bại: {exc}") from exc
    font_problems = [str(w.message) for w in warnings
                     if any(m in str(w.message).lower() for m in FONT_WARNING_MARKERS)]
    if font_problems:
        raise RenderError("Typst không dùng được phông chữ quy định: " + "; ".join(font_problems))
    return pdf


class TypstPdfRenderer:
    """Renders ``<basename>.pdf``."""

    name = "pdf"
    outputs = ("pdf",)

    def __init__(self, fonts_dir: Path = FONTS_DIR, pandoc_cmd: list[str] | None = None,
                 compile_pdf: TypstCompile = compile_with_package) -> None:
        self.fonts_dir = fonts_dir
        self.pandoc_cmd = pandoc_cmd
        self.compile_pdf = compile_pdf

    def render(self, source: Path, outdir: Path, basename: str) -> dict[str, Path]:
        meta = read_meta(source)
        check_fonts(self.fonts_dir)
        target = outdir / f"{basename}.pdf"
        # The .typ file sits beside the source (a unique hidden name, removed afterwards) so that
        # figures referenced relative to the source resolve inside Typst's root.
        folder = source.resolve().parent
        with atomic.scratch_path(folder / f"{basename}.typ") as typ:
            write_typst_source(self.pandoc_cmd or [pandoc_path()], source.resolve(), typ, meta)
            pdf = self.compile_pdf(typ, folder, self.fonts_dir, meta.epoch)
        atomic.write_bytes(target, pdf)
        return {"pdf": target}
