"""Which project folder a notebook run works in, found without trusting the working directory.

JupyterLab starts a notebook's kernel in the notebook's own folder (`notebooks/`), papermill in whatever
folder it is given, and an analyst may open a copy from anywhere; `params/` and `outputs/` resolved against
the working directory would then point at nothing. The project folder is the one that holds `params/`, and
it is found from the params file the run was given (`Params.root`), else, in this order, from:
1. the notebook's own location: Jupyter Server tells the kernel the notebook's path in `JPY_SESSION_NAME`;
2. the `baocao` package itself when it is the project's source checkout (`lib/baocao`, installed with
   `pip install -e .`, as `make` does).
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import BaocaoError, Problem

PARAMS_FOLDER = "params"
NOTEBOOK_PATH = "JPY_SESSION_NAME"  # set by Jupyter Server for the kernel of a notebook it opens


def _holding_params(start: Path) -> Path | None:
    """`start` or the nearest folder above it that holds `params/`."""
    return next((folder for folder in (start, *start.parents) if (folder / PARAMS_FOLDER).is_dir()), None)


def notebook_path() -> Path | None:
    """The notebook this kernel runs, when Jupyter (Lab, Notebook, Voilà) said so; None under papermill."""
    value = os.environ.get(NOTEBOOK_PATH, "")
    path = Path(value)
    return path if value and path.is_absolute() else None


def find_root() -> Path:
    """The project folder (the one holding `params/`) of a run given no params file: the notebook's, else
    the package's. (With a params file, `Params.root` is the project.)"""
    for start in (notebook_path(), Path(__file__).resolve()):
        if start is not None and (root := _holding_params(start.resolve().parent)) is not None:
            return root
    raise BaocaoError(Problem(
        file=str(os.environ.get(NOTEBOOK_PATH) or "params_file"),
        message="không tìm thấy thư mục dự án (thư mục chứa params/): mở sổ tính trong thư mục notebooks/ của dự án "
                "hoặc đặt tham số params_file, ví dụ params_file = \"/duong/dan/du-an/params/2024.yml\""))
