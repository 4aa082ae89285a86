"""Run the master notebook with papermill: the executed copy is the audit trail of every render."""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import atomic_path
from .errors import BaocaoError, Problem

if TYPE_CHECKING:
    from .kernels import WarmKernel

NOTEBOOK = Path("notebooks") / "bao_cao.ipynb"
EXECUTED_NAME = "bao-cao.ipynb"
FAILED_NAME = "bao-cao.loi.ipynb"


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
    return target
