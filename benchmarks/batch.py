"""Benchmark of batch rendering: prints figures, asserts nothing (not a test).

On the same units, in one run:
  (a) the naive loop a user would write: papermill CLI, jupyter nbconvert, pandoc, typst, unit after unit;
  (b) `baocao render --unit <the units> --force` (warm kernels, parallel);
  (c) the floor: pandoc and typst alone on the Markdown already made, with the same parallelism as (b);
  (d) `baocao render` again with nothing changed (every unit skipped).
It reports seconds per unit, the ratios (a)/(b) and (b)/(c), and the peak memory of each process tree.

Everything runs in a scratch copy of the project. Until per-province params and `baocao.render` are merged,
the copy gets stand-ins, flagged in the output: each province's params are the national params with the
unit changed (illustrative), and the master notebook's last cell is replaced by a stand-in render that runs
the same commands as (c). With both merged, (b) uses the real master notebook and params.

    python benchmarks/batch.py --units 16 32 64 [--jobs N] [--year 2024]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from baocao.batch import select_units  # noqa: E402
from baocao.params import params_path  # noqa: E402

FONTS = ROOT / "lib" / "baocao" / "fonts"
PYTHON = sys.executable


def pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def render_commands(md: Path) -> list[list[str]]:
    """What the stand-in render does for one unit, as command lines: Markdown → DOCX, → Typst → PDF."""
    typ, pdf = md.with_suffix(".typ"), md.with_suffix(".pdf")
    return [
        [pandoc(), str(md), "-o", str(md.with_suffix(".docx"))],
        [pandoc(), str(md), "-s", "-t", "typst", "-V", "mainfont=Liberation Serif", "-o", str(typ)],
        [PYTHON, "-c", f"import typst; typst.compile({str(typ)!r}, output={str(pdf)!r}, font_paths=[{str(FONTS)!r}])"],
    ]


# The stand-in for `bc.write_outputs` while baocao.render is not merged: the same files, the same tools.
STAND_IN_RENDER = '''import subprocess, typst, pypandoc
from baocao import atomic
out = Path(output_dir)
out.mkdir(parents=True, exist_ok=True)
md = atomic.write_text(out / "bao-cao.md", rpt.markdown)
atomic.write_text(out / "facts.json", __import__("json").dumps(rpt.facts, ensure_ascii=False, indent=2))
subprocess.run([pypandoc.get_pandoc_path(), str(md), "-o", str(out / "bao-cao.docx")], check=True)
subprocess.run([pypandoc.get_pandoc_path(), str(md), "-s", "-t", "typst", "-V", "mainfont=Liberation Serif",
                "-o", str(out / "bao-cao.typ")], check=True)
typst.compile(str(out / "bao-cao.typ"), output=str(out / "bao-cao.pdf"), font_paths=[FONTS])'''


def has_real_render() -> bool:
    return importlib.util.find_spec("baocao.render") is not None


def scratch_project(target: Path, year: int, units: list[str], real_render: bool) -> list[str]:
    """Copy params, data and notebook; add stand-ins where the real thing is not merged. Returns notes."""
    notes = []
    for name in ("params", "data", "notebooks"):
        shutil.copytree(ROOT / name, target / name)
    national = (target / "params" / f"{year}.yml").read_text(encoding="utf-8")
    data = (target / "data").as_posix()
    made = 0
    for unit in units[1:]:
        path = params_path(year, unit, target)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            text = national.replace("unit: toan-quoc", f"unit: {unit}").replace(" data/", f" {data}/")
            path.write_text(text.replace("illustrative: false", "") + "\nillustrative: true\n", encoding="utf-8")
            made += 1
    if made:
        notes.append(f"{made} tệp tham số tỉnh là bản sao tham số toàn quốc (minh họa, chưa có tham số từng tỉnh)")
    notebook = nbformat.read(target / "notebooks" / "bao_cao.ipynb", as_version=4)
    compute = nbformat.v4.new_notebook(cells=notebook.cells[:-1], metadata=notebook.metadata)
    compute.cells.append(nbformat.v4.new_code_cell(STAND_IN_RENDER.split("subprocess.run", 1)[0]))
    compute.cells[-1].source = compute.cells[-1].source.replace("import subprocess, typst, pypandoc\n", "")
    nbformat.write(compute, target / "notebooks" / "tinh-toan.ipynb")  # (a): compute + Markdown only
    if not real_render:
        notebook.cells[-1].source = STAND_IN_RENDER
        notebook.cells[1].source += f"\nFONTS = {str(FONTS)!r}"
        nbformat.write(notebook, target / "notebooks" / "bao_cao.ipynb")
        notes.append("baocao.render chưa có: ô cuối của sổ tính chính được thay bằng bản kết xuất thay thế "
                     "(pandoc → DOCX, pandoc → Typst → PDF), cùng lệnh với (c)")
    return notes


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
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        memory = PeakMemory(process.pid)
        _, stderr = process.communicate()
        peak = max(peak, memory.stop())
        if process.returncode not in (0, 1):
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
            [PYTHON, "-m", "papermill", "notebooks/tinh-toan.ipynb", str(out / "bao-cao.ipynb"), "-k", "python3",
             "-p", "year", str(year), "-p", "unit", unit, "-p", "params_file", str(params), "-p", "output_dir", str(out)],
            [PYTHON, "-m", "jupyter", "nbconvert", "--to", "html", "--no-input", str(out / "bao-cao.ipynb")],
            *render_commands(out / "bao-cao.md"),
        ]
    return timed(commands, project)


def floor(project: Path, year: int, units: list[str], jobs: int) -> float:
    """(c): only pandoc and Typst on the Markdown (b) made, `jobs` units at a time."""
    work = project / "floor"
    mds = []
    for unit in units:
        md = work / unit / "bao-cao.md"
        md.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(project / "outputs" / str(year) / unit / "bao-cao.md", md)
        mds.append(md)
    started = time.perf_counter()
    with ThreadPoolExecutor(jobs) as pool:
        list(pool.map(lambda md: [subprocess.run(c, check=True, capture_output=True) for c in render_commands(md)], mds))
    return time.perf_counter() - started


def baocao(project: Path, year: int, units: list[str], jobs: int, force: bool) -> tuple[float, int, int]:
    command = [PYTHON, "-m", "baocao.cli", "render", "--year", str(year), "--unit", ",".join(units),
               "--jobs", str(jobs)] + (["--force"] if force else [])
    env = os.environ | {"PYTHONPATH": str(ROOT / "lib"), "TQDM_DISABLE": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = PeakMemory(process.pid)
    stdout, stderr = process.communicate()
    seconds, peak = time.perf_counter() - started, memory.stop()
    if process.returncode != 0:
        sys.stderr.write(stdout.decode()[-2000:] + stderr.decode()[-2000:])
    return seconds, peak, process.returncode


def unit_seconds(project: Path, year: int, units: list[str]) -> list[float]:
    return [json.loads((project / "outputs" / str(year) / u / "manifest.json").read_text())["seconds"] for u in units]


def gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[16], help="số đơn vị, ví dụ 16 32 64")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-naive", action="store_true", help="bỏ qua (a), vòng lặp ngây thơ (rất lâu)")
    args = parser.parse_args()
    all_units = select_units("all", args.year)
    real_render = has_real_render()
    print(f"baocao batch benchmark — năm {args.year}, {args.jobs} tiến trình song song, {os.cpu_count()} lõi")
    rows = []
    for n in args.units:
        units = all_units[:n]
        with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
            project = Path(tmp)
            notes = scratch_project(project, args.year, units, real_render)
            for note in notes if n == args.units[0] else []:
                print(f"  lưu ý: {note}")
            b, b_peak, rc = baocao(project, args.year, units, args.jobs, force=True)
            per_unit = unit_seconds(project, args.year, units)
            c = floor(project, args.year, units, args.jobs)
            d, d_peak, _ = baocao(project, args.year, units, args.jobs, force=False)
            a, a_peak = naive(project, args.year, units) if not args.skip_naive else (float("nan"), 0)
        rows.append((n, a, b, c, d, a_peak, b_peak, rc, per_unit))
        print(f"\n{n} đơn vị ({'lỗi ở ' + str(rc) if rc else 'mọi đơn vị thành công'}):")
        if not args.skip_naive:
            print(f"  (a) vòng lặp ngây thơ  {a:8.1f} s  {a / n:6.2f} s/đơn vị  bộ nhớ đỉnh {gib(a_peak)}")
        print(f"  (b) baocao render      {b:8.1f} s  {b / n:6.2f} s/đơn vị  bộ nhớ đỉnh {gib(b_peak)}")
        print(f"  (c) chỉ pandoc + typst {c:8.1f} s  {c / n:6.2f} s/đơn vị")
        print(f"  (d) chạy lại, không đổi {d:7.1f} s  bộ nhớ đỉnh {gib(d_peak)}")
        print(("" if args.skip_naive else f"  (a)/(b) = {a / b:.1f}×") + f"   (b)/(c) = {b / c:.2f}×")
        print(f"  thời gian mỗi đơn vị trong (b), theo manifest: min {min(per_unit):.2f} s, "
              f"trung vị {sorted(per_unit)[len(per_unit) // 2]:.2f} s, max {max(per_unit):.2f} s")
    if len(rows) > 1:
        print("\nTuyến tính theo số đơn vị (giây/đơn vị của (b)): "
              + ", ".join(f"{n}: {b / n:.2f}" for n, _, b, *_ in rows))


if __name__ == "__main__":
    main()
