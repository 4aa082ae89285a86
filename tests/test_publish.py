"""One run's outputs or none, and one run per unit at a time (issue 17, causes 3 and 4).

A unit's outputs are staged beside its folder and published together (`baocao.atomic.publish`); a publish
killed half way is finished by the next run (`atomic.recover`), a stage that was never committed is dropped.
A unit's lock (`baocao.locks`) keeps a second run from touching a unit a first run is rendering. The
end-to-end case (a unit whose PDF step fails keeps every earlier output while the others update) is in
tests/test_faults.py.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from baocao import atomic, batch, locks
from conftest import ROOT
from test_batch import make_project

EARLIER = {"bao-cao.pdf": b"pdf 1", "bao-cao.docx": b"docx 1", "figures/cu.png": b"png old",
           "manifest.json": b'{"run": 1}'}
NEW = {"bao-cao.pdf": b"pdf 2", "bao-cao.docx": b"docx 2", "figures/moi.png": b"png new",
       "manifest.json": b'{"run": 2}'}
NAMES = ["bao-cao.docx", "bao-cao.pdf", "figures/moi.png"]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fill(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


@pytest.fixture
def unit(tmp_path) -> Path:
    folder = tmp_path / "outputs" / "2024" / "an-giang"
    fill(folder, EARLIER)
    fill(atomic.new_stage(folder), NEW)
    return folder


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even `except Exception`."""


def test_publishing_moves_the_whole_set_in_and_drops_what_the_new_set_no_longer_has(unit):
    atomic.publish(unit, NAMES, last="manifest.json", remove=["figures/cu.png", "bao-cao.pdf"])
    assert tree(unit) == NEW  # a name of the new set is never removed, even when listed as earlier
    assert not atomic.stage_of(unit).exists()


# Killed at the n-th rename out of the stage: 0 is the commit record itself (the set never counted), then
# the 1st, 2nd, … output, and last the manifest.
@pytest.mark.parametrize("renames_done", range(len(NAMES) + 2))
def test_a_publish_killed_half_way_is_finished_by_the_next_run(unit, monkeypatch, renames_done):
    real_replace, renames = os.replace, []

    def replace(source, target):
        if atomic.stage_of(unit) in Path(source).parents:
            if len(renames) == renames_done:
                raise Killed
            renames.append(source)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(Killed):
        atomic.publish(unit, NAMES, last="manifest.json", remove=["figures/cu.png"])
    monkeypatch.undo()
    assert json.loads(tree(unit)["manifest.json"]) == {"run": 1}  # the manifest still says: the earlier run
    atomic.recover(unit)
    assert tree(unit) == (EARLIER if renames_done == 0 else NEW) and not atomic.stage_of(unit).exists()


@pytest.mark.parametrize("record", [None, "{not json", json.dumps({"names": ["../../outside.txt"], "last": "manifest.json",
                                                                      "remove": []}),
                                    json.dumps(["a list"]), json.dumps({"names": ["/etc/passwd"], "last": "manifest.json"})])
def test_a_stage_never_committed_or_with_a_foreign_record_is_dropped_and_the_earlier_set_stays(unit, record):
    if record is not None:
        (atomic.stage_of(unit) / atomic.COMMIT_NAME).write_text(record, encoding="utf-8")
    (unit.parent / "outside.txt").write_bytes(b"kept")
    atomic.recover(unit)
    assert tree(unit) == EARLIER and not atomic.stage_of(unit).exists()
    assert (unit.parent / "outside.txt").read_bytes() == b"kept"


def test_a_failed_run_drops_its_stage_but_not_one_whose_publish_began(unit):
    atomic.discard_stage(unit)
    assert not atomic.stage_of(unit).exists() and tree(unit) == EARLIER
    fill(atomic.new_stage(unit), NEW)
    (atomic.stage_of(unit) / atomic.COMMIT_NAME).write_text(
        json.dumps({"names": NAMES, "last": "manifest.json", "remove": []}), encoding="utf-8")
    atomic.discard_stage(unit)
    assert atomic.stage_of(unit).exists()  # part of it may be published already: the next run finishes it


# --- one run per unit -------------------------------------------------------------------------------------------

LIB = ROOT / "lib"
SLOW_UNIT = "an-giang"


def start(root: Path, units: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(LIB), "COLUMNS": "1000", "JUPYTER_RUNTIME_DIR": str(root / ".jupyter-runtime")}
    return subprocess.Popen([sys.executable, "-m", "baocao.cli", "render", "--year", "2024", "--unit", units, "--jobs", "1"],
                            cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def slow_project(tmp_path) -> Path:
    """A unit whose notebook takes a while, so that a second run arrives while the first renders it."""
    return make_project(tmp_path, fail_unit=SLOW_UNIT, failure="import time; time.sleep(8)")


@pytest.mark.parametrize("second", [SLOW_UNIT, f"toan-quoc,{SLOW_UNIT}"])
def test_a_second_run_on_a_unit_being_rendered_says_who_holds_it_and_leaves_it_alone(slow_project, second):
    stage = atomic.stage_of(slow_project / "outputs" / "2024" / SLOW_UNIT)
    first = start(slow_project, SLOW_UNIT)
    try:
        wait_for(lambda: (stage / "bao-cao.md").exists())  # the first run is inside the unit's notebook
        other = start(slow_project, second)
        said = " ".join(other.communicate(timeout=300)[0].split())
        assert other.returncode == 1 and "Traceback" not in said, said
        assert f"một lần chạy khác (tiến trình {first.pid}, bắt đầu lúc" in said, said
        assert "đang kết xuất đơn vị này: đợi lần chạy đó xong rồi chạy lại" in said
        if second == SLOW_UNIT:  # refused at once, while the first run is still inside the notebook
            assert (stage / "bao-cao.md").exists(), "the second run must not clean up the first run's stage"
        else:
            assert "1 đơn vị đã kết xuất" in said and (slow_project / "outputs/2024/toan-quoc/bao-cao.md").exists()
        log = first.communicate(timeout=300)[0]
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert first.returncode == 0, log
    done = slow_project / "outputs" / "2024" / SLOW_UNIT
    assert (done / "bao-cao.md").read_text(encoding="utf-8").startswith(SLOW_UNIT) and not stage.exists()


def test_a_killed_run_leaves_no_lock_and_the_next_run_clears_its_stage(slow_project):
    stage = atomic.stage_of(slow_project / "outputs" / "2024" / SLOW_UNIT)
    first = start(slow_project, SLOW_UNIT)
    wait_for(lambda: (stage / "bao-cao.md").exists())
    os.kill(first.pid, signal.SIGKILL)  # its kernel lives on in its own session, sleeping
    first.communicate()
    plan = batch.plan(2024, [SLOW_UNIT], slow_project, slow_project / "outputs")
    try:
        assert [job.unit for job in plan.jobs] == [SLOW_UNIT] and not any(plan.problems.values())
        assert not stage.exists()
    finally:
        plan.close()


def test_the_lock_is_one_per_process_and_freed_on_release(tmp_path):
    folder = tmp_path / "outputs" / "2024" / "hue"
    held = locks.acquire(folder, "hue")
    again = locks.acquire(folder, "hue")  # the same process planning again does not wait on itself
    code = (f"from baocao import locks; r = locks.acquire({str(folder)!r}, 'hue'); "
            "print(type(r).__name__, getattr(r, 'message', ''))")
    other = lambda: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                   env={**os.environ, "PYTHONPATH": str(LIB)}).stdout
    assert other().startswith("Problem một lần chạy khác (tiến trình")
    held.release()
    assert other().startswith("Problem")  # still held by `again`
    again.release()
    assert other().startswith("UnitLock")


# --- what a remote (Dask) worker sends back lands as one set too ---------------------------------------------

def _remote(outdir: Path, files: dict[str, bytes]) -> batch.UnitResult:
    job = batch.UnitJob(year=2024, unit="an-giang", root="/", params_file="", outdir=str(outdir), notebook="", fingerprint=None)
    return batch._land(job, batch.UnitResult(unit="an-giang", status=batch.OK, files=files))


def test_files_sent_back_by_a_remote_worker_land_together_figures_included(unit):
    (unit / "manifest.json").write_text(json.dumps({"key": "k", "outputs": ["bao-cao.pdf", "bao-cao.docx", "figures/cu.png"]}))
    result = _remote(unit, NEW)
    assert result.status == batch.OK and result.outputs == NAMES
    assert tree(unit) == NEW and not atomic.stage_of(unit).exists()  # figures/cu.png of the earlier set is gone


@pytest.mark.parametrize("name", ["../thoat.pdf", "figures/../../thoat.pdf", "/etc/passwd", "a\0.pdf", "figures\\..\\x.pdf"])
def test_a_remote_file_name_that_would_leave_the_unit_folder_fails_the_unit_and_lands_nothing(unit, name):
    result = _remote(unit, NEW | {name: b"x"})
    assert result.status == batch.FAILED and "tên không dùng được làm đường dẫn" in result.error
    assert tree(unit) == EARLIER and not atomic.stage_of(unit).exists()
    assert not (unit.parent / "thoat.pdf").exists() and not (unit.parent.parent / "thoat.pdf").exists()
