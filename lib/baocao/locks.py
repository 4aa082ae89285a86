"""One run at a time per unit: a lock file beside the unit's folder, held from planning to publishing.

Two runs rendering the same unit at once would remove each other's staging folder and temp files (each run
cleans up what a killed run left) and publish outputs of two runs. So a run takes the unit's lock before it
looks at the unit's folder and keeps it until it is done with the unit (published, skipped or given up); a
second run finds the unit taken and says so, naming the process that holds it, instead of waiting for a batch
that may last an hour.

The lock is the operating system's (`fcntl.flock` on POSIX, `msvcrt.locking` on Windows) on
`<outputs>/<year>/.<unit>.baocao-lock`: it ends with its process, so a killed run never leaves a unit locked.
The file itself stays (removing it would let two runs lock two different files of one name).
"""
from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

from .errors import BaocaoError, Problem
from .outdirs import companion, is_companion

LOCK_MARK = ".baocao-lock"

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def lock_path(folder: Path | str) -> Path:
    return companion(folder, LOCK_MARK)


def is_lock(path: Path | str) -> bool:
    return is_companion(path, LOCK_MARK)


# Locks this process holds: path → [descriptor, holders]. A process may plan a unit again while an earlier
# plan of its own still holds it (a library caller re-planning after a run): it does not wait on itself.
_held: dict[Path, list] = {}
_guard = threading.Lock()


class UnitLock:
    """A held lock of one unit's folder; `release` (or the end of the process) frees it."""

    def __init__(self, path: Path):
        self.path, self._held = path, True

    def release(self) -> None:
        with _guard:
            if not self._held:
                return
            self._held = False
            entry = _held[self.path]
            entry[1] -= 1
            if entry[1] == 0:
                del _held[self.path]
                os.close(entry[0])  # closing the descriptor drops the lock

    def __enter__(self) -> "UnitLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()


def acquire(folder: Path | str, unit: str) -> UnitLock | Problem:
    """The lock of `folder`, or the problem to report when another run holds it."""
    path = lock_path(folder).resolve()
    with _guard:
        if path in _held:
            _held[path][1] += 1
            return UnitLock(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise BaocaoError(Problem(file=str(path), message=f"không tạo được tệp khóa của đơn vị ({exc.strerror or exc}): "
                                                              "kiểm tra quyền ghi hoặc chọn thư mục kết quả khác bằng --outputs")) from None
        if not _try_lock(fd):
            try:
                holder = os.read(fd, 200).decode("utf-8", "replace").strip()
            except OSError:  # Windows refuses to read a locked byte range
                holder = ""
            os.close(fd)
            return Problem(file=str(Path(folder)), value=unit,
                           message=f"một lần chạy khác ({holder or 'không rõ tiến trình'}) đang kết xuất đơn vị này: "
                                   "đợi lần chạy đó xong rồi chạy lại (lần này không ghi gì vào thư mục của đơn vị)")
        os.ftruncate(fd, 0)
        os.write(fd, f"tiến trình {os.getpid()}, bắt đầu lúc {dt.datetime.now():%H:%M:%S ngày %d/%m/%Y}".encode())
        _held[path] = [fd, 1]
        return UnitLock(path)
