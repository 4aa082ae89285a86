"""`baocao review`: reviewers' tracked changes and comments in a DOCX, back to the prose files they concern.

Each change of the reviewed DOCX (`reviewed_docx`) is placed by its paragraph's bookmark (`anchors`) in a
prose file, and by aligning the paragraph's text as rendered with the lines of that file, on a line. The
prose is a template: where the text came from a placeholder (`{{ … }}`), the change is to a computed figure,
and is listed as a change of data, with the data file and row, never written into the prose. A change in a
computed table is listed the same way.

With `apply`, text changes are written into the prose files, but only into a paragraph whose lines are
still what was rendered (the hash in the manifest) and whose text in the DOCX matches them; any other is a
conflict, and a paragraph with a change that cannot be placed for certain is left for the analyst. All
files are written together or none (each to a temporary file first, then renamed).
"""
from __future__ import annotations

import contextlib
import difflib
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import anchors as anchoring
from . import atomic, manifest, reviewed_docx
from .errors import BaocaoError, Problem
from .reviewed_docx import COMMENT, DELETED, INSERTED, PARAGRAPH_MARK, Change, Paragraph

KIND = {INSERTED: "chèn", DELETED: "xóa", COMMENT: "góp ý", PARAGRAPH_MARK: "thêm/bỏ ngắt đoạn"}
TEXT_EDIT = "sửa chữ: ghi được vào tệp văn bản"
APPLIED = "đã ghi vào tệp văn bản"
DATA_EDIT = "sửa dữ liệu, không sửa chữ"
READ = "đọc góp ý, sửa tay nếu cần"
CONFLICT = "xung đột: đoạn văn đã đổi sau khi kết xuất, sửa tay"
MANUAL = "sửa tay: không xác định chắc chỗ sửa trong tệp văn bản"
OUTSIDE = "ngoài văn bản: tiêu đề, phần đầu, chữ ký hoặc phụ lục rà soát (sửa tham số hoặc đề cương)"
COLUMNS = ("Tệp", "Dòng", "Loại", "Người sửa", "Ngày", "Nội dung", "Góp ý", "Xử lý", "Nguồn số liệu")
SENTINEL = "\ufffc"  # a placeholder, in the source as aligned
NOTE_MARK = "\ufffd"  # a `^[…]` note, which Word shows elsewhere (in the footnotes)
TYPOGRAPHY = {'"', "'", "--", "---", "...", "“", "”", "‘", "’", "–", "—", "…"}
# Source text that prints nothing: emphasis, escapes, a footnote's label, list markers, line breaks.
_MARKUP = re.compile(r"^(?:\s|[*_\\]|\[\^[^\]\s]+\]:?|(?<=\n)\s*(?:[-*+]|\d+[.)])(?=\s))*$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@])")
_JINJA_OPEN = re.compile(r"{%-?\s*(if|for)\b")
_JINJA_CLOSE = re.compile(r"{%-?\s*end(if|for)\b")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Row:
    """One line of the listing: a change or a comment, where it belongs and what to do with it."""

    file: str
    line: int | None
    kind: str
    author: str
    date: str
    text: str
    comment: str
    action: str
    data: str = ""

    def cells(self) -> list[str]:
        return [self.file, "" if self.line is None else str(self.line), self.kind, self.author, self.date,
                self.text, self.comment, self.action, self.data]


@dataclass
class Alignment:
    """The lines of a prose file (a template) aligned with the text Word shows of what they printed."""

    source: str
    old: str
    masked: str  # the source with each placeholder as one SENTINEL and line breaks as spaces
    origin: list[int]  # masked index → source index, one more for the end
    ops: list[tuple[str, int, int, int, int]]

    @classmethod
    def of(cls, source: str, old: str, note: int | None = None) -> "Alignment":
        """`old` aligned with the source, or with the source's `note`-th `^[…]` note (a footnote's text)."""
        notes = anchoring.inline_notes(source)
        start, end = (notes[note][0] + 2, notes[note][1] - 1) if note is not None and note < len(notes) else (0, len(source))
        hidden = [(a, b, NOTE_MARK) for a, b in notes if note is None]
        hidden += [(m.start(), m.end(), SENTINEL) for m in anchoring.PLACEHOLDER.finditer(source)]
        masked, origin, at = [], [], start
        for a, b, mark in sorted(h for h in hidden if start <= h[0] and h[1] <= end and h[0] >= 0) + [(end, end, "")]:
            if a < at:  # a placeholder inside a hidden note
                continue
            masked += [" " if c == "\n" else c for c in source[at:a]]
            origin += range(at, a)
            if mark:
                masked.append(mark)
                origin.append(a)
            at = b
        origin.append(end)
        text = "".join(masked)
        ops = difflib.SequenceMatcher(None, text, old, autojunk=False).get_opcodes()
        return cls(source, old, text, origin, ops)

    def _in_block(self, start: int) -> bool:
        """Whether source index `start` is inside a `{% if %}` or `{% for %}` block (text it may not print)."""
        before = self.source[:start]
        return len(_JINJA_OPEN.findall(before)) > len(_JINJA_CLOSE.findall(before))

    def matches(self) -> bool:
        """Whether the text in Word is what these lines print: what differs is only placeholders, markup,
        typography, or text of a condition or loop."""
        for tag, i1, i2, j1, j2 in self.ops:
            if tag == "equal" or SENTINEL in self.masked[i1:i2]:
                continue
            source, shown = self.source[self.origin[i1]:self.origin[i2]], self.old[j1:j2]
            if not shown.strip() and not self.masked[i1:i2].strip():  # white space only
                continue
            if tag == "delete" and (_MARKUP.match(source.replace(NOTE_MARK, "")) or self._in_block(self.origin[i1])
                                    or not self.masked[i1:i2].replace(NOTE_MARK, "").strip()):
                continue
            if tag == "replace" and (source.strip() in TYPOGRAPHY or shown.strip() in TYPOGRAPHY) and len(shown) <= 3:
                continue
            return False
        return True

    def computed(self, start: int, end: int) -> list[str]:
        """The placeholders that printed text of [start, end) (an insertion: start == end strictly inside)."""
        found = []
        for tag, i1, i2, j1, j2 in self.ops:
            if tag == "equal" or SENTINEL not in self.masked[i1:i2]:
                continue
            if (j1 < end and start < j2) if end > start else j1 < start < j2:
                found.append(self.source[self.origin[i1]:self.origin[i2]])
        return found

    def place(self, offset: int) -> int | None:
        """The source index of a point of the shown text, or None inside a stretch that differs."""
        for tag, i1, i2, j1, j2 in self.ops:
            if tag == "equal" and j1 <= offset <= j2:
                return self.origin[i1 + offset - j1]
        for tag, i1, i2, j1, j2 in self.ops:
            if offset == j1:
                return self.origin[i1]
            if offset == j2:
                return self.origin[i2]
        return None

    def line(self, first: int, offset: int) -> int:
        """The file line of a point of the shown text (the nearest placed point when it cannot be placed)."""
        at = self.place(offset)
        if at is None:
            at = next((self.origin[i1] for _, i1, _, j1, j2 in self.ops if j1 <= offset <= j2), 0)
        return first + self.source[:at].count("\n")


@dataclass
class Edit:
    start: int  # index in the paragraph's source text
    end: int
    text: str
    order: int


@dataclass
class _Block:
    """A block of prose whose edits can all be written: its file, lines and their text, the edits (indices in
    that text) and its listing rows. A paragraph and the `^[…]` notes written in it share their lines."""

    path: Path
    first: int
    last: int
    source: str
    edits: list[Edit]
    rows: list[Row]


@dataclass
class Review:
    """Everything found in a reviewed DOCX, and what `apply` would write."""

    docx: Path
    rows: list[Row] = field(default_factory=list)
    writes: dict[Path, str] = field(default_factory=dict)  # prose file → its new text

    @property
    def conflicts(self) -> list[Row]:
        return [row for row in self.rows if row.action == CONFLICT]


def _data_text(source: dict | None) -> str:
    if not source or not source.get("file"):
        return ""
    return source["file"] + (f", dòng {source['row']}" if source.get("row") else "")


def _escape(text: str) -> str:
    """Inserted words as prose: Markdown specials printed as typed."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


class _Reader:
    """Reads one reviewed DOCX against the manifest of the unit's last render and the current prose files."""

    def __init__(self, root: Path, review: Review):
        self.root, self.review = root, review
        self.blocks: list[_Block] = []

    def outside(self, paragraph: Paragraph) -> None:
        for change in paragraph.changes:
            self._row(change, "", None, OUTSIDE)

    def _row(self, change: Change, file: str, line: int | None, action: str, data: str = "") -> Row:
        row = Row(file, line, KIND[change.kind], change.author, change.date, change.text, change.comment, action, data)
        self.review.rows.append(row)
        return row

    def data(self, record: dict, paragraphs: list[Paragraph]) -> None:
        """A change in a computed table or footnote: a change of data, at the data row the table row shows."""
        for paragraph in paragraphs:
            shown = paragraph.row or paragraph.old
            row = max((r for r in record.get("rows", []) if r.get("key") and r["key"] in shown),
                      key=lambda r: len(r["key"]), default=None)
            source = row or record.get("source") or {}
            for change in paragraph.changes:
                self._row(change, source.get("file", ""), source.get("row"),
                          DATA_EDIT if change.kind != COMMENT else READ, _data_text(source))

    def prose(self, record: dict, paragraphs: list[Paragraph]) -> None:
        """The changes of one block of prose: placed on lines, and the edits it can take."""
        file = record["file"]
        path = self.root / file
        try:
            lines = path.read_bytes().decode("utf-8").replace("\r\n", "\n").split("\n")
        except (OSError, UnicodeDecodeError):  # gone or unreadable: every change of it is a conflict
            lines = []
        first, last = record["lines"]
        source = "\n".join(lines[first - 1:last])
        offsets, texts = [], []
        for paragraph in paragraphs:
            offsets.append(sum(len(t) + 1 for t in texts))
            texts.append(paragraph.old)
        alignment = Alignment.of(source, " ".join(texts), record.get("note"))
        same = _sha256(source) == record.get("source_sha256") and alignment.matches()
        edits, rows, certain = [], [], True
        replaced: list[tuple[int, int, str]] = []  # computed text struck out: what is typed there replaces it
        for paragraph, shift in zip(paragraphs, offsets):
            for change in paragraph.changes:
                start, end = change.start + shift, change.end + shift
                line = alignment.line(first, start)
                if change.kind == COMMENT:
                    rows.append((change, line, READ, ""))
                    continue
                facts = alignment.computed(start, end) if change.kind != PARAGRAPH_MARK else []
                typed_over = [data for a, b, data in replaced if change.kind == INSERTED and a <= start <= b]
                if facts or typed_over:
                    names = [name for placeholder in facts for name in anchoring.facts_of(placeholder)]
                    data = "; ".join(dict.fromkeys(_data_text(record.get("facts", {}).get(n)) or n for n in names))
                    rows.append((change, line, DATA_EDIT, data or typed_over[0]))
                    if change.kind == DELETED:
                        replaced.append((start, end, data))
                    continue
                if not same:
                    rows.append((change, line, CONFLICT, ""))
                    continue
                edit = self._edit(alignment, change, start, end)
                certain &= edit is not None
                if edit is not None:
                    edits.append(edit)
                rows.append((change, line, TEXT_EDIT if edit is not None else MANUAL, ""))
        listed = [self._row(change, file, line, MANUAL if action == TEXT_EDIT and not certain else action, data)
                  for change, line, action, data in rows]  # a paragraph is edited whole or not at all
        if edits and certain:
            self.blocks.append(_Block(path, first, last, source, edits, listed))

    @staticmethod
    def _edit(alignment: Alignment, change: Change, start: int, end: int) -> Edit | None:
        if change.kind == PARAGRAPH_MARK:
            return None
        at = alignment.place(start)
        if change.kind == INSERTED:
            if at is None or re.search(r"{[{%#]|[}%#]}", change.text) or "\n" in change.text:
                return None
            return Edit(at, at, _escape(change.text), change.order)
        to = alignment.place(end)
        if at is None or to is None or alignment.source[at:to].replace("\n", " ") != change.text:
            return None
        return Edit(at, to, "", change.order)


def _unit_problem(docx: Path, message: str) -> BaocaoError:
    return BaocaoError(Problem(file=str(docx), message=message))


def read_review(docx: Path, root: Path, outdir: Path, year: int, unit: str) -> Review:
    """The listing of a reviewed DOCX of `unit`'s report of `year`, whose last render is in `outdir`."""
    recorded = manifest.read(outdir)
    records = (recorded or {}).get("anchors") or {}
    label = f"{year}/{unit}"
    if not records:
        raise BaocaoError(Problem(file=str(outdir / manifest.MANIFEST_NAME),
                                  message=f"chưa có bản kết xuất của {label} ghi dấu neo các đoạn văn: chạy "
                                          f"«baocao render --year {year} --unit {unit}» rồi gửi bản DOCX mới đi góp ý"))
    reviewed = reviewed_docx.read(docx)
    if reviewed.unit is not None and reviewed.unit != label:
        raise _unit_problem(docx, f"tệp này là báo cáo «{reviewed.unit}», không phải «{label}»: kiểm tra --year, "
                                  "--unit hoặc chọn đúng tệp")
    if not reviewed.bookmarks:
        raise _unit_problem(docx, "tệp không có dấu neo (bookmark) nào của baocao: không phải bản DOCX do baocao kết "
                                  "xuất, hoặc đã được lưu bằng chương trình bỏ bookmark; gửi góp ý trên bản DOCX do "
                                  "baocao kết xuất")
    known = {reviewed_docx.base(name)[0] for name in reviewed.bookmarks} & set(records)
    if not known:
        raise _unit_problem(docx, f"dấu neo trong tệp không khớp với bản kết xuất gần nhất của {label}: tệp là báo "
                                  "cáo của đơn vị hoặc năm khác")
    groups: dict[str, list[Paragraph]] = {}
    for paragraph in reviewed.paragraphs:
        if paragraph.anchor is not None:
            groups.setdefault(reviewed_docx.base(paragraph.anchor)[0], []).append(paragraph)
    missing = [Problem(file=str(docx), value=anchor,
                       message=f"đoạn «{_short(group)}» có sửa đổi nhưng dấu neo «{anchor}» không có trong bản kết xuất "
                               f"gần nhất của {label} (manifest.json): tệp DOCX được kết xuất từ văn bản khác; kết "
                               "xuất lại, hoặc chép các sửa đổi bằng tay")
               for anchor, group in groups.items() if anchor not in records and any(p.changes for p in group)]
    if missing:
        raise BaocaoError(missing)
    review = Review(docx=docx)
    reader = _Reader(root, review)
    for paragraph in reviewed.paragraphs:
        if paragraph.changes and paragraph.anchor is None:
            reader.outside(paragraph)
    for anchor, group in groups.items():
        if not any(p.changes for p in group):
            continue
        group.sort(key=lambda p: reviewed_docx.base(p.anchor)[1])
        record = records[anchor]
        (reader.prose if record["kind"] in (anchoring.PROSE, anchoring.NOTE) else reader.data)(record, group)
    _plan_writes(review, reader.blocks)
    review.rows.sort(key=lambda row: (not row.file, row.file, row.line or 0))  # stable: Word's order on a line
    return review


def _short(group: list[Paragraph]) -> str:
    text = " ".join(p.old for p in group).strip()
    return text[:60] + ("…" if len(text) > 60 else "")


def _plan_writes(review: Review, blocks: list[_Block]) -> None:
    """The new text of each prose file: the edits of each of its line ranges applied, last first; two ranges
    that overlap without being the same (a loop printed both) are both conflicts."""
    regions: dict[tuple[Path, int, int], list[_Block]] = {}
    for block in blocks:
        regions.setdefault((block.path, block.first, block.last), []).append(block)
    for path in dict.fromkeys(block.path for block in blocks):
        ranges = [key for key in regions if key[0] == path]
        clash = {a for a in ranges for b in ranges if a != b and a[1] <= b[2] and b[1] <= a[2]}
        for row in (row for key in clash for block in regions[key] for row in block.rows if row.action == TEXT_EDIT):
            row.action = CONFLICT
        kept = sorted((key for key in ranges if key not in clash), key=lambda key: key[1], reverse=True)
        if not kept:
            continue
        raw = path.read_bytes().decode("utf-8")
        lines = raw.replace("\r\n", "\n").split("\n")
        for key in kept:
            text = regions[key][0].source
            edits = [edit for block in regions[key] for edit in block.edits]
            for edit in sorted(edits, key=lambda e: (e.start, e.order), reverse=True):
                text = text[:edit.start] + edit.text + text[edit.end:]
            lines[key[1] - 1:key[2]] = text.split("\n")
        review.writes[path] = ("\r\n" if "\r\n" in raw else "\n").join(lines)


def apply(review: Review) -> list[Path]:
    """Write every planned prose file, all or none: each goes to a temporary file beside it first, and only
    when all are written are they renamed into place."""
    with contextlib.ExitStack() as stack:
        for path, text in review.writes.items():
            temp = stack.enter_context(atomic.atomic_path(path))
            temp.write_bytes(text.encode("utf-8"))
    for row in review.rows:
        if row.action == TEXT_EDIT:
            row.action = APPLIED
    return list(review.writes)


def listing_workbook(review: Review) -> bytes:
    """The listing as an Excel workbook the analyst works through: one row per change or comment, a last
    column to tick off; text that Excel would take for a formula stays text (`tablefiles.put`)."""
    import openpyxl
    from openpyxl.styles import Alignment as CellAlignment
    from openpyxl.styles import Font

    from .tablefiles import put

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Góp ý"
    for c, title in enumerate((*COLUMNS, "Đã xử lý"), start=1):
        put(sheet.cell(1, c), title)
        sheet.cell(1, c).font = Font(bold=True)
    for r, row in enumerate(review.rows, start=2):
        for c, value in enumerate(row.cells(), start=1):
            put(sheet.cell(r, c), int(value) if c == 2 and value else value or None)
            sheet.cell(r, c).alignment = CellAlignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGHIJ", (34, 7, 12, 18, 20, 40, 40, 36, 34, 10)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
