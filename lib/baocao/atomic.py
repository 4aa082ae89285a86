"""Write files so that a reader never sees half of one: temp file in the same folder, then one rename.

Every output of the kit lands through `atomic_path` (or `write_text` / `write_bytes` on top of it). A process
killed at any moment (SIGKILL, power cut after the fsync) leaves either the previous file or the new one,
never a truncated one; what it may leave is a hidden temp file (`.name.<random>.baocao-tmp.ext`), which
`sweep` removes at the start of the next run. A full disk or a folder without write permission becomes a
Vietnamese message naming the file, with the earlier file untouched.
"""
from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path
from typing import Iterator

from .errors import BaocaoError, Problem

TEMP_MARK = ".baocao-tmp"

# Write failures a user can fix, with what to tell them; any other OSError is a bug and keeps its traceback.
_WRITE_FAILURES = {
    errno.ENOSPC: "hết dung lượng đĩa: giải phóng dung lượng rồi chạy lại",
    errno.EDQUOT: "hết hạn mức dung lượng đĩa của người dùng: giải phóng dung lượng rồi chạy lại",
    errno.EFBIG: "tệp vượt quá kích thước hệ thống tệp cho phép",
    errno.EACCES: "không có quyền ghi (tệp đang mở trong Word/Excel, hoặc thư mục chỉ đọc): đóng tệp hoặc chọn thư mục khác",
    errno.EPERM: "không có quyền ghi (tệp đang mở trong Word/Excel, hoặc thư mục chỉ đọc): đóng tệp hoặc chọn thư mục khác",
    errno.EROFS: "ổ đĩa chỉ đọc: chọn thư mục kết quả khác bằng --outputs",
}
KEPT = "tệp cũ (nếu có) vẫn giữ nguyên"


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


def _in_folder_of(target: Path, filename: str | None) -> bool:
    if filename is None:
        return True
    path = Path(filename)
    return path.parent == target.parent or path in (target.parent, *target.parent.parents)


@contextlib.contextmanager
def _as_problem(target: Path) -> Iterator[None]:
    """A write failure the user can fix becomes a BaocaoError naming the file. Only failures in the target's
    folder (or making it) and on open files (no file name: a write, a flush) count: a tool that cannot
    start, or an input that cannot be read elsewhere, is another story and keeps its own error."""
    try:
        yield
    except OSError as exc:
        reason = _WRITE_FAILURES.get(exc.errno)
        if reason is None or not _in_folder_of(target, exc.filename):
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
