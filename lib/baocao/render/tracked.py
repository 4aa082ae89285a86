"""Word tracked changes (`w:ins` / `w:del`) in a rendered DOCX: what changed since an earlier DOCX.

python-docx cannot write revision marks, so this module edits `word/document.xml` with lxml. Only the
report's own text is compared: the top-level paragraphs of the body before the reviewers' annex and the
appendix (tables hold computed figures, which the annex lists number by number). Paragraphs are matched
between the two documents by their text (difflib); inside a changed paragraph the difference is marked word
by word, so a reviewer sees the edited words, not a whole paragraph replaced. Runs are split where a change
starts or ends and keep their formatting; every other child of a paragraph (bookmarks, proofing marks) stays
where it was. The earlier DOCX may itself carry tracked changes (an earlier draft): it is read as if they
were accepted.
"""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .. import atomic

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DOCUMENT_PART = "word/document.xml"
AUTHOR = "baocao"
# The first paragraph that is no longer the report's own text: the reviewers' annex and the appendix.
ANNEX_TITLE = "PHỤ LỤC RÀ SOÁT"
APPENDIX_STYLE_PREFIX = "Appendix"
# A number with its separators is one word («11.310», «84,38»): a changed figure is struck and typed whole.
_WORDS = re.compile(r"\d+(?:[.,]\d+)*|\w+|\s+|[^\w\s]")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the report's text: what it reads (changes accepted) and its paragraph properties."""

    text: str
    ppr: bytes = b""  # serialized w:pPr, to give a deleted paragraph its style back


def _deleted(element) -> bool:
    return any(a.tag in (w("del"), w("moveFrom")) for a in element.iterancestors())


def accepted_text(p) -> str:
    """The paragraph's text with every tracked change accepted (deleted text left out)."""
    return "".join(t.text or "" for t in p.iter(w("t")) if not _deleted(t))


def _style(p) -> str:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val"), "") if style is not None else ""


def report_paragraphs(body) -> list:
    """The top-level paragraphs with text, up to the annex or the appendix (see the module's docstring)."""
    found = []
    for p in body.iterchildren(w("p")):
        text = accepted_text(p)
        if text.startswith(ANNEX_TITLE) or _style(p).startswith(APPENDIX_STYLE_PREFIX):
            break
        if text.strip():
            found.append(p)
    return found


def _key(text: str) -> str:
    return " ".join(text.split())


def read_paragraphs(docx: Path) -> list[Paragraph]:
    """The report's paragraphs of a DOCX. Raises `zipfile.BadZipFile`, `KeyError` (no document part) or
    `etree.XMLSyntaxError` for a file that is not a readable DOCX: the caller says so in Vietnamese."""
    with zipfile.ZipFile(docx) as archive:
        root = etree.fromstring(archive.read(DOCUMENT_PART))
    body = root.find(w("body"))
    if body is None:
        raise KeyError("w:body")
    result = []
    for p in report_paragraphs(body):
        ppr = p.find(w("pPr"))
        result.append(Paragraph(_key(accepted_text(p)), etree.tostring(ppr) if ppr is not None else b""))
    return result


class _Marker:
    """Builds revision elements with unique ids (above every id the document already uses)."""

    def __init__(self, root, date: dt.date) -> None:
        ids = [int(v) for v in root.xpath("//@w:id", namespaces={"w": W}) if v.lstrip("-").isdigit()]
        self.next_id = max(ids, default=0) + 1
        self.date = f"{date.isoformat()}T00:00:00Z"

    def revision(self, tag: str):
        element = etree.Element(w(tag))
        element.set(w("id"), str(self.next_id))
        element.set(w("author"), AUTHOR)
        element.set(w("date"), self.date)
        self.next_id += 1
        return element

    def deleted_run(self, text: str, rpr):
        """`<w:del><w:r><w:rPr/><w:delText>text</w:delText></w:r></w:del>`, formatted like `rpr`."""
        wrapper = self.revision("del")
        run = etree.SubElement(wrapper, w("r"))
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        deleted = etree.SubElement(run, w("delText"))
        deleted.text = text
        deleted.set(XML_SPACE, "preserve")
        return wrapper

    def mark_paragraph(self, p, tag: str) -> None:
        """Mark the paragraph mark itself inserted or deleted (`w:pPr/w:rPr/w:ins`), as Word does for a
        whole paragraph."""
        ppr = p.find(w("pPr"))
        if ppr is None:
            ppr = etree.Element(w("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            after = [c for c in ppr if c.tag in (w("sectPr"), w("pPrChange"))]
            if after:
                after[0].addprevious(rpr)
            else:
                ppr.append(rpr)
        rpr.insert(0, self.revision(tag))


def _tokens(text: str) -> list[str]:
    return _WORDS.findall(text)


def _coalesced(opcodes: list[tuple], b: list[str]) -> list[tuple]:
    """Opcodes with a change, the spaces after it and the next change joined into one replacement: a reader
    sees «~~lãnh đạo~~ sâu sát» rather than words struck and inserted in turn around a kept space."""
    merged: list[tuple] = []
    for op in opcodes:
        if op[0] != "equal" and len(merged) >= 2 and merged[-1][0] == "equal" and merged[-2][0] != "equal" \
                and not "".join(b[merged[-1][3]:merged[-1][4]]).strip():
            merged.pop()  # only spaces between two changes: they join the replacement
        if op[0] != "equal" and merged and merged[-1][0] != "equal":
            before = merged.pop()
            op = ("replace", before[1], op[2], before[3], op[4])
        merged.append(op)
    return merged


def _edits(old: str, new: str) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """Word-level difference: the inserted ranges of `new` (character offsets) and the deleted texts with
    the offset of `new` where they stood."""
    a, b = _tokens(old), _tokens(new)
    starts = [0]
    for token in b:
        starts.append(starts[-1] + len(token))
    inserted, deleted = [], []
    for op, i1, i2, j1, j2 in _coalesced(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), b):
        if op in ("delete", "replace"):
            deleted.append((starts[j1], "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            inserted.append((starts[j1], starts[j2]))
    return inserted, deleted


def _run_text(run) -> tuple[str, bool]:
    """The run's text and whether it can be split (one w:t and nothing else besides its properties)."""
    content = [c for c in run if c.tag != w("rPr")]
    text = "".join(c.text or "" for c in content if c.tag == w("t"))
    return text, len(content) == 1 and content[0].tag == w("t")


def _piece(run, text: str):
    piece = copy.deepcopy(run)
    t = piece.find(w("t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return piece


def _mark_edits(p, old: str, marker: _Marker) -> None:
    """Rewrite the runs of `p` so the words not in `old` sit in `w:ins` and the words of `old` no longer
    there follow as `w:del`; children that are not runs stay in place."""
    runs = [c for c in p if c.tag == w("r")]
    full = "".join(_run_text(r)[0] for r in runs)
    if _key(full) != _key(accepted_text(p)):  # text outside direct runs (a hyperlink): mark the paragraph whole
        inserted, deleted = [(0, len(full))], [(0, old)]
    else:
        inserted, deleted = _edits(old, full)
    bounds = sorted({0, len(full), *(x for r in inserted for x in r), *(x for x, _ in deleted)})
    pending = sorted(deleted)

    def is_inserted(start: int, end: int) -> bool:
        return end > start and any(a <= start and end <= b for a, b in inserted)

    position, last = 0, None
    for run in runs:
        text, splittable = _run_text(run)
        start, end = position, position + len(text)
        position = end
        cuts = [start, *(x for x in bounds if start < x < end), end] if splittable else [start, end]
        for a, b in zip(cuts, cuts[1:]):
            while pending and pending[0][0] <= a:  # a deletion goes before the text that now stands there
                run.addprevious(marker.deleted_run(pending.pop(0)[1], run.find(w("rPr"))))
            piece = _piece(run, text[a - start:b - start]) if len(cuts) > 2 else copy.deepcopy(run)
            if is_inserted(a, b):
                wrapper = marker.revision("ins")
                wrapper.append(piece)
                piece = wrapper
            run.addprevious(piece)
            last = piece
        p.remove(run)
    for _, text in reversed(pending):  # deleted at the very end of the paragraph
        rpr = runs[-1].find(w("rPr")) if runs else None
        if last is not None:
            last.addnext(marker.deleted_run(text, rpr))
        else:
            p.append(marker.deleted_run(text, rpr))


def _insert_whole(p, marker: _Marker) -> None:
    for run in [c for c in p if c.tag == w("r")]:
        wrapper = marker.revision("ins")
        run.addprevious(wrapper)
        wrapper.append(run)
    marker.mark_paragraph(p, "ins")


def _deleted_paragraph(old: Paragraph, marker: _Marker):
    p = etree.Element(w("p"))
    if old.ppr:
        p.append(etree.fromstring(old.ppr))
    marker.mark_paragraph(p, "del")
    p.append(marker.deleted_run(old.text, None))
    return p


def mark(docx: Path, earlier: list[Paragraph], date: dt.date) -> int:
    """Mark in `docx` (in place, atomically) what changed since the paragraphs `earlier`, as tracked
    changes by «baocao» dated `date`; return how many paragraphs changed, were added or deleted."""
    with zipfile.ZipFile(docx) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    parts = dict((info.filename, data) for info, data in entries)
    root = etree.fromstring(parts[DOCUMENT_PART])
    paragraphs = report_paragraphs(root.find(w("body")))
    new_keys = [_key(accepted_text(p)) for p in paragraphs]
    marker = _Marker(root, date)
    changed = 0
    matcher = difflib.SequenceMatcher(None, [p.text for p in earlier], new_keys, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            _mark_edits(paragraphs[j1 + k], earlier[i1 + k].text, marker)
        for p in paragraphs[j1 + pairs:j2]:
            _insert_whole(p, marker)
        for old in earlier[i1 + pairs:i2]:
            if j2 < len(paragraphs):
                paragraphs[j2].addprevious(_deleted_paragraph(old, marker))
            else:
                paragraphs[-1].addnext(_deleted_paragraph(old, marker))
        changed += max(i2 - i1, j2 - j1)
    if not changed:
        return 0
    parts[DOCUMENT_PART] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with atomic.atomic_path(docx) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info, _ in entries:  # the same entries, dates and order: the DOCX stays reproducible
            out.writestr(info, parts[info.filename])
    return changed
