"""Killing a batch at any moment costs nothing that was done: a real `baocao render` of several units is
SIGKILLed at random moments (seeded), and after every kill each output is either the complete file it was
before or a complete new one, never a truncated one; the next run finishes the rest.

The whole process tree (the command, its worker processes, their Jupyter kernels and any pandoc they run) is
first frozen with SIGSTOP, so that nothing can start or finish in between, then killed with SIGKILL.
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import nbformat
import psutil
import pytest
from PIL import Image
from pypdf import PdfReader

from baocao.atomic import is_stage, is_temp
from baocao.locks import is_lock
from conftest import copy_project

UNITS = ["toan-quoc", "an-giang", "ha-noi", "tay-ninh", "yen-bai", "ca-mau"]
SEED = 20241385
ROUNDS = 4
LIB = Path(__file__).resolve().parents[1] / "lib"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGSTOP/SIGKILL are POSIX signals")


def start_batch(root: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(LIB), os.environ.get("PYTHONPATH")])),
           "JUPYTER_RUNTIME_DIR": str(root / ".jupyter-runtime")}
    return subprocess.Popen([sys.executable, "-m", "baocao.cli", "render", "--year", "2024", "--unit", ",".join(UNITS),
                             "--jobs", "2"], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)


def kill_tree(batch: subprocess.Popen) -> None:
    """Freeze every process of the batch (kernels live in sessions of their own), then SIGKILL them all."""
    frozen: dict[int, psutil.Process] = {}
    root = psutil.Process(batch.pid)
    while found := [p for p in [root, *root.children(recursive=True)] if p.pid not in frozen]:
        for process in found:
            try:
                process.suspend()
            except psutil.NoSuchProcess:
                pass
            frozen[process.pid] = process
    for process in frozen.values():
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    batch.wait()
    while not all(dead(p) for p in frozen.values()):
        time.sleep(0.01)


def dead(process: psutil.Process) -> bool:
    """Gone, or a zombie: killed orphans wait for a reaper that a container's first process may never be."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def files(outputs: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(outputs.rglob("*")) if p.is_file()} if outputs.exists() else {}


def writes(outputs: Path) -> set[tuple[Path, int, int]]:
    """What is on disk now, temp files included: a new entry is a write that started, grew or landed."""
    seen = set()
    # os.walk, not rglob: a staging folder the batch publishes (renames) meanwhile is skipped, not an error
    for folder, _, names in os.walk(outputs):
        for path in (Path(folder) / name for name in names):
            try:
                stat = path.stat()
            except FileNotFoundError:  # a temp file renamed meanwhile
                continue
            seen.add((path, stat.st_size, stat.st_mtime_ns))
    return seen


def of_units(snapshot: dict[Path, bytes], units: set[str], outputs: Path) -> dict[Path, bytes]:
    return {path: data for path, data in snapshot.items() if path.relative_to(outputs).parts[0] in units}


def finished_units(outputs: Path) -> set[str]:
    done = set()
    for unit in UNITS:
        manifest = outputs / unit / "manifest.json"
        if manifest.is_file() and json.loads(manifest.read_text(encoding="utf-8"))["status"] == "ok":
            done.add(unit)
    return done


def assert_complete(path: Path) -> None:
    """The file opens as what its name says it is."""
    match path.suffix:
        case ".pdf":  # pypdf alone would rebuild a truncated file's cross-reference table and accept it
            assert path.read_bytes().rstrip().endswith(b"%%EOF"), f"truncated: {path}"
            assert len(PdfReader(path, strict=True).pages) > 0
        case ".docx":
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, f"damaged: {path}"
            assert docx.Document(str(path)).paragraphs
        case ".json":
            json.loads(path.read_text(encoding="utf-8"))
        case ".ipynb":
            nbformat.validate(nbformat.read(path, as_version=4))
        case ".png":
            with Image.open(path) as image:
                image.load()
        case ".md":
            assert path.read_text(encoding="utf-8").startswith("---")
        case _:
            pytest.fail(f"unexpected file {path}")


def assert_all_complete(outputs: Path) -> list[Path]:
    """Every output present is whole, staged ones too; the temp files and staging folders a kill may leave
    are returned (units' lock files stay: they are what the next run locks)."""
    temps = [path for path in outputs.iterdir() if is_stage(path)] if outputs.exists() else []
    for path in files(outputs):
        if is_temp(path):
            temps.append(path)
        elif not is_lock(path):
            assert_complete(path)
    return temps


def test_killing_a_batch_at_random_moments_loses_nothing_and_the_next_run_completes(tmp_path):
    root = copy_project(tmp_path / "project")
    outputs = root / "outputs" / "2024"
    rng = random.Random(SEED)
    kills = 0
    for _ in range(ROUNDS):
        if finished_units(outputs) == set(UNITS):  # a fast machine: nothing left to interrupt
            break
        finished = of_units(files(outputs), finished_units(outputs), outputs)
        seen = writes(outputs)
        # Kill the moment the n-th write of this round is seen (a file appearing, growing or landing): then
        # a file is most likely being written, the moment a non-atomic writer would leave half of it.
        wanted = rng.randint(5, 40)
        batch = start_batch(root)
        events = 0
        while batch.poll() is None and events < wanted:
            now = writes(outputs)
            events += len(now - seen)
            seen |= now
            time.sleep(0.002)
        if batch.poll() is None:
            kill_tree(batch)
            kills += 1
        batch.communicate()
        after = files(outputs)
        for path, data in finished.items():
            assert after.get(path) == data, f"{path} changed by a killed run"
        assert_all_complete(outputs)
    assert kills >= 2, "the batch should have been killed while running"

    done = finished_units(outputs)
    finished = of_units(files(outputs), done, outputs)
    final = start_batch(root)
    log = final.communicate()[0].decode()
    assert final.returncode == 0, log
    assert f"{len(done)} bỏ qua vì không đổi" in " ".join(log.split())
    assert finished_units(outputs) == set(UNITS)
    assert assert_all_complete(outputs) == [], "the next run removes the temp files and stages a kill left"
    after = files(outputs)
    for path, data in finished.items():
        assert after[path] == data, f"{path} of a finished unit was rewritten"
    for unit in UNITS:
        recorded = json.loads((outputs / unit / "manifest.json").read_text(encoding="utf-8"))
        assert {"bao-cao.pdf", "bao-cao.docx", "facts.json", "bao-cao.ipynb"} <= set(recorded["outputs"])


def test_the_next_run_removes_only_the_temp_files_a_killed_run_left(tmp_path):
    from baocao import batch
    from test_batch import make_project

    root = make_project(tmp_path)
    unit = root / "outputs" / "2024" / "an-giang"
    (unit / "figures").mkdir(parents=True)
    left = [unit / ".bao-cao.0a1b2c3d.baocao-tmp.pdf", unit / "figures" / ".bieu-do-1.9f8e7d6c.baocao-tmp.png"]
    kept = [unit / ".ghi-chu.txt", unit / "bao-cao.pdf"]  # a user's own hidden file, and an output
    for path in left + kept:
        path.write_bytes(b"x")
    batch.plan(2024, ["an-giang"], root, root / "outputs")
    assert [p.exists() for p in left + kept] == [False, False, True, True]
