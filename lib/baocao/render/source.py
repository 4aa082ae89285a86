"""Read the YAML metadata block of a report source (the contract in templates/README.md).

Both renderers need the same few header and signature fields; reading them here once lets a
malformed source fail with every problem listed, before any tool runs.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..markdown import unescape
from .errors import RenderError

REQUIRED_TEXT = ("title", "author", "agency", "number", "place-date", "doc-type", "subject")
SIGNER_FIELDS = ("authority", "title", "name")
SIGNER_REQUIRED = ("title",)  # an undelegated signer has no authority line; a draft has no name yet
SIGNATURE_MARKER = re.compile(r"^:{3,}\s*\{\s*\.signature\s*\}\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Signer:
    authority: str
    title: str
    name: str
    lines: tuple[str, ...] = ()  # the upper-case lines above the signature, in order

    @property
    def heading_lines(self) -> tuple[str, ...]:
        """"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH" — or authority and title when not given."""
        return self.lines or tuple(line for line in (self.authority, self.title) if line)


@dataclass(frozen=True)
class ReportMeta:
    title: str
    author: str
    agency_parent: str
    agency: str
    agency_lines: tuple[str, ...]  # the agency name as printed, one bold line each ("ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH")
    number: str
    place_date: str
    doc_type: str
    subject: str
    signer: Signer
    recipients: tuple[str, ...]
    date: dt.date
    draft: bool
    illustrative: bool

    @property
    def epoch(self) -> int:
        """Seconds since 1970 at midnight UTC of ``date``: the only timestamp any output carries."""
        return int(dt.datetime(self.date.year, self.date.month, self.date.day,
                               tzinfo=dt.timezone.utc).timestamp())


# libyaml's parser when present: the DOCX and the PDF renderer each read the metadata of every unit.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _front_matter(text: str, path: Path) -> dict:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise RenderError(f"{path}: thiếu khối siêu dữ liệu YAML ở đầu tệp (dòng đầu phải là '---').")
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            try:
                data = yaml.load("\n".join(lines[1:end]), Loader=_LOADER) or {}
            except yaml.YAMLError as exc:
                raise RenderError(f"{path}: khối YAML không hợp lệ: {exc}") from exc
            if not isinstance(data, dict):
                raise RenderError(f"{path}: khối YAML phải là một bảng khóa–giá trị.")
            return data
    raise RenderError(f"{path}: khối siêu dữ liệu YAML không có dòng kết thúc '---'.")


def _text(value: object) -> str:
    """A metadata value as printed. pandoc reads every metadata value as Markdown, so the document builder writes
    data escaped (`baocao.markdown.escape`); the DOCX layout reads it here, and must print it as pandoc does."""
    return unicodedata.normalize("NFC", unescape(str(value))) if value is not None else ""


def read_meta(path: Path) -> ReportMeta:
    """Parse and check the metadata; raise one RenderError listing every problem found."""
    text = path.read_text(encoding="utf-8")
    data = _front_matter(text, path)
    problems: list[str] = []
    markers = len(SIGNATURE_MARKER.findall(text))
    if markers != 1:
        problems.append(f"phần thân phải có đúng một dấu '::: {{.signature}}' (tìm thấy {markers})")
    for key in REQUIRED_TEXT:
        if not _text(data.get(key)).strip():
            problems.append(f"thiếu trường '{key}'")
    signer = data.get("signer") or {}
    if not isinstance(signer, dict):
        problems.append("trường 'signer' phải có authority, title, name")
        signer = {}
    for key in SIGNER_REQUIRED:
        if not _text(signer.get(key)).strip():
            problems.append(f"thiếu trường 'signer.{key}'")
    recipients = data.get("recipients") or []
    if not isinstance(recipients, list) or not recipients:
        problems.append("trường 'recipients' phải là danh sách nơi nhận, không rỗng")
        recipients = []
    raw_date = data.get("date")
    date = raw_date if isinstance(raw_date, dt.date) else None
    if date is None:
        try:
            date = dt.date.fromisoformat(_text(raw_date))
        except ValueError:
            problems.append(f"trường 'date' phải là ngày ISO (YYYY-MM-DD), nhận được {raw_date!r}")
    for key in ("draft", "illustrative"):
        if not isinstance(data.get(key, False), bool):
            problems.append(f"trường '{key}' phải là true hoặc false, nhận được {data.get(key)!r}")
    if problems:
        raise RenderError(f"{path}: siêu dữ liệu báo cáo không hợp lệ: " + "; ".join(problems) + ".")
    return ReportMeta(
        title=_text(data["title"]),
        author=_text(data["author"]),
        agency_parent=_text(data.get("agency-parent")),
        agency=_text(data["agency"]),
        agency_lines=tuple(_text(line) for line in data.get("agency-lines") or [data["agency"]]),
        number=_text(data["number"]),
        place_date=_text(data["place-date"]),
        doc_type=_text(data["doc-type"]),
        subject=_text(data["subject"]),
        signer=Signer(*(_text(signer.get(k)) for k in SIGNER_FIELDS),
                      lines=tuple(_text(line) for line in signer.get("lines") or ())),
        recipients=tuple(_text(r) for r in recipients),
        date=date,
        draft=bool(data.get("draft", False)),
        illustrative=bool(data.get("illustrative", False)),
    )
