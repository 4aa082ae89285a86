"""papermill's nbclient engine on an already-running kernel (see `kernels.WarmKernel`).

Kept apart from `execute` so that importing the batch planner does not import papermill: a re-run whose
units are all up to date never executes a notebook.
"""
from __future__ import annotations

import warnings

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger as papermill_logger

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
