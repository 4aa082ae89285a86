"""Benchmark of the edit loop in JupyterLab: prints figures, asserts nothing (not a test).

An analyst has the master notebook open on a province's report, edits a prose file or a cell of a data table,
and re-runs the report cell («Báo cáo», the preview) in the same kernel. This measures, in a scratch copy of
the project, with a kernel started as JupyterLab starts it (in notebooks/, told the notebook's path):
  cold: the first run of the notebook in a fresh kernel (kernel start, then each cell: parameters, the
        preview, the data tables, the DOCX/PDF and page preview);
  warm: after editing one prose file (a new sentence each time), then one data cell (a new value each time),
        the preview cell again, timed from the request to the kernel until its output is back and shows the
        edit (the edit is checked in the output, so a stale view would not count).

    python benchmarks/edit_loop.py [--year 2024] [--unit tay-ninh] [--repeat 5]
"""
from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

from baocao.params import load_params, params_path  # noqa: E402

PREVIEW_CELL = "bao-cao"  # the cell ids of the master notebook
PARAMETERS_CELL = "tham-so"


def scratch_project(target: Path) -> None:
    for name in ("params", "data", "notebooks"):
        shutil.copytree(ROOT / name, target / name)


class Kernel:
    """A kernel started as JupyterLab starts one for a notebook."""

    def __init__(self, notebook: Path):
        env = os.environ | {"JPY_SESSION_NAME": str(notebook), "PYTHONPATH": str(ROOT / "lib")}
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(notebook.parent), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def run(self, code: str) -> str:
        """Run `code`; return the text/html and text/plain it displayed, raising on an error."""
        shown = []

        def keep(message):
            content = message["content"]
            if message["msg_type"] in ("display_data", "execute_result"):
                shown.append(content["data"].get("text/html", "") + content["data"].get("text/plain", ""))
            elif message["msg_type"] == "error":
                raise RuntimeError(f"{content['ename']}: {content['evalue']}")

        reply = self.kc.execute_interactive(code, output_hook=keep, timeout=600)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(reply["content"].get("evalue", "lỗi"))
        return "".join(shown)

    def stop(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def cells(notebook: Path, unit: str, year: int) -> dict[str, str]:
    """id → source of each code cell, the parameters set to the unit as an analyst sets them."""
    nb = nbformat.read(notebook, as_version=4)
    sources = {cell.id: cell.source for cell in nb.cells if cell.cell_type == "code"}
    sources[PARAMETERS_CELL] = (sources[PARAMETERS_CELL].replace('unit = "toan-quoc"', f'unit = "{unit}"')
                                .replace("year = 2024", f"year = {year}"))
    return sources


def timed(kernel: Kernel, code: str, expect: str | None = None) -> float:
    start = time.perf_counter()
    shown = kernel.run(code)
    elapsed = time.perf_counter() - start
    if expect is not None and expect not in shown:
        raise RuntimeError(f"the preview does not show the edit «{expect}»")
    return elapsed


def edit_prose(path: Path, n: int) -> str:
    marker = f"Câu sửa thử số {n}."
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + f" {marker}\n", encoding="utf-8")
    return marker


def edit_cell(path: Path, unit_name: str, key: str, value: int) -> str:
    """Set «Giá trị» of `unit_name`'s `key` row in a per-province indicator table; the text the report shows."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    column = rows[0].index("Giá trị")
    for row in rows[1:]:
        if row[0] == unit_name and row[1] == key:
            row[column] = str(value)
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)
    return f"{value:,}".replace(",", ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--unit", default="tay-ninh")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="baocao-edit-loop-") as scratch:
        project = Path(scratch)
        scratch_project(project)
        notebook = project / "notebooks" / "bao_cao.ipynb"
        params = load_params(params_path(args.year, args.unit, project))
        prose = sorted(params.path(params.data.prose).glob("*.md"))[0]
        table = params.path(params.data.indicators)
        sources = cells(notebook, args.unit, args.year)

        start = time.perf_counter()
        kernel = Kernel(notebook)
        started = time.perf_counter() - start
        try:
            cold = {cell: timed(kernel, code) for cell, code in sources.items()}
            cold_total = time.perf_counter() - start
            prose_runs = [timed(kernel, sources[PREVIEW_CELL], edit_prose(prose, n)) for n in range(args.repeat)]
            data_runs = [timed(kernel, sources[PREVIEW_CELL], edit_cell(table, params.unit_record.name,
                                                                          "citizen_visits", 12345 + n))
                         for n in range(args.repeat)]
        finally:
            kernel.stop()

    print(f"Edit loop, {args.year} {args.unit}, kernel as JupyterLab starts it (notebooks/), {args.repeat} edits each")
    print(f"  cold: kernel start {started:.2f} s; " + "; ".join(f"{cell} {t:.2f} s" for cell, t in cold.items())
          + f"; whole notebook {cold_total:.2f} s")
    print(f"  cold preview cell (first run in the kernel): {cold[PREVIEW_CELL]:.2f} s")
    for name, runs in (("prose file edited", prose_runs), ("data cell edited", data_runs)):
        print(f"  warm preview cell, {name}: median {statistics.median(runs):.3f} s, max {max(runs):.3f} s "
              f"({', '.join(f'{t:.3f}' for t in runs)})")


if __name__ == "__main__":
    main()
