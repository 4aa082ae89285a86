"""Render many units in one command: the national report and every province, in parallel, incrementally.

`plan` decides what to run (loads every unit's parameters, hashes its inputs, skips units whose manifest
says nothing changed); `checked` passes each unit on once its data passes the check; `Workers.run` executes
them and yields each result as it finishes. A unit runs the master notebook in a warm kernel of its worker
(see `kernels`), so the cost of starting Python and importing the libraries is paid once per worker
instead of once per unit.

The same unit function runs in local worker threads, each driving its own kernel, or on a Dask cluster.
Either way a unit's outputs are written into its staging folder and land together once all of them are
written (`atomic.publish`), and the plan holds each unit's lock (`locks`) until the batch ends: a failed,
stopped or concurrent run never leaves a unit's folder holding files of two runs.

Report building, kernels and papermill are imported where they are first needed: a re-run in which every
unit is up to date answers in about a second, without importing them.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import difflib
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from . import atomic, locks, manifest, outdirs
from .errors import BaocaoError, Problem, unreadable
from .execute import FAILED_NAME, NOTEBOOK, execute
from .options import RenderOptions
from .params import Params, load_unit_params
from .units import NATIONAL_SLUG, UnitRegistry

ALL = "all"
OK, SKIPPED, FAILED = "ok", "skipped", "failed"
STOPPED = "stopped"  # a unit not done when Ctrl-C stopped the batch: its earlier outputs stay
SCHEDULER_TIMEOUT = 5  # seconds to reach a Dask scheduler; Dask's own default is 30, then an English OSError


@dataclass(frozen=True)
class UnitJob:
    """Everything a worker needs to render one unit; plain data, so it pickles to any process or host."""

    year: int
    unit: str
    root: str
    params_file: str
    outdir: str
    notebook: str
    fingerprint: manifest.Fingerprint
    options: dict = field(default_factory=dict)  # RenderOptions.as_dict()

    @property
    def parameters(self) -> dict:
        return {"year": self.year, "unit": self.unit, "params_file": self.params_file, "output_dir": self.outdir,
                "options": self.options}


@dataclass
class UnitResult:
    unit: str
    status: str
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    error: str = ""
    files: dict[str, bytes] | None = None  # outputs carried back from a remote worker


@dataclass
class Plan:
    """What to render. Holds the lock of every unit to render (see `baocao.locks`) until `close`, or the end
    of a `with` block: no other run touches those units' folders meanwhile."""

    jobs: list[UnitJob]
    skipped: list[UnitResult]
    params: dict[str, Params] = field(default_factory=dict)  # unit → its loaded parameters
    options: RenderOptions = field(default_factory=RenderOptions)
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # unit → what `checked` found (and its lock, its folder)
    rejected: list[UnitResult] = field(default_factory=list)
    locks: dict[str, locks.UnitLock] = field(default_factory=dict, repr=False)

    def release(self, unit: str) -> None:
        if (lock := self.locks.pop(unit, None)) is not None:
            lock.release()

    def close(self) -> None:
        for unit in list(self.locks):
            self.release(unit)

    def __enter__(self) -> "Plan":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def select_units(spec: str, year: int) -> list[str]:
    """`all` → the national report and every province of `year`; otherwise a comma-separated list of slugs."""
    provinces = [unit.slug for unit in UnitRegistry.load().expected("province", year)]
    known = [NATIONAL_SLUG, *provinces]
    if spec.strip() == ALL:
        return known
    units = list(dict.fromkeys(part.strip() for part in spec.split(",") if part.strip()))
    problems = []
    for unit in units:
        if outdirs.unsafe_reason(unit):  # a path, not a misspelt unit: say so rather than suggest a name
            problems.append(outdirs.unit_problem(unit))
        elif unit not in known:
            close = difflib.get_close_matches(unit, known, n=3)
            hint = f" Có phải: {', '.join(close)}?" if close else f" Dùng {ALL}, {NATIONAL_SLUG} hoặc mã tỉnh năm {year}."
            problems.append(Problem(file="--unit", value=unit, message=f"không có đơn vị này trong năm {year}.{hint}"))
    if problems or not units:
        raise BaocaoError(problems or [Problem(file="--unit", message="cần ít nhất một đơn vị")])
    return units


DATA_ERROR = "dữ liệu có lỗi (xem bảng lỗi): chưa kết xuất"


def checked(plan: Plan) -> Iterator[UnitJob]:
    """The units about to render, each once it passes `checks.check`, the check `baocao check` runs (its
    own rows and targets included), so that the workers render the first units while the next are checked.

    A unit with an error is not rendered and nothing of it is written: it is recorded in `plan.rejected`.
    Every unit's problems, errors and warnings, go to `plan.problems`."""
    if not plan.jobs:
        return  # nothing to render: not even the report code is imported
    from . import checks
    from .inputs import read_inputs

    for job in plan.jobs:
        result = checks.check(read_inputs(plan.params[job.unit]), strict=plan.options.strict, final=plan.options.final)
        plan.problems[job.unit] = plan.problems.get(job.unit, []) + result.problems
        if not result.ok:
            plan.rejected.append(UnitResult(unit=job.unit, status=FAILED, error=DATA_ERROR))
            plan.release(job.unit)
            continue
        yield job


def plan(year: int, units: list[str], root: Path, outputs: Path, force: bool = False,
         params_file: Path | None = None, notebook: Path | None = None,
         options: RenderOptions = RenderOptions()) -> Plan:
    """Load and hash every unit and keep those whose inputs or `options` changed (all, with `force`); every
    parameter problem is raised together. The data of the units to render is checked by `checked`.

    Each unit's lock is taken before its folder is looked at: then what a killed run left (a staged set half
    published, temp files) is finished or removed, and never what a run still going is writing. A unit that
    another run holds is not rendered (`Plan.rejected`, with the problem in `Plan.problems`)."""
    root, outputs = root.resolve(), outputs.resolve()
    notebook = (notebook or root / NOTEBOOK).resolve()
    loaded, problems = {}, []
    for unit in units:
        try:
            loaded[unit] = load_unit_params(year, unit, root, params_file)
        except BaocaoError as exc:
            problems += exc.problems
    if problems:
        raise BaocaoError(problems)
    versions = manifest.environment()
    result = Plan(jobs=[], skipped=[], params=loaded, options=options)
    for unit, params in loaded.items():
        outdir = outdirs.unit_dir(outputs, year, unit)
        lock = locks.acquire(outdir, unit)
        if isinstance(lock, Problem):
            result.problems.setdefault(unit, []).append(lock)
            result.rejected.append(UnitResult(unit=unit, status=FAILED, error=lock.message))
            continue
        result.locks[unit] = lock
        try:
            atomic.recover(outdir)  # what a killed run left
        except BaocaoError as exc:  # e.g. a folder where the manifest goes: this unit fails, not the batch
            result.problems.setdefault(unit, []).extend(exc.problems)
            result.rejected.append(UnitResult(unit=unit, status=FAILED, error=str(exc)))
            result.release(unit)
            continue
        if (problem := manifest.damaged(outdir)) is not None:
            result.problems.setdefault(unit, []).append(problem)
        job = UnitJob(year=year, unit=unit, root=str(root), params_file=str(params.source.resolve()),
                      outdir=str(outdir), notebook=str(notebook), fingerprint=None, options=options.as_dict())
        try:
            fp = manifest.fingerprint(params, notebook, unit == NATIONAL_SLUG, versions, job.parameters, options)
        except BaocaoError as exc:
            problems += exc.problems
            continue
        except OSError as exc:
            problems.append(unreadable(exc.filename or params.source, exc))
            continue
        if not force and manifest.is_fresh(outdir, fp):
            result.skipped.append(UnitResult(unit=unit, status=SKIPPED, outputs=manifest.read(outdir)["outputs"]))
            result.release(unit)
        else:
            result.jobs.append(replace(job, fingerprint=fp))
    if problems:
        result.close()
        raise BaocaoError(problems)
    return result


KERNEL_FAILED = "nhân Jupyter dừng hoặc không phản hồi giữa chừng (ví dụ hết bộ nhớ); đơn vị sau chạy trên nhân mới"


def run_unit(job: UnitJob) -> UnitResult:
    """Render one unit in this worker's warm kernel and record its manifest; never raises for a unit's
    own failure, so the other units carry on."""
    from .kernels import in_thread_context

    return in_thread_context(_run_unit, job)


def _run_unit(job: UnitJob) -> UnitResult:
    """The notebook writes every output into the unit's staging folder; only when all of them were written
    do they land in the unit's folder, together (`_publish`). A failure anywhere before leaves the earlier
    outputs, manifest included, exactly as they were, and `bao-cao.loi.ipynb` beside them says why."""
    from .kernels import discard, warm_kernel

    outdir = Path(job.outdir)
    started = time.perf_counter()
    error = ""
    kernel = None
    try:
        stage = atomic.new_stage(outdir)
        kernel = warm_kernel(Path(job.root))
        execute(Path(job.root), stage, job.parameters | {"output_dir": str(stage)}, kernel=kernel,
                notebook=Path(job.notebook), failed=outdir / FAILED_NAME)
    except BaocaoError as exc:  # the notebook failed (or the disk is full): the kernel is fine
        error = "; ".join(str(p) for p in exc.problems)
    except Exception as exc:  # the kernel died or hung: it must not take the next unit with it
        error = f"{KERNEL_FAILED} ({type(exc).__name__}: {exc})"
        if kernel is not None:
            discard(kernel)
    seconds = time.perf_counter() - started
    if error:
        atomic.discard_stage(outdir)
        return UnitResult(unit=job.unit, status=FAILED, seconds=seconds, error=error)
    try:
        manifest.write(stage, job.fingerprint, OK, seconds, _staged(outdir))
        outputs = _publish(outdir)
    except BaocaoError as exc:  # a full disk: this unit is reported failed, the next ones still get their turn
        atomic.discard_stage(outdir)
        return UnitResult(unit=job.unit, status=FAILED, seconds=seconds, error=str(exc))
    return UnitResult(unit=job.unit, status=OK, seconds=seconds, outputs=outputs)


def _staged(outdir: Path) -> list[str]:
    """The outputs staged for `outdir` (`figures/…` included), the manifest left out."""
    return [name for name in atomic.files_below(atomic.stage_of(outdir)) if name != manifest.MANIFEST_NAME]


def _publish(outdir: Path) -> list[str]:
    """Land the staged set of a unit that succeeded, manifest last; files of the earlier set that the new
    one does not have (a chart no longer drawn) go, and so does the failure notebook of an earlier run."""
    outputs = _staged(outdir)
    earlier = manifest.outputs(outdir) + [f"figures/{name}" for name in atomic.files_below(outdir / "figures")]
    atomic.publish(outdir, outputs, last=manifest.MANIFEST_NAME, remove=earlier + [FAILED_NAME])
    return outputs


def run_unit_remote(job: UnitJob) -> UnitResult:
    """run_unit on a worker that may not share our disk: render into a scratch folder, send the files back.

    The project (params, data, notebook) must be at the same path on the worker."""
    scratch = Path(tempfile.mkdtemp(prefix=f"baocao-{job.unit}-")) / job.unit
    try:
        result = run_unit(replace(job, outdir=str(scratch)))
        result.files = {name: (scratch / name).read_bytes() for name in atomic.files_below(scratch)}
        return result
    finally:
        shutil.rmtree(scratch.parent, ignore_errors=True)


def _land(job: UnitJob, result: UnitResult) -> UnitResult:
    """Stage the files a remote worker sent back, then publish them as one set (a failed unit sends only its
    failure notebook, which lands on its own)."""
    outdir = Path(job.outdir)
    files, result.files = result.files or {}, None
    source = f"tệp gửi về từ máy chạy đơn vị {job.unit}"
    if result.status != OK:
        if FAILED_NAME in files:
            atomic.write_bytes(outdirs.inside(outdir, FAILED_NAME, source), files[FAILED_NAME])
        return result
    stage = atomic.new_stage(outdir)
    try:
        for name, data in files.items():
            atomic.write_bytes(outdirs.inside_tree(stage, name, source), data)
        result.outputs = _publish(outdir)
    except BaocaoError as exc:
        atomic.discard_stage(outdir)
        result.status, result.error, result.outputs = FAILED, str(exc), []
    return result


def _failed(job: UnitJob, exc: BaseException) -> UnitResult:
    return UnitResult(unit=job.unit, status=FAILED, error=f"{type(exc).__name__}: {exc}")


# Imported in each worker's kernel while the main thread checks the data, so the first unit does not pay it.
# Not `baocao.charts` (matplotlib, ≈ 0.8 s): only a report with charts (the national one) needs it.
PRELOAD = "import baocao.report, baocao.render"


def warm_up(root: str) -> None:
    """Start this worker thread's kernel and import the report code in it; papermill is imported while the
    kernel boots."""
    from .kernels import in_thread_context, warm_kernel

    def start() -> None:
        kernel = warm_kernel(Path(root))  # returns once the kernel process is launched, before it answers
        from . import papermill_engine  # noqa: F401

        kernel.run(PRELOAD)

    in_thread_context(start)


class Workers:
    """Where the units run: kernels driven by threads of this process, or a Dask cluster.

    A local worker is a thread that drives its own warm kernel: the kernel, a process of its own, does the
    unit's work (and runs pandoc and Typst), so `count` threads keep `count` cores busy while the thread
    itself only passes messages. Worker processes would each have to start Python and import papermill
    before their kernel could start. Entering starts the kernels at once (see `warm_up`), so that their
    start-up overlaps the data check in the main thread; `run` then hands them the units; leaving stops them.
    """

    def __init__(self, jobs: int, root: Path, workers: int | None = None, scheduler: str | None = None):
        self.scheduler = scheduler
        self.count = 0 if scheduler else min(workers or os.cpu_count() or 1, jobs)
        self.root = Path(root).resolve()
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def __enter__(self) -> "Workers":
        if self.count:
            # The pool starts a thread per submitted task while none is idle, and a warm-up holds its thread
            # for seconds: one warm-up each starts every thread and its kernel.
            self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=self.count,
                                                               thread_name_prefix="baocao-worker")
            for _ in range(self.count):
                self._pool.submit(warm_up, str(self.root))
        return self

    def __exit__(self, exc_type, *exc) -> None:
        """Stop the workers. Leaving on an exception (Ctrl-C in the main thread) first kills the kernels, so
        the units they render fail at once (and publish nothing) instead of running to their end; a second
        Ctrl-C meanwhile is ignored, so the cleanup is not cut short."""
        if self._pool is None:
            return
        from .kernels import kill_all, shutdown_all

        with _ignoring_ctrl_c(exc_type is KeyboardInterrupt):
            if exc_type is not None:
                kill_all()
            self._pool.shutdown(wait=True, cancel_futures=True)
            shutdown_all()

    def run(self, jobs: Iterable[UnitJob]) -> Iterator[UnitResult]:
        """Execute the jobs, taken as they come (see `checked`), and yield each unit's result as soon as it is
        done, in completion order."""
        if self.scheduler:
            return _dask(list(jobs), self.scheduler)
        if self._pool is None:  # no job to run
            return map(run_unit, jobs)
        return _pooled(self._pool, jobs)


@contextlib.contextmanager
def _ignoring_ctrl_c(ignore: bool) -> Iterator[None]:
    if not ignore or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _pooled(pool: concurrent.futures.Executor, jobs: Iterable[UnitJob]) -> Iterator[UnitResult]:
    """Each worker thread keeps its kernel for every unit it gets."""
    futures = {pool.submit(run_unit, job): job for job in jobs}
    for future in concurrent.futures.as_completed(futures):
        exc = future.exception()
        yield _failed(futures[future], exc) if exc else future.result()


def _dask(jobs: list[UnitJob], scheduler: str) -> Iterator[UnitResult]:
    if not jobs:
        return
    from distributed import Client, as_completed

    with Client(scheduler, timeout=SCHEDULER_TIMEOUT) as client:
        futures = client.map(run_unit_remote, jobs, key=[f"baocao-{job.year}-{job.unit}-{job.fingerprint.key[:12]}"
                                                           for job in jobs], pure=False)
        by_key = {future.key: job for future, job in zip(futures, jobs)}
        for future in as_completed(futures):
            job = by_key[future.key]
            exc = future.exception()
            yield _failed(job, exc) if exc else _land(job, future.result())


def check_scheduler(address: str) -> None:
    """Refuse, at once and in Vietnamese, a `--scheduler` that is not `tcp://HOST:PORT` or does not answer;
    otherwise the batch would plan and check every unit, then wait 30 s for Dask's English OSError."""
    parts = urlsplit(address)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or port is None:
        raise BaocaoError(Problem(file="--scheduler", value=address,
                                  message="địa chỉ cụm Dask cần có dạng tcp://MÁY:CỔNG, ví dụ tcp://10.0.0.5:8786"))
    try:
        socket.create_connection((parts.hostname, port), timeout=SCHEDULER_TIMEOUT).close()
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise BaocaoError(Problem(file="--scheduler", value=address,
                                  message=f"không kết nối được tới bộ điều phối Dask ({reason}): kiểm tra địa chỉ, cổng "
                                          "và máy đó đang chạy «dask scheduler»")) from None


def run(jobs: list[UnitJob], workers: int | None = None, scheduler: str | None = None) -> Iterator[UnitResult]:
    """Execute already-checked jobs in fresh `Workers` (for callers that need no overlap with a check)."""
    if not jobs:
        return
    with Workers(len(jobs), Path(jobs[0].root), workers, scheduler) as pool:
        yield from pool.run(jobs)
