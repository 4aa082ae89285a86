"""Run the master notebook with papermill: the executed copy is the audit trail of every render, and its
HTML page (`bao-cao.html`, code hidden) is what a reviewer opens beside the PDF."""
from __future__ import annotations

import contextlib
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import atomic_path, write_text
from .errors import BaocaoError, Problem

if TYPE_CHECKING:
    from .kernels import WarmKernel

NOTEBOOK = Path("notebooks") / "bao_cao.ipynb"
EXECUTED_NAME = "bao-cao.ipynb"
FAILED_NAME = "bao-cao.loi.ipynb"
REVIEW_NAME = "bao-cao.html"


def execute(root: Path, outdir: Path, parameters: dict, kernel: WarmKernel | None = None,
            notebook: Path | None = None, failed: Path | None = None) -> Path:
    """Execute the notebook for one unit; its cells write the outputs, then the notebook itself lands.

    With `kernel`, the unit runs in that already-warm kernel (reset first) instead of a new one: papermill
    still injects the parameters and marks a failing cell, only the kernel start is saved.
    A failed run writes the executed notebook, with the failing cell marked by papermill, to `failed`
    (default `bao-cao.loi.ipynb` in `outdir`), so the user can open it and see why. A batch runs the notebook
    in a staging folder and names `failed` in the unit's own folder, whose earlier outputs stay as they were.
    """
    import papermill  # imported on first use: planning a batch needs only the names above

    from .kernels import KERNEL_NAME
    from .papermill_engine import WARM_ENGINE

    outdir.mkdir(parents=True, exist_ok=True)
    target, failed = outdir / EXECUTED_NAME, failed or outdir / FAILED_NAME
    source = notebook or root / NOTEBOOK
    with contextlib.ExitStack() as stack:
        if kernel is None:
            where = {"cwd": str(root)}
        else:
            where = {"engine_name": WARM_ENGINE, "km": kernel.km, "kc": stack.enter_context(kernel.session())}
        tmp = stack.enter_context(atomic_path(target))
        try:
            papermill.execute_notebook(
                str(source), str(tmp), parameters=parameters, kernel_name=KERNEL_NAME,
                progress_bar=False, log_output=False, request_save_on_cell_execute=False, **where,
            )
        except papermill.PapermillExecutionError as exc:
            with atomic_path(failed) as marked:
                shutil.copyfile(tmp, marked)
            raise BaocaoError(Problem(
                file=str(failed), row=exc.exec_count,
                message=f"sổ tính dừng ở ô số {exc.exec_count}: {exc.ename}: {exc.evalue}")) from None
    review_page(target, outdir / REVIEW_NAME)
    return target


# nbconvert's JupyterLab page without the scripts it fetches from the web (require.js, MathJax, mermaid): the
# report needs none, and a reviewer may open the page offline.
_PAGE = "{%- extends 'lab/index.html.j2' -%}\n" + "".join(
    f"{{%- block {block} -%}}{{%- endblock {block} -%}}\n"
    for block in ("html_head_js_requirejs", "html_head_js_mathjax", "html_head_js_mermaidjs"))


_exporters = threading.local()


def review_page(executed: Path, target: Path) -> Path:
    """The executed notebook as one self-contained HTML page without code: the report as the notebook showed
    it (sections, marked figures, tables, charts, warnings, the first pages; every image is already in the
    outputs as data). One exporter per thread: building one compiles its templates (≈ 0.5 s)."""
    exporter = getattr(_exporters, "html", None)
    if exporter is None:
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter  # imported on first use, like papermill

        exporter = _exporters.html = HTMLExporter(
            extra_loaders=[DictLoader({"baocao.html.j2": _PAGE})], template_file="baocao.html.j2",
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_filename(str(executed))
    return write_text(target, body)
