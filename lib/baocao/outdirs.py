"""Where a unit's outputs go, decided in one place: `<outputs>/<year>/<unit>/`, never outside `<outputs>`.

A unit's folder is named by its slug, which arrives from the command line, a params file or a remote worker;
a slug such as `../../etc`, `/tmp/x`, `a\\b` or one holding a NUL byte would write elsewhere (or crash with a
traceback), so it is refused here with a Vietnamese message, before anything is written.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from .errors import BaocaoError, Problem

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
RULE = ("mã đơn vị chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ tay-ninh, "
        "để kết quả luôn nằm trong thư mục kết quả")


def unsafe_reason(name: str) -> str | None:
    """Why `name` cannot be one folder or file name inside the outputs folder, or None when it can."""
    if "\0" in name:
        return "chứa ký tự NUL"
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or PureWindowsPath(name).drive:
        return "là đường dẫn tuyệt đối"
    if ".." in re.split(r"[/\\]", name):
        return "chứa «..» (thư mục cha)"
    if "/" in name or "\\" in name:
        return "chứa dấu phân cách thư mục «/» hoặc «\\»"
    if name in ("", "."):
        return "rỗng"
    return None


def outputs_root(outputs: Path | str, source: str = "--outputs") -> Path:
    """The folder the user chose for results (any folder, absolute or relative), as an absolute path."""
    if "\0" in str(outputs) or not str(outputs).strip():
        raise BaocaoError(Problem(file=source, value=repr(str(outputs)),
                                  message="thư mục kết quả không hợp lệ (rỗng hoặc chứa ký tự NUL)"))
    root = Path(outputs).resolve()
    existing = next(path for path in (root, *root.parents) if path.exists())
    if not existing.is_dir():
        where = "là một tệp" if existing == root else f"nằm dưới tệp «{existing}»"
        raise BaocaoError(Problem(file=source, value=str(outputs),
                                  message=f"thư mục kết quả {where}, không phải thư mục: chọn một thư mục, ví dụ --outputs outputs"))
    return root


def inside(folder: Path, name: str, source: str) -> Path:
    """`folder / name` for a single file or folder name, refused when it would reach outside `folder`."""
    reason = unsafe_reason(name)
    path = folder / name
    if reason is None and not path.resolve().is_relative_to(folder.resolve()):
        reason = "trỏ ra ngoài thư mục kết quả (liên kết tượng trưng)"
    if reason:
        raise BaocaoError(Problem(file=source, value=repr(name), message=f"tên không dùng được làm đường dẫn: {reason}"))
    return path


def inside_tree(folder: Path, name: str, source: str) -> Path:
    """`folder / name` for a relative name of a file below `folder` (`figures/x.png`), each part checked as
    by `inside`."""
    path = folder
    for part in name.split("/"):
        path = inside(path, part, source)
    return path


def unit_problem(unit: str, source: str = "--unit") -> Problem | None:
    """Why `unit` cannot name a unit's folder, or None for a plain slug."""
    reason = unsafe_reason(unit) or (None if SLUG.fullmatch(unit) else "có ký tự không được phép")
    return Problem(file=source, value=repr(unit), message=f"mã đơn vị {reason}: {RULE}") if reason else None


def unit_dir(outputs: Path | str, year: int, unit: str, source: str = "--unit") -> Path:
    """`<outputs>/<year>/<unit>`; a unit that is not a plain slug is refused, whatever its origin."""
    if problem := unit_problem(unit, source):
        raise BaocaoError(problem)
    return inside(outputs_root(outputs) / str(int(year)), unit, source)


def companion(folder: Path | str, mark: str) -> Path:
    """A hidden path beside a unit's folder, named after it (`.tay-ninh<mark>`): on the same file system, so a
    move is a rename, and never mistaken for a unit's folder (a slug does not start with a dot)."""
    folder = Path(folder)
    return folder.with_name(f".{folder.name}{mark}")


def is_companion(path: Path | str, mark: str) -> bool:
    name = Path(path).name
    return name.startswith(".") and name.endswith(mark)

