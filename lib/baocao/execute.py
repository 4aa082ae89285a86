"""Run the master notebook with papermill: the executed copy is the audit trail of every render."""
from __future__ import annotations

import contextlib
import shutil
import warnings
from pathlib import Path

import papermill
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger as papermill_logger

from .atomic import atomic_path
from .errors import BaocaoError, Problem
from .kernels import KERNEL_NAME, WarmKernel

NOTEBOOK = Path("notebooks") / "bao_cao.ipynb"
EXECUTED_NAME = "bao-cao.ipynb"
FAILED_NAME = "bao-cao.loi.ipynb"
WARM_ENGINE = "baocao-warm"


class _ConnectedClient(PapermillNotebookClient):
    """nbclient always connects a client of its own (and waits ~0.2 s flushing output to do so); this one
    is handed the session's client, already connected to a warm kernel."""

    def __init__(self, nb_man, kc, **kw):
        super().__init__(nb_man, **kw)
        self.kc = kc


class WarmEngine(NBClientEngine):
    """papermill's nbclient engine on a kernel that outlives the run: parameters, cell status and the
    failing-cell marker are papermill's own; only the kernel start is left out."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, km=None, kc=None, start_timeout=60, **kwargs):
        return _ConnectedClient(nb_man, kc=kc, km=km, kernel_name=kernel_name, startup_timeout=start_timeout,
                                log=papermill_logger).execute()


papermill_engines.register(WARM_ENGINE, WarmEngine)
# The executed notebook is written to a temporary name first (atomic replace); papermill warns about the suffix.
warnings.filterwarnings("ignore", message="The specified file .* does not end in one of", module="papermill")


def execute(root: Path, outdir: Path, parameters: dict, kernel: WarmKernel | None = None,
            notebook: Path | None = None) -> Path:
    """Execute the notebook for one unit; its cells write the outputs, then the notebook itself lands.

    With `kernel`, the unit runs in that already-warm kernel (reset first) instead of a new one: papermill
    still injects the parameters and marks a failing cell, only the kernel start is saved.
    A failed run keeps the earlier good outputs and writes the executed notebook, with the failing cell
    marked by papermill, to `bao-cao.loi.ipynb` beside them, so the user can open it and see why.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / EXECUTED_NAME
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
            failed = outdir / FAILED_NAME
            with atomic_path(failed) as marked:
                shutil.copyfile(tmp, marked)
            raise BaocaoError(Problem(
                file=str(failed), row=exc.exec_count,
                message=f"sổ tính dừng ở ô số {exc.exec_count}: {exc.ename}: {exc.evalue}")) from None
    (outdir / FAILED_NAME).unlink(missing_ok=True)
    return target
