"""The options of `check` and `render` that change what a render writes or how the command exits, in one
object.

Each field of `RenderOptions` is at once a command-line flag (`cli` declares one per field, with the help
text kept here), a keyword of `report.build`, a parameter of the master notebook and part of the re-run
fingerprint (`manifest.Fingerprint` hashes the whole object). So a new option such as `--final` is one field
here and its use in `build`: it cannot be forgotten by the re-run check, and a unit rendered under other
options is never skipped as "không đổi". Options that change neither a byte nor the exit code (`--jobs`,
`--force`, `--scheduler`, `--outputs`) are not fields.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


def _flag(help_text: str, *, commands: tuple[str, ...] = ("check", "render")) -> Any:
    return field(default=False, metadata={"help": help_text, "commands": commands})


@dataclass(frozen=True)
class RenderOptions:
    strict: bool = _flag("coi số liệu gõ tay trong văn bản trái với số liệu tính toán là lỗi (mặc định: cảnh báo)")
    draft: bool = _flag("bản dự thảo: dấu «DỰ THẢO» trên mọi trang và phụ lục rà soát "
                        "(nguồn dữ liệu, cảnh báo, đối chiếu số liệu)", commands=("render",))
    final: bool = _flag("bản trình ký: mọi việc còn dang dở (người ký, số, ngày còn trống hoặc chưa xác nhận; dấu "
                        "CẦN ĐIỀN, CẦN KIỂM TRA, TODO; câu văn mẫu; dữ liệu minh họa; số liệu gõ tay sai) là lỗi; "
                        "render không ghi kết quả nào khi có lỗi")

    @classmethod
    def flags(cls, command: str) -> list[tuple[str, str]]:
        """(field name, help) of every option the command takes, to declare as `--name` flags."""
        return [(f.name, f.metadata["help"]) for f in fields(cls) if command in f.metadata["commands"]]

    @classmethod
    def from_args(cls, args: Any) -> "RenderOptions":
        """The options of parsed arguments; an option the command does not take keeps its default."""
        return cls(**{f.name: getattr(args, f.name, f.default) for f in fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        """Keyword arguments of `report.build`, the notebook's `options` parameter, the fingerprint's part."""
        return asdict(self)
