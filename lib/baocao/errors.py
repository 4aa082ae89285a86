"""One error vocabulary for the whole package.

Users fix a whole file in one pass, so every check collects `Problem`s (where, what was found, what was
expected) and raises them together as one `BaocaoError`; the CLI prints them as a table, never a traceback.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Iterable

ERROR = "lỗi"
WARNING = "cảnh báo"


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one input file."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    sheet: str | None = None
    severity: str = ERROR

    def where(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"trang tính {self.sheet}")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột «{self.column}»")
        return ", ".join(parts)

    def __str__(self) -> str:
        found = f" (giá trị: «{self.value}»)" if self.value not in (None, "") else ""
        where = self.where()
        return f"{where}: {self.message}{found}" if where else f"{self.message}{found}"

    def to_dict(self) -> dict:
        return asdict(self)

    def relative_to(self, root: Path) -> "Problem":
        """The same problem with its file named relative to `root` (the project), as users type paths."""
        path = Path(self.file)
        if path.is_absolute() and path.is_relative_to(root):
            return replace(self, file=str(path.relative_to(root)))
        return self


class BaocaoError(Exception):
    """Raised with every problem found, so the user sees them all at once."""

    def __init__(self, problems: Iterable[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(file="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def unreadable(path: Path | str, exc: OSError, noun: str = "tệp") -> Problem:
    """Why a file could not be opened, said as what to do. On office PCs the usual cause of a refused file
    is that Excel still has it open (Windows locks it)."""
    if isinstance(exc, FileNotFoundError):
        message = f"không tìm thấy {noun}: kiểm tra tên tệp và thư mục"
    elif isinstance(exc, IsADirectoryError):
        message = f"đây là một thư mục, không phải {noun}: ghi đường dẫn tới chính tệp"
    elif isinstance(exc, PermissionError):
        message = (f"không mở được {noun} (tệp đang mở trong Excel hoặc tài khoản không có quyền đọc): "
                   "đóng tệp trong Excel hoặc cấp quyền đọc rồi chạy lại")
    else:
        message = f"không đọc được {noun} ({exc.strerror or exc}): kiểm tra ổ đĩa và tệp rồi chạy lại"
    return Problem(file=str(path), message=message)


def raise_if_errors(problems: Iterable[Problem]) -> list[Problem]:
    """Raise when any problem is an error; otherwise hand the warnings back to the caller."""
    problems = list(problems)
    if any(p.severity == ERROR for p in problems):
        raise BaocaoError(problems)
    return problems
