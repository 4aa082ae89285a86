"""Write files so that a reader never sees half of one, and sets of files so that a reader never sees
files of two runs.

Every output of the kit lands through `atomic_path` (or `write_text` / `write_bytes` on top of it): a temp file
in the same folder, then one rename. A process killed at any moment (SIGKILL, power cut after the fsync)
leaves either the previous file or the new one, never a truncated one; what it may leave is a hidden temp file
(`.name.<random>.baocao-tmp.ext`), which `sweep` removes at the start of the next run. A full disk or a folder
without write permission becomes a Vietnamese message naming the file, with the earlier file untouched.

A unit's outputs are one set (the documents, their source, facts, figures, notebook and manifest), so they
are written into a staging folder beside the unit's folder (`new_stage`) and moved in together only when all
of them were written (`publish`); a run that fails before leaves every earlier file as it was. Publishing
first records the set in the stage (the commit point), then moves file after file: a publish killed half way
is finished by `recover` at the start of the next run, and a stage never committed is removed.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from .errors import BaocaoError, Problem
from .outdirs import companion, is_companion

TEMP_MARK = ".baocao-tmp"
STAGE_MARK = ".baocao-stage"
COMMIT_NAME = ".baocao-set.json"  # in a stage: the set to publish, written when publishing starts

# Write failures a user can fix, with what to tell them; any other OSError is a bug and keeps its traceback.
_WRITE_FAILURES = {
    errno.ENOSPC: "hết dung lượng đĩa: giải phóng dung lượng rồi chạy lại",
    errno.EDQUOT: "hết hạn mức dung lượng đĩa của người dùng: giải phóng dung lượng rồi chạy lại",
    errno.EFBIG: "tệp vượt quá kích thước hệ thống tệp cho phép",
    errno.EACCES: "không có quyền ghi (tệp đang mở trong Word/Excel, hoặc thư mục chỉ đọc): đóng tệp hoặc chọn thư mục khác",
    errno.EPERM: "không có quyền ghi (tệp đang mở trong Word/Excel, hoặc thư mục chỉ đọc): đóng tệp hoặc chọn thư mục khác",
    errno.EROFS: "ổ đĩa chỉ đọc: chọn thư mục kết quả khác bằng --outputs",
    errno.EISDIR: "ở đó là một thư mục: xóa hoặc đổi tên thư mục đó rồi chạy lại",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục: xóa hoặc đổi tên tệp đó rồi chạy lại",
}
KEPT = "tệp cũ (nếu có) vẫn giữ nguyên"
UNFINISHED = "các tệp mới đã sẵn sàng và sẽ được chuyển vào hết ở lần chạy sau"


def is_temp(path: Path | str) -> bool:
    """True for a temp file of this module (hidden, marked), never for an output."""
    name = Path(path).name
    return name.startswith(".") and TEMP_MARK in name


def sweep(folder: Path | str) -> list[Path]:
    """Remove the temp files a killed run left below `folder`; return what was removed."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    removed = [path for path in folder.rglob(f".*{TEMP_MARK}*") if path.is_file() and is_temp(path)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def stage_of(folder: Path | str) -> Path:
    """The staging folder of `folder`: hidden, beside it, so on the same file system (a move is a rename)."""
    return companion(folder, STAGE_MARK)


def is_stage(path: Path | str) -> bool:
    return is_companion(path, STAGE_MARK)


def new_stage(folder: Path | str) -> Path:
    """An empty staging folder for the next set of `folder` (what an earlier run left there is removed)."""
    stage = stage_of(folder)
    with _as_problem(stage / "x"):
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir(parents=True)
    return stage


def discard_stage(folder: Path | str) -> None:
    """Drop the staged set of `folder`: a failed run, whose outputs must not land. A set whose publishing
    began stays, for `recover` to finish: part of it is already in `folder`."""
    stage = stage_of(folder)
    if _committed(stage) is None:
        shutil.rmtree(stage, ignore_errors=True)


def files_below(folder: Path | str) -> list[str]:
    """Relative names (`figures/x.png`) of the files below `folder`, temp files left out, sorted."""
    folder = Path(folder)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and not is_temp(p))


def publish(folder: Path | str, names: list[str], last: str, remove: list[str] = ()) -> None:
    """Move the set staged for `folder` into it: every name of `names`, then `last` (the file that says the
    set is complete, e.g. the manifest), and delete `remove` (files of the earlier set that the new one no
    longer has). Nothing of the earlier set changes before the whole new set is staged; once the set is
    recorded in the stage, a kill is finished by `recover`."""
    folder, stage = Path(folder), stage_of(folder)
    record = {"names": list(names), "last": last, "remove": [n for n in remove if n not in names and n != last]}
    write_text(stage / COMMIT_NAME, json.dumps(record, ensure_ascii=False))
    try:
        _finish(folder, stage, record)
    except BaocaoError as exc:  # e.g. Windows refusing to replace a file open in Word, half way
        raise BaocaoError([replace(p, message=p.message.replace(KEPT, UNFINISHED)) for p in exc.problems]) from exc


def _finish(folder: Path, stage: Path, record: dict) -> None:
    """The moves of a committed set; a file already moved is skipped, so a second pass completes a first."""
    for name in record["names"]:
        _move(stage / name, folder / name)
    with _as_problem(folder / record["last"]):
        for stale in record["remove"]:
            (folder / stale).unlink(missing_ok=True)
        for parent in sorted({(folder / name).parent for name in record["names"]}):
            _fsync_folder(parent)
    _move(stage / record["last"], folder / record["last"])
    with _as_problem(folder / record["last"]):
        _fsync_folder(folder)
    shutil.rmtree(stage, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    if source.is_file():
        with _as_problem(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)


def _committed(stage: Path) -> dict | None:
    """The set recorded in `stage`, or None when publishing never started (or the record is not ours)."""
    try:
        record = json.loads((stage / COMMIT_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("last"), str):
        return None
    names = [*record.get("names", []), *record.get("remove", []), record["last"]]
    if not all(isinstance(n, str) and n and not Path(n).is_absolute() and ".." not in Path(n).parts for n in names):
        return None
    return record


def recover(folder: Path | str) -> list[Path]:
    """Clean up after a run of `folder` that was killed: finish a publish that had started, remove a stage
    that never got that far and every temp file. Returns the temp files removed. Call it only while holding
    the folder's lock (`baocao.locks`): another run's stage is not litter."""
    folder, stage = Path(folder), stage_of(folder)
    if stage.is_dir():
        record = _committed(stage)
        if record is not None:
            _finish(folder, stage, {"names": [], "remove": []} | record)
        else:  # the run died while rendering: its outputs never counted
            shutil.rmtree(stage, ignore_errors=True)
    return sweep(folder)


def _new_temp(target: Path) -> Path:
    """An empty file beside `target`, created exclusively with the usual permissions (umask applies, unlike
    `tempfile.mkstemp`'s owner-only 0600, so colleagues sharing the folder can open the outputs)."""
    while True:
        # Keep the extension last: tools such as papermill and pandoc judge a file by it.
        path = target.with_name(f".{target.stem}.{secrets.token_hex(4)}{TEMP_MARK}{target.suffix}")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows it (POSIX; some network shares refuse)."""
    if os.name != "posix":  # Windows cannot open a folder to flush it
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _in_folder_of(target: Path, *filenames: str | None) -> bool:
    """Whether an error about `filenames` (a rename names two) concerns the folder of `target`."""
    named = [Path(name) for name in filenames if name is not None]
    return not named or any(path.parent == target.parent or path in (target.parent, *target.parent.parents)
                            for path in named)


@contextlib.contextmanager
def _as_problem(target: Path) -> Iterator[None]:
    """A write failure the user can fix becomes a BaocaoError naming the file. Only failures in the target's
    folder (or making it) and on open files (no file name: a write, a flush) count: a tool that cannot
    start, or an input that cannot be read elsewhere, is another story and keeps its own error."""
    try:
        yield
    except OSError as exc:
        reason = _WRITE_FAILURES.get(exc.errno)
        if reason is None or not _in_folder_of(target, exc.filename, exc.filename2):
            raise
        raise BaocaoError(Problem(file=str(target), message=f"không ghi được tệp: {reason}; {KEPT}")) from exc


@contextlib.contextmanager
def scratch_path(target: Path | str) -> Iterator[Path]:
    """An empty temp file beside `target`, removed afterwards whatever happens (for intermediates, such as
    the Typst source, that must sit in the output folder but never remain there)."""
    target = Path(target)
    with _as_problem(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _new_temp(target)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it is flushed to disk and replaces `target` in one
    rename. On any error the temporary file is removed and an existing `target` is left exactly as it was."""
    target = Path(target)
    with scratch_path(target) as tmp:
        with _as_problem(target):
            yield tmp
            _fsync(tmp)
            os.replace(tmp, target)
            _fsync_folder(target.parent)


def write_bytes(target: Path | str, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: Path | str, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))
