"""Faults outside the user's data (pandoc or Typst failing, a full disk) give a clear Vietnamese message with
the tool's own words, and cost no earlier output: what was rendered before stays byte for byte, no half file
is left, and the other units of a batch carry on.

pandoc and Typst failures are provoked from outside the kit, through the pandoc that pypandoc is told to use
(`PYPANDOC_PANDOC`): a stand-in that fails, or one that breaks the Typst source it writes for one unit, as a
damaged template would. The disk fills up by making the operating system's write, flush or rename fail with
ENOSPC. (A unit whose notebook fails is covered by tests/test_batch.py.)
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from baocao import atomic, batch
from baocao import render as render_package
from baocao.atomic import is_temp
from baocao.errors import BaocaoError
from baocao.render import render
from baocao.render.tools import TEMPLATES_DIR, pandoc_path
from conftest import copy_project
from test_batch import make_project

SAMPLE = Path(__file__).parent / "data" / "sample-report.md"
LIB = Path(__file__).resolve().parents[1] / "lib"
UNITS = ["an-giang", "tay-ninh"]
BROKEN_UNIT = "tay-ninh"
FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_temp(p)]


# --- a full disk ----------------------------------------------------------------------------------------------

def _half_then_full(original):
    def write_bytes(self, data):
        original(self, data[: len(data) // 2])
        raise FULL
    return write_bytes


def _full(*args, **kwargs):
    raise FULL


def _locked(*args, **kwargs):  # Windows refuses to replace a file open in Word
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))


DISK_FULL = "không ghi được tệp: hết dung lượng đĩa"
FAULT_POINTS = {  # where writing fails → the output it hits first, and the message
    "full-at-write": (lambda mp: mp.setattr(Path, "write_bytes", _half_then_full(Path.write_bytes)), "bao-cao.pdf", DISK_FULL),
    "full-at-fsync": (lambda mp: mp.setattr(os, "fsync", _full), "bao-cao.docx", DISK_FULL),
    "full-at-rename": (lambda mp: mp.setattr(os, "replace", _full), "bao-cao.docx", DISK_FULL),
    "open-in-word": (lambda mp: mp.setattr(os, "replace", _locked), "bao-cao.docx",
                     "không ghi được tệp: không có quyền ghi (tệp đang mở trong Word/Excel"),
}


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_a_failed_write_names_the_file_and_keeps_the_earlier_outputs_whole(point, tmp_path, monkeypatch):
    out = tmp_path / "out"
    render(SAMPLE, out)
    before = snapshot(out)
    break_writes, hit, message = FAULT_POINTS[point]
    break_writes(monkeypatch)
    with pytest.raises(BaocaoError) as caught:
        render(SAMPLE, out)
    monkeypatch.undo()
    problem = caught.value.problems[0]
    assert Path(problem.file) == out / hit
    assert problem.message.startswith(message)
    assert snapshot(out) == before, "earlier outputs unchanged and no partial or temp file left"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_outputs_get_the_permissions_of_any_new_file_so_colleagues_can_open_them(tmp_path):
    umask = os.umask(0o022)
    try:
        outputs = render(SAMPLE, tmp_path)
    finally:
        os.umask(umask)
    assert {path.stat().st_mode & 0o777 for path in outputs.values()} == {0o644}


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell which file is flushed")
def test_a_full_disk_fails_only_the_unit_it_hits_and_the_batch_goes_on(tmp_path, monkeypatch):
    root = make_project(tmp_path)
    units = ["toan-quoc", *UNITS]
    first = {r.unit: r.status for r in batch.run(batch.plan(2024, units, root, root / "outputs").jobs, workers=1)}
    assert set(first.values()) == {batch.OK}
    full_unit = root / "outputs" / "2024" / BROKEN_UNIT
    before = snapshot(full_unit)
    real_fsync = os.fsync
    disk = (str(full_unit), str(atomic.stage_of(full_unit)))  # the unit's folder and its staging folder

    def fsync(fd):  # the disk holding this unit's folder is full
        if os.readlink(f"/proc/self/fd/{fd}").startswith(disk):
            raise FULL
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    plan = batch.plan(2024, units, root, root / "outputs", force=True)
    results = {r.unit: r for r in batch.run(plan.jobs, workers=1)}
    assert {u: r.status for u, r in results.items()} == {"toan-quoc": batch.OK, "an-giang": batch.OK, BROKEN_UNIT: batch.FAILED}
    staged = atomic.stage_of(full_unit) / "bao-cao.ipynb"
    assert f"{staged}: không ghi được tệp: hết dung lượng đĩa" in results[BROKEN_UNIT].error
    # Every earlier output stays, the stand-in's `bao-cao.md` included: it was written to the staging folder.
    assert snapshot(full_unit) == before and temp_files(full_unit) == []
    assert not atomic.stage_of(full_unit).exists()


# --- pandoc and Typst failing, through the command ------------------------------------------------------------

STAND_IN = """\
#!{python}
import os, subprocess, sys
real, args = {real!r}, sys.argv[1:]
if "--version" in args:
    os.execv(real, [real, *args])
if {fail_docx!r} and "docx" in args:
    sys.stderr.write("pandoc: reference.docx: the archive is damaged (simulated)\\n")
    sys.exit(64)
code = subprocess.call([real, *args])
if {break_typst_in!r} and "typst" in args and os.path.basename(os.getcwd()) in {typst_folders!r}:
    with open(args[args.index("--output") + 1], "a", encoding="utf-8") as typ:
        typ.write("\\n#ham-khong-ton-tai()\\n")
sys.exit(code)
"""


def stand_in_pandoc(folder: Path, fail_docx: bool = False, break_typst_in: str = "") -> Path:
    script = folder / "pandoc-stand-in"
    folders = (break_typst_in, atomic.stage_of(Path(break_typst_in or "x")).name)  # a unit renders in its staging folder
    script.write_text(STAND_IN.format(python=sys.executable, real=pandoc_path(), fail_docx=fail_docx,
                                      break_typst_in=break_typst_in, typst_folders=folders), encoding="utf-8")
    script.chmod(0o755)
    return script


def render_cli(root: Path, *args: str, pandoc: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(LIB), "JUPYTER_RUNTIME_DIR": str(root / ".jupyter-runtime")}
    if pandoc:
        env["PYPANDOC_PANDOC"] = str(pandoc)
    return subprocess.run([sys.executable, "-m", "baocao.cli", "render", "--year", "2024", "--unit", ",".join(UNITS),
                           "--jobs", "1", *args], cwd=root, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("rendered"))
    result = render_cli(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def project(rendered, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(rendered, root, symlinks=True)
    return root


def hashes(folder: Path) -> dict[str, str]:
    return {path.as_posix(): hashlib.sha256(data).hexdigest() for path, data in snapshot(folder).items()}


def test_pandoc_failing_gives_its_message_per_unit_and_keeps_the_documents(project, tmp_path):
    before = {unit: hashes(project / "outputs" / "2024" / unit) for unit in UNITS}
    result = render_cli(project, "--force", pandoc=stand_in_pandoc(tmp_path, fail_docx=True))
    printed = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1 and "Traceback" not in printed
    assert printed.count("pandoc thất bại (mã 64): pandoc: reference.docx: the archive is damaged (simulated)") == 2
    for unit in UNITS:
        after = hashes(project / "outputs" / "2024" / unit)
        assert after.pop(FAILED_NOTEBOOK) and after == before[unit], unit  # every output, manifest included
    assert temp_files(project / "outputs") == [] and stages(project) == []


def stages(root: Path) -> list[Path]:
    return [path for path in (root / "outputs" / "2024").iterdir() if atomic.is_stage(path)]


FAILED_NOTEBOOK = "bao-cao.loi.ipynb"
SHARED_PROSE = "data/2024/tinh/prose/kien-nghi.md"  # read by every province
NEW_SENTENCE = "Đề nghị bổ sung kinh phí cho công tác dân vận năm sau."


def test_a_unit_whose_pdf_step_fails_keeps_every_output_of_the_earlier_run_while_the_others_update(project, tmp_path):
    """The DOCX, Markdown and facts of the failing unit were already made when Typst failed: none of them
    lands. Every file of that unit (documents, source, facts, figures, notebook, manifest) keeps the hash of
    the earlier run; the other unit of the same batch gets the edited text; the next run renders only the
    failed unit."""
    outputs = project / "outputs" / "2024"
    before = {unit: hashes(outputs / unit) for unit in UNITS}
    prose = project / SHARED_PROSE
    prose.write_text(prose.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{NEW_SENTENCE}\n", encoding="utf-8")

    result = render_cli(project, pandoc=stand_in_pandoc(tmp_path, break_typst_in=BROKEN_UNIT))
    printed = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1 and "Traceback" not in printed, printed
    assert "1 đơn vị đã kết xuất" in printed and "1 lỗi" in printed
    assert "Typst biên dịch thất bại" in printed and "ham-khong-ton-tai" in printed

    broken = hashes(outputs / BROKEN_UNIT)
    assert broken.pop(FAILED_NOTEBOOK)  # why it failed, beside the earlier outputs
    assert broken == before[BROKEN_UNIT]
    updated = hashes(outputs / "an-giang")
    changed = {name for name in before["an-giang"] if updated.get(name) != before["an-giang"][name]}
    assert {"bao-cao.md", "bao-cao.docx", "bao-cao.pdf", "bao-cao.ipynb", "manifest.json"} <= changed
    assert NEW_SENTENCE in (outputs / "an-giang" / "bao-cao.md").read_text(encoding="utf-8")
    assert temp_files(project / "outputs") == [] and stages(project) == []

    again = render_cli(project)
    printed = " ".join((again.stdout + again.stderr).split())
    assert again.returncode == 0, printed
    assert "1 đơn vị đã kết xuất, 1 bỏ qua vì không đổi, 0 lỗi" in printed
    assert NEW_SENTENCE in (outputs / BROKEN_UNIT / "bao-cao.md").read_text(encoding="utf-8")
    assert not (outputs / BROKEN_UNIT / FAILED_NOTEBOOK).exists()


# --- no network ------------------------------------------------------------------------------------------------

PACKAGE_SPEC = re.compile(r'@[a-z][\w-]*/[\w-]+:\d+\.\d+\.\d+')  # "@preview/cetz:0.2.2": Typst downloads these
RENDER_SOURCES = [*sorted(TEMPLATES_DIR.iterdir()), *sorted(Path(render_package.__file__).parent.glob("*.py"))]


def test_no_template_imports_a_typst_package():
    """Typst fetches `@preview/…` packages from the internet at compile time; the office PCs the kit runs on
    may have none, so a template (or Typst code the filter or Python writes) must not use one."""
    found = [f"{path.name}: {match.group()}" for path in RENDER_SOURCES if path.suffix in (".typ", ".lua", ".py", ".md")
             for match in PACKAGE_SPEC.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_package_check_catches_a_typst_package_import():
    assert PACKAGE_SPEC.search('#import "@preview/tablex:0.0.8": tablex')


def test_rendering_makes_no_network_call(tmp_path, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError(errno.ENETUNREACH, "network blocked by the test")

    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket, "getaddrinfo"),
                        (socket, "create_connection")):
        monkeypatch.setattr(owner, name, refuse)
    outputs = render(SAMPLE, tmp_path)
    assert attempts == []
    assert outputs["pdf"].read_bytes().startswith(b"%PDF") and outputs["docx"].stat().st_size > 0


@pytest.mark.skipif(subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0
                    if shutil.which("unshare") else True, reason="needs `unshare -rn` (Linux user namespaces)")
def test_rendering_works_on_a_machine_without_network(tmp_path):
    """pandoc and the Typst compiler run outside Python, so the socket guard above cannot see them: here the
    whole render runs in a network namespace with no interface but loopback, down."""
    script = f"from baocao.render import render; render({str(SAMPLE)!r}, {str(tmp_path)!r})"
    result = subprocess.run(["unshare", "-rn", sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(LIB)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bao-cao.pdf").read_bytes().startswith(b"%PDF")
