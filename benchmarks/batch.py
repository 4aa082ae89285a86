"""Benchmark of batch rendering: prints figures, asserts nothing (not a test).

On the same units, in one run, in a scratch copy of the project:
  (a) the naive loop a user would write without `baocao render --unit …`: for each unit, one after another,
      `python -m papermill` on the master notebook (a new kernel; its last cell renders DOCX and PDF with
      pandoc and Typst through `baocao.render`), then `jupyter nbconvert --to html` of the executed copy;
  (b) `baocao render --unit <the units> --force` (warm kernels, one per `--jobs` worker);
  (c) the floor: only the render layer (pandoc → DOCX and its layout, pandoc → Typst → PDF) on the Markdown
      (b) made, in `--jobs` processes started beforehand, so no start-up, notebook or report building counts;
  (d) `baocao render` again with nothing changed (every unit skipped).
(b) and (c) are measured `--repeat` times, alternately, and their medians compared: on a shared machine a
single run of either can be 20 % off. It reports seconds per unit, the ratios (a)/(b) and (b)/(c), and the
peak memory of each process tree.

    python benchmarks/batch.py --units 16 32 64 [--jobs N] [--year 2024] [--repeat 3] [--skip-naive]
                               [--province-registers]

With `--province-registers` (a year from 2025), every province of the scratch copy gets a workspace with its
own register of its sở, ban, ngành and all its communes, and its scoring, made by Tây Ninh's sample generator
(data/2025/tay-ninh/tao_du_lieu_minh_hoa.py), so that each province's report reads, counts and prints its
register, ranking annex included.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from baocao.batch import select_units  # noqa: E402
from baocao.params import params_path  # noqa: E402

PYTHON = sys.executable
ENV = os.environ | {"PYTHONPATH": str(ROOT / "lib"), "TQDM_DISABLE": "1"}


def scratch_project(target: Path) -> None:
    """The project's params, data and notebook, so outputs land in the scratch folder only."""
    for name in ("params", "data", "notebooks"):
        shutil.copytree(ROOT / name, target / name)


def province_registers(project: Path, year: int) -> int:
    """A workspace for every province of `year` with Tây Ninh's sample tables made for that province's own
    communes; returns the number of register rows written."""
    import importlib.util

    from baocao.communes import CommuneList
    from baocao.params import load_params
    from baocao.tablefiles import csv_text
    from baocao.units import UnitRegistry

    spec = importlib.util.spec_from_file_location("sample", ROOT / "data/2025/tay-ninh/tao_du_lieu_minh_hoa.py")
    sample = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sample)
    deadlines = load_params(project / "params" / str(year) / "tay-ninh.yml").deadlines
    rows = 0
    for seed, province in enumerate(UnitRegistry.load().expected("province", year)):
        folder = project / "data" / str(year) / province.slug
        folder.mkdir(parents=True, exist_ok=True)
        units = {"departments": sample.DEPARTMENTS,
                 "communes": [c.display_name for c in CommuneList.load().of(province, year)]}
        register = sample.register_rows(units, deadlines, seed=seed)
        tables = {"so-nganh.csv": [["Tên cơ quan", "Minh họa"]] + [[n, "có"] for n in sample.DEPARTMENTS],
                  "so-theo-doi.csv": register} | sample.scoring_tables(register, seed=seed)
        for name, table in tables.items():
            (folder / name).write_text(csv_text(table), encoding="utf-8")
        rows += len(register) - 4
    return rows


class PeakMemory:
    """Peak resident memory of a process and all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int):
        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
                total = 0
                for process in tree:
                    try:
                        total += process.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(commands: list[list[str]], cwd: Path) -> tuple[float, int]:
    """Run commands one after another; wall seconds and the highest peak memory of any of them."""
    started, peak = time.perf_counter(), 0
    for command in commands:
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        memory = PeakMemory(process.pid)
        _, stderr = process.communicate()
        peak = max(peak, memory.stop())
        if process.returncode != 0:
            raise RuntimeError(f"{command[:3]} thất bại: {stderr.decode(errors='replace')[-400:]}")
    return time.perf_counter() - started, peak


def naive(project: Path, year: int, units: list[str]) -> tuple[float, int]:
    """(a): what a user without baocao batch would script: a fresh interpreter and kernel for every step."""
    commands = []
    for unit in units:
        out = project / "naive" / str(year) / unit
        out.mkdir(parents=True, exist_ok=True)
        params = params_path(year, unit, project)
        commands += [
            [PYTHON, "-m", "papermill", "notebooks/bao_cao.ipynb", str(out / "bao-cao.ipynb"), "-k", "python3",
             "-p", "year", str(year), "-p", "unit", unit, "-p", "params_file", str(params), "-p", "output_dir", str(out)],
            [PYTHON, "-m", "jupyter", "nbconvert", "--to", "html", "--no-input", str(out / "bao-cao.ipynb")],
        ]
    return timed(commands, project)


def _render_only(md: str) -> None:
    from baocao.render import render

    render(Path(md), Path(md).parent)


def floor(project: Path, year: int, units: list[str], jobs: int) -> float:
    """(c): only the render layer on the Markdown (b) made, `jobs` units at a time in started processes."""
    mds = []
    shutil.rmtree(project / "floor", ignore_errors=True)  # a repeat starts from (b)'s Markdown again
    for unit in units:
        work = project / "floor" / unit
        shutil.copytree(project / "outputs" / str(year) / unit, work)
        mds.append(str(work / "bao-cao.md"))
    # Imported once here, forked workers inherit them: start-up, not rendering.
    import baocao.render.docx  # noqa: F401
    import baocao.render.typst_pdf  # noqa: F401

    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(abs, range(jobs)))  # the workers are started before the clock
        started = time.perf_counter()
        list(pool.map(_render_only, mds))
        return time.perf_counter() - started


def baocao(project: Path, year: int, units: list[str], jobs: int, force: bool) -> tuple[float, int, int]:
    command = [PYTHON, "-m", "baocao.cli", "render", "--year", str(year), "--unit", ",".join(units),
               "--jobs", str(jobs)] + (["--force"] if force else [])
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=project, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    seconds, peak = time.perf_counter() - started, memory.stop()
    if process.returncode != 0:
        sys.stderr.write(stdout.decode()[-2000:] + stderr.decode()[-2000:])
    return seconds, peak, process.returncode


def unit_seconds(project: Path, year: int, units: list[str]) -> list[float]:
    return [json.loads((project / "outputs" / str(year) / u / "manifest.json").read_text())["seconds"] for u in units]


def runs(seconds: list[float]) -> str:
    return f"  (trung vị của {', '.join(f'{x:.1f}' for x in seconds)})" if len(seconds) > 1 else ""


def gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[16], help="số đơn vị, ví dụ 16 32 64")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3,
                        help="số lần đo (b) và (c), xen kẽ; in trung vị (mặc định 3)")
    parser.add_argument("--skip-naive", action="store_true", help="bỏ qua (a), vòng lặp ngây thơ (rất lâu)")
    parser.add_argument("--province-registers", action="store_true",
                        help="mỗi tỉnh có sổ theo dõi riêng các sở, ngành và mọi xã, phường của tỉnh, và bảng chấm điểm")
    args = parser.parse_args()
    all_units = select_units("all", args.year)
    print(f"baocao batch benchmark — năm {args.year}, {args.jobs} nhân Jupyter song song, {os.cpu_count()} lõi")
    rows = []
    for n in args.units:
        units = all_units[:n]
        with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
            project = Path(tmp)
            scratch_project(project)
            if args.province_registers:
                print(f"  sổ theo dõi riêng của mọi tỉnh: {province_registers(project, args.year)} dòng đơn vị")
            b_runs, c_runs, b_peak, rc = [], [], 0, 0
            for _ in range(args.repeat):  # alternated, so that a slow spell of a shared machine hits both
                b, peak, code = baocao(project, args.year, units, args.jobs, force=True)
                b_runs.append(b)
                b_peak, rc = max(b_peak, peak), rc or code
                c_runs.append(floor(project, args.year, units, args.jobs))
            b, c = statistics.median(b_runs), statistics.median(c_runs)
            per_unit = unit_seconds(project, args.year, units)
            d, d_peak, _ = baocao(project, args.year, units, args.jobs, force=False)
            a, a_peak = naive(project, args.year, units) if not args.skip_naive else (float("nan"), 0)
        rows.append((n, a, b, c, d, a_peak, b_peak, rc, per_unit))
        print(f"\n{n} đơn vị ({'lỗi ở ' + str(rc) if rc else 'mọi đơn vị thành công'}):")
        if not args.skip_naive:
            print(f"  (a) vòng lặp ngây thơ  {a:8.1f} s  {a / n:6.2f} s/đơn vị  bộ nhớ đỉnh {gib(a_peak)}")
        print(f"  (b) baocao render      {b:8.1f} s  {b / n:6.2f} s/đơn vị  bộ nhớ đỉnh {gib(b_peak)}{runs(b_runs)}")
        print(f"  (c) chỉ kết xuất      {c:8.1f} s  {c / n:6.2f} s/đơn vị{runs(c_runs)}")
        print(f"  (d) chạy lại, không đổi {d:7.1f} s  bộ nhớ đỉnh {gib(d_peak)}")
        print(("" if args.skip_naive else f"  (a)/(b) = {a / b:.1f}×") + f"   (b)/(c) = {b / c:.2f}×")
        print(f"  thời gian mỗi đơn vị trong (b), theo manifest: min {min(per_unit):.2f} s, "
              f"trung vị {sorted(per_unit)[len(per_unit) // 2]:.2f} s, max {max(per_unit):.2f} s")
    if len(rows) > 1:
        print("\nTuyến tính theo số đơn vị (giây/đơn vị của (b)): "
              + ", ".join(f"{n}: {b / n:.2f}" for n, _, b, *_ in rows))


if __name__ == "__main__":
    main()
