"""The same DOCX and PDF pipeline run with Quarto's bundled pandoc and Typst.

Used on machines where Quarto is the installed toolchain: it reuses the reference document, the
Lua filter and the Typst template unchanged, so only the tool binaries differ.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .docx import DocxRenderer
from .errors import RenderError
from .tools import FONTS_DIR
from .typst_pdf import FONT_WARNING_MARKERS, PDF_STANDARD, TypstPdfRenderer


def quarto_path() -> str:
    path = shutil.which("quarto")
    if path is None:
        raise RenderError("Không tìm thấy 'quarto' trên PATH; hãy cài Quarto hoặc dùng trình kết xuất docx, pdf.")
    return path


def compile_with_quarto(typ: Path, root: Path, fonts_dir: Path, epoch: int) -> bytes:
    """Compile with ``quarto typst compile``, treating any font warning as an error."""
    output = typ.with_suffix(".pdf")
    result = subprocess.run(
        [quarto_path(), "typst", "compile", str(typ), str(output), "--root", str(root),
         "--font-path", str(fonts_dir), "--ignore-system-fonts",
         "--creation-timestamp", str(epoch), "--pdf-standard", PDF_STANDARD],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        raise RenderError(f"Typst (Quarto) biên dịch thất bại: {result.stderr.strip()}")
    if any(marker in result.stderr.lower() for marker in FONT_WARNING_MARKERS):
        raise RenderError(f"Typst (Quarto) không dùng được phông chữ quy định: {result.stderr.strip()}")
    return output.read_bytes()


def quarto_version() -> str:
    return subprocess.run([quarto_path(), "--version"], capture_output=True, text=True,
                          check=True).stdout.strip()


class QuartoRenderer:
    """Renders ``<basename>.docx`` and ``<basename>.pdf`` with Quarto's tools."""

    name = "quarto"
    outputs = ("docx", "pdf")

    def __init__(self, fonts_dir: Path = FONTS_DIR) -> None:
        pandoc_cmd = [quarto_path(), "pandoc"]
        self.parts = (
            DocxRenderer(pandoc_cmd=pandoc_cmd),
            TypstPdfRenderer(fonts_dir=fonts_dir, pandoc_cmd=pandoc_cmd, compile_pdf=compile_with_quarto),
        )

    def render(self, source: Path, outdir: Path, basename: str) -> dict[str, Path]:
        outputs: dict[str, Path] = {}
        for part in self.parts:
            outputs.update(part.render(source, outdir, basename))
        return outputs
