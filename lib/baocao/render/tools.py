"""The external tools (pandoc, Typst) and the vendored fonts, located and checked in one place."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
from functools import cache
from pathlib import Path

from .errors import RenderError

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
FONTS_DIR = PACKAGE_DIR / "fonts"
LUA_FILTER = TEMPLATES_DIR / "baocao.lua"
FIGURES_FILTER = TEMPLATES_DIR / "figures.lua"  # the only files a sandboxed pandoc reads besides its arguments
REFERENCE_DOCX = TEMPLATES_DIR / "reference.docx"
TYPST_TEMPLATE = TEMPLATES_DIR / "bao-cao.typ"

# The four faces the layout uses; a missing one must stop the render, never fall back silently.
FONT_FILES = (
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
)


def check_fonts(fonts_dir: Path) -> None:
    """Raise if any vendored face is missing from ``fonts_dir``."""
    missing = [name for name in FONT_FILES if not (fonts_dir / name).is_file()]
    if missing:
        raise RenderError(
            f"Thiếu phông chữ trong {fonts_dir}: {', '.join(missing)}. "
            "Không thể kết xuất PDF đúng Nghị định 30/2020 khi thiếu phông Liberation Serif."
        )


@cache
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def run_pandoc(command: list[str], args: list[str], epoch: int, cwd: Path) -> None:
    """Run pandoc with SOURCE_DATE_EPOCH fixed, in its sandbox: it reads only the files named in `args` (and the
    charts `figures.lua` hands it), so nothing in the source can embed a local file or fetch a URL. A failure
    raises with pandoc's own message."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    result = subprocess.run(
        [*command, "--sandbox", "--lua-filter", str(FIGURES_FILTER), *args], cwd=cwd, env=env,
        capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RenderError(
            f"pandoc thất bại (mã {result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
        )


@cache
def pandoc_version() -> str:
    out = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, check=True)
    return out.stdout.split()[1]


def typst_version() -> str:
    return importlib.metadata.version("typst")
