"""Run the master notebook with papermill: the executed copy is the audit trail of every render."""
from __future__ import annotations

import shutil
from pathlib import Path

import papermill

from .atomic import atomic_path
from .errors import BaocaoError, Problem

NOTEBOOK = Path("notebooks") / "bao_cao.ipynb"
EXECUTED_NAME = "bao-cao.ipynb"
FAILED_NAME = "bao-cao.loi.ipynb"


def execute(root: Path, outdir: Path, parameters: dict) -> Path:
    """Execute the notebook for one unit; its cells write the outputs, then the notebook itself lands.

    A failed run keeps the earlier good outputs and writes the executed notebook, with the failing cell
    marked by papermill, to `bao-cao.loi.ipynb` beside them, so the user can open it and see why.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    target = outdir / EXECUTED_NAME
    with atomic_path(target) as tmp:
        try:
            papermill.execute_notebook(
                str(root / NOTEBOOK), str(tmp), parameters=parameters, kernel_name="python3",
                cwd=str(root), progress_bar=False, log_output=False,
            )
        except papermill.PapermillExecutionError as exc:
            failed = outdir / FAILED_NAME
            shutil.copyfile(tmp, failed)
            raise BaocaoError(Problem(
                file=str(failed), row=exc.exec_count,
                message=f"sổ tính dừng ở ô số {exc.exec_count}: {exc.ename}: {exc.evalue}")) from None
    (outdir / FAILED_NAME).unlink(missing_ok=True)
    return target
