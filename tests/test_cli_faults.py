"""Unexpected errors become messages (issue 17, cause 9): a wrong command line, `--outputs` naming a file, an
absurd year, a damaged `manifest.json`, an unreachable `--scheduler` and Ctrl-C each give a Vietnamese message
and never a Python traceback (which only `--debug` shows)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from baocao import atomic, batch, manifest
from conftest import ROOT, copy_project, pretend_rendered
from test_batch import make_project
from test_cli_errors import baocao

UNITS = ["toan-quoc", "an-giang", "ha-noi"]


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


YEARS = "năm cần là số nguyên từ 2000 đến 2100, ví dụ 2025"
JOBS = "số đơn vị chạy song song cần là số nguyên dương, ví dụ --jobs 2"
UNREACHABLE = "không kết nối được tới bộ điều phối Dask"
# case → (arguments, exit code, what the user reads)
CASES = {
    "jobs-negative": (["render", "--year", "2024", "--jobs", "-1"], 2, f"lỗi: tham số --jobs: «-1»: {JOBS}"),
    "jobs-zero": (["render", "--year", "2024", "--jobs", "0"], 2, f"lỗi: tham số --jobs: «0»: {JOBS}"),
    "jobs-text": (["render", "--year", "2024", "--jobs", "hai"], 2, f"lỗi: tham số --jobs: «hai»: {JOBS}"),
    "new-year-99999": (["new-year", "99999", "--from", "2024"], 2, f"lỗi: tham số year: «99999»: {YEARS}"),
    "new-year-0": (["new-year", "0", "--from", "2024"], 2, f"lỗi: tham số year: «0»: {YEARS}"),
    "new-year-negative": (["new-year", "--from", "2024", "--", "-5"], 2, f"lỗi: tham số year: «-5»: {YEARS}"),
    "from-99999": (["new-year", "2026", "--from", "99999"], 2, f"lỗi: tham số --from: «99999»: {YEARS}"),
    "render-year-99999": (["render", "--year", "99999"], 2, f"lỗi: tham số --year: «99999»: {YEARS}"),
    "check-year-1999": (["check", "--year", "1999"], 2, f"lỗi: tham số --year: «1999»: {YEARS}"),
    "check-year-text": (["check", "--year", "2024a"], 2, f"lỗi: tham số --year: «2024a»: {YEARS}"),
    "no-year": (["render"], 2, "lỗi: thiếu tham số bắt buộc: --year"),
    "outputs-a-file": (["render", "--year", "2024", "--outputs", "params/2024.yml"], 1,
                       "thư mục kết quả là một tệp, không phải thư mục: chọn một thư mục, ví dụ --outputs outputs"),
    "outputs-below-a-file": (["render", "--year", "2024", "--outputs", "params/2024.yml/ket-qua"], 1,
                             "thư mục kết quả nằm dưới tệp «"),
    "scheduler-closed-port": (["render", "--year", "2024", "--scheduler", "tcp://127.0.0.1:{port}"], 1,
                              f"{UNREACHABLE} (Connection refused): kiểm tra địa chỉ, cổng và máy đó đang chạy «dask scheduler»"),
    "scheduler-unknown-host": (["render", "--year", "2024", "--scheduler", "tcp://khong-co-may-nay.invalid:8786"], 1, UNREACHABLE),
    "scheduler-no-port": (["render", "--year", "2024", "--scheduler", "localhost"], 1,
                          "địa chỉ cụm Dask cần có dạng tcp://MÁY:CỔNG, ví dụ tcp://10.0.0.5:8786"),
    "scheduler-http": (["render", "--year", "2024", "--scheduler", "http://127.0.0.1:8787"], 1,
                       "địa chỉ cụm Dask cần có dạng tcp://MÁY:CỔNG"),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.mark.parametrize("case", CASES)
def test_a_wrong_command_line_gets_a_vietnamese_message_and_no_traceback(project, case):
    args, code, message = CASES[case]
    started = time.monotonic()
    result = baocao(*[arg.format(port=closed_port()) for arg in args], cwd=project)
    shown = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == code, shown
    assert message in shown, shown
    assert "Traceback" not in shown and "Lỗi không mong đợi" not in shown and "error:" not in shown
    assert time.monotonic() - started < 20, "an unreachable scheduler is reported at once, not after Dask's 30 s"
    assert not (project / "outputs").exists() and not (project / "params" / "2026.yml").exists()


# --- a damaged manifest counts as none ----------------------------------------------------------------------------

DAMAGES = {
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
    "empty": lambda path: path.write_bytes(b""),
    "binary": lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe"),
    "a-list": lambda path: path.write_text("[1, 2, 3]", encoding="utf-8"),
    "no-key": lambda path: path.write_text('{"status": "ok", "outputs": []}', encoding="utf-8"),
    "outputs-not-a-list": lambda path: path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")) | {"outputs": "bao-cao.md"})),
    "outputs-outside": lambda path: path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")) | {"outputs": ["../../params/2024.yml"]})),
    "key-a-number": lambda path: path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")) | {"key": 1})),
}


@pytest.fixture
def rendered(tmp_path) -> Path:
    root = make_project(tmp_path)
    assert {r.status for r in batch.run(batch.plan(2024, UNITS, root, root / "outputs").jobs, workers=1)} == {batch.OK}
    return root


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_manifest_counts_as_none_with_a_warning(tmp_path, damage):
    root = make_project(tmp_path)
    pretend_rendered(root, 2024, UNITS)
    path = root / "outputs" / "2024" / "an-giang" / manifest.MANIFEST_NAME
    DAMAGES[damage](path)
    with batch.plan(2024, UNITS, root, root / "outputs") as plan:
        assert [job.unit for job in plan.jobs] == ["an-giang"]
        [warning] = plan.problems["an-giang"]
        assert (warning.file, warning.severity) == (str(path), "cảnh báo")
        assert warning.message == "tệp manifest.json hỏng hoặc không đọc được: coi như chưa có, đơn vị được kết xuất lại"


def test_a_batch_with_damaged_manifests_warns_rerenders_those_units_and_goes_on(rendered):
    outputs = rendered / "outputs" / "2024"
    DAMAGES["truncated"](outputs / "an-giang" / manifest.MANIFEST_NAME)
    (outputs / "ha-noi" / manifest.MANIFEST_NAME).unlink()
    (outputs / "ha-noi" / manifest.MANIFEST_NAME).mkdir()  # a folder where the manifest goes: that unit fails alone
    result = baocao("render", "--year", "2024", "--unit", ",".join(UNITS), "--jobs", "1", cwd=rendered)
    shown = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1 and "Traceback" not in shown, shown
    assert "outputs/2024/an-giang/manifest.json │ │ │ │ │ tệp manifest.json hỏng hoặc không đọc được: coi như chưa có" in shown
    assert "1 đơn vị đã kết xuất, 1 bỏ qua vì không đổi, 1 lỗi" in shown, shown
    assert "manifest.json: không ghi được tệp: ở đó là một thư mục: xóa hoặc đổi tên thư mục đó rồi chạy lại" in shown
    assert json.loads((outputs / "an-giang" / manifest.MANIFEST_NAME).read_text(encoding="utf-8"))["status"] == "ok"


# --- Ctrl-C ------------------------------------------------------------------------------------------------------

def test_ctrl_c_stops_the_batch_with_a_summary_of_what_finished(tmp_path):
    """SIGINT (what Ctrl-C sends) to a real batch while its third unit runs: the two finished units are
    listed as rendered, the running one as stopped with its earlier outputs kept; no traceback; the kernel
    that ran it is gone; the next run renders only that unit."""
    root = make_project(tmp_path, fail_unit="ha-noi", failure="import time; time.sleep(120)")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "lib"), "COLUMNS": "1000", "JUPYTER_RUNTIME_DIR": str(root / ".jupyter-runtime")}
    command = [sys.executable, "-m", "baocao.cli", "render", "--year", "2024", "--unit", ",".join(UNITS), "--jobs", "1"]
    run = subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stage = atomic.stage_of(root / "outputs" / "2024" / "ha-noi")
    deadline = time.monotonic() + 180
    while not (stage / "bao-cao.md").exists():  # ha-noi is inside its notebook, sleeping
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()[0]
        time.sleep(0.05)
    kernel = [p for p in _kernels() if Path(f"/proc/{p}/cwd").resolve() == root.resolve()]
    run.send_signal(signal.SIGINT)
    started = time.monotonic()
    shown = " ".join(run.communicate(timeout=120)[0].split())
    assert run.returncode == 130, shown
    assert time.monotonic() - started < 60, "the running unit is stopped, not waited for"
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown, shown
    assert "│ toan-quoc │ đã kết xuất │" in shown and "│ an-giang │ đã kết xuất │" in shown
    assert "│ ha-noi │ dừng (Ctrl-C): giữ kết quả cũ │" in shown
    assert ("Đã dừng theo yêu cầu (Ctrl-C). Năm 2024: 2 đơn vị đã kết xuất, 0 bỏ qua vì không đổi, 0 lỗi, 1 chưa xong "
            "(giữ nguyên kết quả cũ). Chạy lại lệnh để kết xuất phần còn lại.") in shown
    assert not (root / "outputs" / "2024" / "ha-noi").exists() and not stage.exists()
    assert kernel and not any(Path(f"/proc/{pid}").exists() and _running(pid) for pid in kernel)
    with batch.plan(2024, UNITS, root, root / "outputs") as plan:
        assert [job.unit for job in plan.jobs] == ["ha-noi"]


def _kernels() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"ipykernel_launcher" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return False
