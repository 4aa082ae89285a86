"""Render many units in one command: the national report and every province, in parallel, incrementally.

`plan` decides what to run (loads every unit's parameters, hashes its inputs, skips units whose manifest
says nothing changed); `checked` passes each unit on once its data passes the check; `Workers.run` executes
them and yields each result as it finishes. A unit runs the master notebook in a warm kernel of its worker
(see `kernels`), so the cost of starting Python and importing the libraries is paid once per worker
instead of once per unit.

The same unit function runs in local worker threads, each driving its own kernel, or on a Dask cluster.

Report building, kernels and papermill are imported where they are first needed: a re-run in which every
unit is up to date answers in about a second, without importing them.
"""
from __future__ import annotations

import concurrent.futures
import difflib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from . import atomic, manifest, outdirs
from .errors import BaocaoError, Problem, unreadable
from .execute import FAILED_NAME, NOTEBOOK, execute
from .params import Params, load_params, params_path
from .units import NATIONAL_SLUG, UnitRegistry

ALL = "all"
OK, SKIPPED, FAILED = "ok", "skipped", "failed"


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
    draft: bool = False
    final: bool = False

    @property
    def parameters(self) -> dict:
        return {"year": self.year, "unit": self.unit, "params_file": self.params_file, "output_dir": self.outdir,
                "draft": self.draft, "final": self.final}


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
    jobs: list[UnitJob]
    skipped: list[UnitResult]
    params: dict[str, Params] = field(default_factory=dict)  # unit → its loaded parameters
    strict: bool = False
    final: bool = False
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # unit → what `checked` found, errors and warnings
    rejected: list[UnitResult] = field(default_factory=list)


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
        result = checks.check(read_inputs(plan.params[job.unit]), strict=plan.strict, final=plan.final)
        plan.problems[job.unit] = result.problems
        if not result.ok:
            plan.rejected.append(UnitResult(unit=job.unit, status=FAILED, error=DATA_ERROR))
            continue
        yield job


def plan(year: int, units: list[str], root: Path, outputs: Path, force: bool = False,
         params_file: Path | None = None, notebook: Path | None = None, strict: bool = False,
         draft: bool = False, final: bool = False) -> Plan:
    """Load and hash every unit and keep those whose inputs changed (all, with `force`); every parameter
    problem is raised together. The data of the units to render is checked by `checked`."""
    root, outputs = root.resolve(), outputs.resolve()
    notebook = (notebook or root / NOTEBOOK).resolve()
    loaded, problems = {}, []
    for unit in units:
        try:
            loaded[unit] = load_params(params_file or params_path(year, unit, root))
        except BaocaoError as exc:
            problems += exc.problems
    if problems:
        raise BaocaoError(problems)
    versions = manifest.environment()
    jobs, skipped = [], []
    for unit, params in loaded.items():
        outdir = outdirs.unit_dir(outputs, year, unit)
        atomic.sweep(outdir)  # temp files of a run that was killed
        job = UnitJob(year=year, unit=unit, root=str(root), params_file=str(params.source.resolve()),
                      outdir=str(outdir), notebook=str(notebook), fingerprint=None, draft=draft,
                      final=final)
        try:
            fp = manifest.fingerprint(params, notebook, unit == NATIONAL_SLUG, versions, job.parameters)
        except BaocaoError as exc:
            problems += exc.problems
            continue
        except OSError as exc:
            problems.append(unreadable(exc.filename or params.source, exc))
            continue
        if not force and manifest.is_fresh(outdir, fp):
            skipped.append(UnitResult(unit=unit, status=SKIPPED, outputs=manifest.read(outdir)["outputs"]))
        else:
            jobs.append(replace(job, fingerprint=fp))
    if problems:
        raise BaocaoError(problems)
    return Plan(jobs=jobs, skipped=skipped, params=loaded, strict=strict, final=final)


def _outputs(outdir: Path) -> list[str]:
    return sorted(p.name for p in outdir.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p.name != manifest.MANIFEST_NAME)


KERNEL_FAILED = "nhân Jupyter dừng hoặc không phản hồi giữa chừng (ví dụ hết bộ nhớ); đơn vị sau chạy trên nhân mới"


def run_unit(job: UnitJob) -> UnitResult:
    """Render one unit in this worker's warm kernel and record its manifest; never raises for a unit's
    own failure, so the other units carry on."""
    from .kernels import in_thread_context

    return in_thread_context(_run_unit, job)


def _run_unit(job: UnitJob) -> UnitResult:
    from .kernels import discard, warm_kernel

    outdir = Path(job.outdir)
    started = time.perf_counter()
    error = ""
    kernel = None
    try:
        kernel = warm_kernel(Path(job.root))
        execute(Path(job.root), outdir, job.parameters, kernel=kernel, notebook=Path(job.notebook))
    except BaocaoError as exc:  # the notebook failed: the kernel is fine, the marked notebook is kept
        error = "; ".join(str(p) for p in exc.problems)
    except Exception as exc:  # the kernel died or hung: it must not take the next unit with it
        error = f"{KERNEL_FAILED} ({type(exc).__name__}: {exc})"
        if kernel is not None:
            discard(kernel)
    seconds = time.perf_counter() - started
    outdir.mkdir(parents=True, exist_ok=True)
    status = FAILED if error else OK
    outputs = _outputs(outdir)
    try:
        manifest.write(outdir, job.fingerprint, status, seconds, outputs, error)
    except BaocaoError as exc:  # a full disk: this unit is reported failed, the next ones still get their turn
        status, error = FAILED, "; ".join(filter(None, [error, str(exc)]))
    return UnitResult(unit=job.unit, status=status, seconds=seconds, outputs=outputs, error=error)


def run_unit_remote(job: UnitJob) -> UnitResult:
    """run_unit on a worker that may not share our disk: render into a scratch folder, send the files back.

    The project (params, data, notebook) must be at the same path on the worker."""
    scratch = Path(tempfile.mkdtemp(prefix=f"baocao-{job.unit}-"))
    try:
        result = run_unit(replace(job, outdir=str(scratch)))
        result.files = {p.name: p.read_bytes() for p in scratch.iterdir() if p.is_file() and not p.name.startswith(".")}
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _land(job: UnitJob, result: UnitResult) -> UnitResult:
    """Write the files a remote worker sent back into the unit's folder, each atomically."""
    outdir = Path(job.outdir)
    for name, data in (result.files or {}).items():
        atomic.write_bytes(outdirs.inside(outdir, name, source=f"tệp gửi về từ máy chạy đơn vị {job.unit}"), data)
    if result.status == OK:
        (outdir / FAILED_NAME).unlink(missing_ok=True)
    result.files = None
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

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            from .kernels import shutdown_all

            shutdown_all()

    def run(self, jobs: Iterable[UnitJob]) -> Iterator[UnitResult]:
        """Execute the jobs, taken as they come (see `checked`), and yield each unit's result as soon as it is
        done, in completion order."""
        if self.scheduler:
            return _dask(list(jobs), self.scheduler)
        if self._pool is None:  # no job to run
            return map(run_unit, jobs)
        return _pooled(self._pool, jobs)


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

    with Client(scheduler) as client:
        futures = client.map(run_unit_remote, jobs, key=[f"baocao-{job.year}-{job.unit}-{job.fingerprint.key[:12]}"
                                                           for job in jobs], pure=False)
        by_key = {future.key: job for future, job in zip(futures, jobs)}
        for future in as_completed(futures):
            job = by_key[future.key]
            exc = future.exception()
            yield _failed(job, exc) if exc else _land(job, future.result())


def run(jobs: list[UnitJob], workers: int | None = None, scheduler: str | None = None) -> Iterator[UnitResult]:
    """Execute already-checked jobs in fresh `Workers` (for callers that need no overlap with a check)."""
    if not jobs:
        return
    with Workers(len(jobs), Path(jobs[0].root), workers, scheduler) as pool:
        yield from pool.run(jobs)
