"""What reviewers did to a DOCX in Word: tracked insertions and deletions, and comments, read from its OOXML.

python-docx cannot see revision marks, so the parts are read directly (ECMA-376 part 1, §17.13: `w:ins`
and `w:del` around runs, `w:delText` for deleted text, `w:moveFrom`/`w:moveTo` for moved text, a paragraph
mark's own `w:ins`/`w:del` in its `w:pPr/w:rPr`; comments in `word/comments.xml`, placed by
`w:commentRangeStart`/`w:commentRangeEnd` and the `w:commentReference` run). Each paragraph is read as two
texts, before and after the changes, with each change's place in the text before; the paragraph's baocao
bookmark (`baocao.anchors`) says where it came from.
"""
from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .anchors import BOOKMARK
from .errors import BaocaoError, Problem

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
UNIT_PROPERTY = "baocao-unit"
INSERTED, DELETED, COMMENT, PARAGRAPH_MARK = "ins", "del", "comment", "paragraph"
_INSERTING = {f"{{{W}}}ins": INSERTED, f"{{{W}}}moveTo": INSERTED, f"{{{W}}}del": DELETED, f"{{{W}}}moveFrom": DELETED}
_SPACE = {f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"}
PARTS = ("word/document.xml", "word/footnotes.xml")
MAX_PART = 200_000_000  # bytes unpacked: a report's document.xml is under 2 MB; more is a zip bomb, not a report


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Change:
    """One tracked change or comment of a paragraph; `start`/`end` are offsets in its text before changes."""

    kind: str  # INSERTED, DELETED, COMMENT or PARAGRAPH_MARK
    author: str
    date: str
    start: int
    end: int
    text: str = ""  # inserted or deleted text; for a comment, the commented text
    comment: str = ""  # a comment's own words
    order: int = 0  # document order, for applying several changes at one place


@dataclass
class Paragraph:
    anchor: str | None  # the baocao bookmark that names its source, `bc…_2` for a block's second paragraph
    part: str  # "word/document.xml" or "word/footnotes.xml"
    old: str  # the text as rendered: unchanged and deleted runs
    new: str  # the text as the reviewer left it: unchanged and inserted runs
    changes: list[Change] = field(default_factory=list)
    row: str = ""  # the text of the table row it is in, if any (finds a computed row's data row)


@dataclass
class Reviewed:
    path: Path
    unit: str | None  # the `baocao-unit` document property: "2024/toan-quoc"
    paragraphs: list[Paragraph]
    bookmarks: set[str]  # every baocao bookmark the document holds


def _problem(path: Path, message: str) -> BaocaoError:
    return BaocaoError(Problem(file=str(path), message=message))


def _xml(path: Path, archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        if archive.getinfo(name).file_size > MAX_PART:
            raise _problem(path, f"phần {name} của tệp DOCX lớn bất thường (hơn {MAX_PART // 1_000_000} MB khi giải nén): "
                                 "không phải một bản báo cáo")
        data = archive.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise _problem(path, f"không đọc được phần {name} của tệp DOCX ({exc}): tệp hỏng, lưu lại từ Word rồi chạy lại") from None
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise _problem(path, f"phần {name} của tệp DOCX hỏng ({exc}): mở tệp trong Word, lưu lại rồi chạy lại") from None


def _change_of(element: etree._Element, paragraph: etree._Element) -> etree._Element | None:
    """The `w:ins`/`w:del` (or move) that holds a run's text, below `paragraph`."""
    for ancestor in element.iterancestors():
        if ancestor is paragraph:
            return None
        if ancestor.tag in _INSERTING:
            return ancestor
    return None


def _bookmark(paragraph: etree._Element) -> str | None:
    """The baocao bookmark in the paragraph, or just before it (some editors move a bookmark that opens a
    paragraph out of it); in a table, the one in its row, else the table's."""
    for start in paragraph.iter(q("bookmarkStart")):
        if BOOKMARK.match(start.get(q("name"), "")):
            return start.get(q("name"))
    sibling = paragraph.getprevious()
    while sibling is not None and sibling.tag in (q("bookmarkStart"), q("bookmarkEnd")):
        if sibling.tag == q("bookmarkStart") and BOOKMARK.match(sibling.get(q("name"), "")):
            return sibling.get(q("name"))
        sibling = sibling.getprevious()
    for container in (q("tr"), q("tbl")):
        holder = next(paragraph.iterancestors(container), None)
        if holder is not None:
            for start in holder.iter(q("bookmarkStart")):
                if BOOKMARK.match(start.get(q("name"), "")):
                    return start.get(q("name"))
    return None


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(q("t"), q("delText")))


def _read_paragraph(p: etree._Element, part: str, comments: dict[str, tuple[str, str, str]],
                    order: list[int]) -> Paragraph:
    old, new = [], []
    at = 0  # offset in the old text
    changes: dict[etree._Element, Change] = {}
    opened: dict[str, int] = {}
    placed: set[str] = set()  # comments listed (a range's end and the reference run both close one)
    found: list[Change] = []
    for element in p.iter():
        tag = element.tag
        if tag == q("commentRangeStart"):
            opened[element.get(q("id"))] = at
        elif tag in (q("commentRangeEnd"), q("commentReference")):
            cid = element.get(q("id"))
            if cid in comments and cid not in placed:
                placed.add(cid)
                author, date, words = comments[cid]
                start = opened.get(cid, at)
                order[0] += 1
                found.append(Change(COMMENT, author, date, start, at, "".join(old)[start:at], words, order[0]))
        elif tag in (q("t"), q("delText")) or tag in _SPACE:
            text = element.text or "" if tag in (q("t"), q("delText")) else " "
            holder = _change_of(element, p)
            kind = _INSERTING.get(holder.tag) if holder is not None else None
            if kind is None and tag == q("delText"):
                kind = DELETED
            if kind is not None:
                change = changes.get(holder) if holder is not None else None
                if change is None:
                    order[0] += 1
                    source = holder if holder is not None else element
                    change = Change(kind, source.get(q("author"), ""), source.get(q("date"), ""), at, at, order=order[0])
                    if holder is not None:
                        changes[holder] = change
                    found.append(change)
                change.text += text
            if kind != INSERTED:
                old.append(text)
                at += len(text)
                if kind == DELETED:
                    change.end = at
            if kind != DELETED:
                new.append(text)
    mark = p.find(f"{q('pPr')}/{q('rPr')}")
    for tag in ("ins", "del") if mark is not None else ():
        if (element := mark.find(q(tag))) is not None:
            order[0] += 1
            found.append(Change(PARAGRAPH_MARK, element.get(q("author"), ""), element.get(q("date"), ""), at, at,
                                "¶", order=order[0]))
    row = next(p.iterancestors(q("tr")), None)
    return Paragraph(anchor=_bookmark(p), part=part, old="".join(old), new="".join(new), changes=found,
                     row=" ".join(_text(cell) for cell in row.iter(q("tc"))) if row is not None else "")


def _comments(path: Path, archive: zipfile.ZipFile) -> dict[str, tuple[str, str, str]]:
    root = _xml(path, archive, "word/comments.xml")
    if root is None:
        return {}
    return {c.get(q("id")): (c.get(q("author"), ""), c.get(q("date"), ""),
                             " ".join(_text(p) for p in c.iter(q("p"))).strip())
            for c in root.iter(q("comment"))}


def _unit(path: Path, archive: zipfile.ZipFile) -> str | None:
    root = _xml(path, archive, "docProps/custom.xml")
    if root is None:
        return None
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        if prop.get("name") == UNIT_PROPERTY:
            return "".join(prop.itertext()).strip()
    return None


def read(path: Path) -> Reviewed:
    """The paragraphs of a reviewed DOCX with their changes and comments; a file that is not a DOCX is a
    problem naming it."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise _problem(path, "không tìm thấy tệp DOCX: kiểm tra tên tệp và thư mục") from None
    except IsADirectoryError:
        raise _problem(path, "đây là một thư mục, không phải tệp DOCX") from None
    except (zipfile.BadZipFile, OSError):
        raise _problem(path, "không phải tệp Word DOCX (tệp DOCX là một tệp nén zip): lưu lại từ Word dưới dạng "
                             "«Word Document (*.docx)» rồi chạy lại") from None
    with archive:
        document = _xml(path, archive, "word/document.xml")
        if document is None:
            raise _problem(path, "tệp nén này không phải tệp Word DOCX (không có word/document.xml)")
        comments = _comments(path, archive)
        order = [0]
        paragraphs, bookmarks = [], set()
        for part in PARTS:
            root = document if part == "word/document.xml" else _xml(path, archive, part)
            if root is None:
                continue
            bookmarks |= {b.get(q("name")) for b in root.iter(q("bookmarkStart")) if BOOKMARK.match(b.get(q("name"), ""))}
            paragraphs += [_read_paragraph(p, part, comments, order) for p in root.iter(q("p"))]
        return Reviewed(path=path, unit=_unit(path, archive), paragraphs=paragraphs, bookmarks=bookmarks)


def base(anchor: str) -> tuple[str, int]:
    """("bc…", k) for the bookmark of the k-th paragraph of a block."""
    match = BOOKMARK.match(anchor)
    return match[1], int(match[2] or 1)

