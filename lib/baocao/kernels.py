"""Warm Jupyter kernels: start once per worker, run many units, reset state between them.

Starting a kernel and importing pandas, pydantic and baocao costs about three seconds, more than the work of
one unit. A batch therefore keeps one kernel per worker thread (local workers and Dask's both run units in
threads) and runs unit after unit in it, clearing the user namespace before each so no unit sees another's
variables.

Each kernel talks over its own IPC sockets in a private temporary folder: no TCP ports to clash between
parallel workers, and nothing shared on disk.
"""
from __future__ import annotations

import atexit
import contextlib
import contextvars
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty
from typing import Callable, Iterator, TypeVar

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

T = TypeVar("T")
KERNEL_NAME = "python3"
STARTUP_TIMEOUT = 120

# Run in the kernel before each unit (see `reset_namespace`); the kernel imports baocao like the notebook does.
_RESET = "__import__('baocao.kernels', fromlist=['_']).reset_namespace({cwd!r})\n"


def reset_namespace(cwd: str) -> None:
    """Inside the kernel, between units: forget every name the previous unit defined, as `%reset -f` does,
    restart the execution counter so each executed notebook is numbered from 1 as if its kernel were fresh,
    and return to the project folder.

    IPython's reset ends with a full `gc.collect()` (its own comment asks whether it is needed); on a heap
    holding pandas and matplotlib that costs 0.1–0.25 s, most of what a reset costs. It is skipped here:
    the interpreter's generational collector frees cycles as usual, so memory is not lost.
    """
    import gc

    from IPython import get_ipython

    shell = get_ipython()
    collect = gc.collect
    gc.collect = lambda generation=2: 0
    try:
        shell.reset(new_session=False)
    finally:
        gc.collect = collect
    shell.execution_count = 1
    os.chdir(cwd)


class KernelError(RuntimeError):
    """The kernel did not answer or could not be reset."""


class WarmKernel:
    """One running kernel, reused for every unit this worker runs in `cwd`.

    Each unit gets its own short-lived client (a client that nbclient has driven does not answer reliably
    afterwards); connecting one over IPC costs milliseconds, unlike starting a kernel.
    """

    def __init__(self, cwd: Path, kernel_name: str = KERNEL_NAME):
        self.cwd = Path(cwd).resolve()
        self._folder = Path(tempfile.mkdtemp(prefix="baocao-kernel-"))
        self.km = AsyncKernelManager(
            kernel_name=kernel_name, transport="ipc", ip=str(self._folder / "ipc"),
            connection_file=str(self._folder / "kernel.json"),
        )
        # No input history: it is written to one SQLite file shared by every kernel of the user, after each
        # cell; the audit trail of a unit is its executed notebook.
        run_sync(self.km.start_kernel)(cwd=str(self.cwd), extra_arguments=["--HistoryManager.enabled=False"])

    @contextlib.contextmanager
    def session(self) -> Iterator[AsyncKernelClient]:
        """A connected client on a kernel whose namespace was just cleared; closed when the unit is done."""
        kc = self.km.client()
        kc.start_channels()
        try:
            run_sync(_ready)(kc, STARTUP_TIMEOUT)
            _execute(kc, _RESET.format(cwd=str(self.cwd)))
            yield kc
        finally:
            kc.stop_channels()

    def run(self, code: str) -> None:
        """Run `code` silently in a fresh namespace (e.g. imports to pay before the first unit)."""
        with self.session() as kc:
            _execute(kc, code)

    def kill(self) -> None:
        """Stop the kernel and the tools it runs (pandoc, Typst: its process group) at once, from any thread.
        On Ctrl-C the unit it renders fails, so that unit's staged outputs are dropped, not published."""
        process = getattr(self.km.provisioner, "process", None)
        if process is None:
            return
        try:
            if os.name == "posix":  # the kernel leads a session of its own (jupyter_client starts it so)
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        except (ProcessLookupError, PermissionError):
            pass

    def alive(self) -> bool:
        return run_sync(self.km.is_alive)()

    def shutdown(self) -> None:
        if self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)
        shutil.rmtree(self._folder, ignore_errors=True)


def _execute(kc: AsyncKernelClient, code: str) -> None:
    reply = run_sync(kc.execute_interactive)(code, silent=True, store_history=False, timeout=STARTUP_TIMEOUT)
    if reply["content"]["status"] != "ok":
        raise KernelError(f"nhân Jupyter không chạy được lệnh chuẩn bị: {reply['content'].get('evalue', '')}")


async def _ready(kc: AsyncKernelClient, timeout: float) -> None:
    """Wait until the kernel answers and its output channel is connected (a late subscriber misses
    messages, so wait for the idle status of our own request rather than only for a reply)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg_id = kc.kernel_info()
        try:
            while True:
                msg = await kc.get_iopub_msg(timeout=0.05)
                if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                        and msg["content"]["execution_state"] == "idle"):
                    return
        except Empty:
            continue
    raise KernelError(f"nhân Jupyter không phản hồi sau {timeout:.0f} giây")


_local = threading.local()
_all: list[WarmKernel] = []
_lock = threading.Lock()


def in_thread_context(function: Callable[..., T], *args) -> T:
    """Call `function` in this thread's own context.

    jupyter_core (under nbclient and jupyter_client) keeps its event loop in a context variable, and Dask
    runs tasks in a copy of the submitting context: two worker threads would then drive one loop ("This
    event loop is already running"). One fresh context per thread, reused for every unit of that thread,
    gives each thread its own loop, and the warm kernel's client stays on the loop it was made with.
    """
    context = getattr(_local, "context", None)
    if context is None:
        context = _local.context = contextvars.Context()
    return context.run(function, *args)


def warm_kernel(cwd: Path) -> WarmKernel:
    """This thread's kernel for `cwd`, started on first use and restarted if it died (e.g. a unit crashed it)."""
    cwd = Path(cwd).resolve()
    kernel = getattr(_local, "kernel", None)
    if kernel is not None and (kernel.cwd != cwd or not kernel.alive()):
        discard(kernel)
        kernel = None
    if kernel is None:
        kernel = WarmKernel(cwd)
        with _lock:
            _all.append(kernel)
        _local.kernel = kernel
    return kernel


def discard(kernel: WarmKernel) -> None:
    """Shut a kernel down and forget it, so the next unit of this thread starts a fresh one."""
    if getattr(_local, "kernel", None) is kernel:
        _local.kernel = None
    with _lock:
        if kernel in _all:
            _all.remove(kernel)
    kernel.shutdown()


def kill_all() -> None:
    """Kill every kernel this process started, whichever thread drives it (see `WarmKernel.kill`)."""
    with _lock:
        kernels = list(_all)
    for kernel in kernels:
        kernel.kill()


@atexit.register
def shutdown_all() -> None:
    """Stop every kernel this process started (worker exit, end of a batch run in-process)."""
    with _lock:
        kernels = list(_all)
        _all.clear()
    _local.kernel = None
    for kernel in kernels:
        kernel.shutdown()
