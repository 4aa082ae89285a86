"""Edit a rendered DOCX the way Word stores a reviewer's work (ECMA-376 part 1, §17.13.5 and §17.13.4):

- a tracked deletion: the run's text moved into `<w:del w:id w:author w:date><w:r><w:delText>…`;
- a tracked insertion: `<w:ins w:id w:author w:date><w:r><w:t>…` beside the runs it joins;
- a comment: `w:commentRangeStart`/`w:commentRangeEnd` around the runs, then a run holding
  `w:commentReference`, the comment itself in `word/comments.xml`, with its relationship in
  `word/_rels/document.xml.rels` and its content type in `[Content_Types].xml`.

Runs are split at the edited words, keeping their formatting (`w:rPr`), as Word does.
"""
from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

from baocao.reviewed_docx import W, q

REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
COMMENTS_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


class WordEdits:
    """A DOCX opened for editing; `save` writes the edited copy."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as archive:
            self.files = {name: archive.read(name) for name in archive.namelist()}
        self.parts = {name: etree.fromstring(self.files[name]) for name in ("word/document.xml", "word/footnotes.xml")}
        self.comments: list[etree._Element] = []
        self.next_id = 9000

    def paragraph(self, where: str) -> etree._Element:
        """The paragraph holding the bookmark named `where`, or else the first paragraph whose text is `where`
        (a heading, a table cell)."""
        for root in self.parts.values():
            for start in root.iter(q("bookmarkStart")):
                if start.get(q("name")) == where:
                    return next(start.iterancestors(q("p")))
        for root in self.parts.values():
            for p in root.iter(q("p")):
                if "".join(t.text or "" for t in p.iter(q("t"))) == where:
                    return p
        raise KeyError(where)

    def row_cell(self, row_text: str, cell_text: str) -> etree._Element:
        """The paragraph of the table cell reading `cell_text` in the row that has a cell reading `row_text`."""
        for row in self.parts["word/document.xml"].iter(q("tr")):
            cells = {"".join(t.text or "" for t in c.iter(q("t"))): c for c in row.iter(q("tc"))}
            if row_text in cells and cell_text in cells:
                return next(cells[cell_text].iter(q("p")))
        raise KeyError((row_text, cell_text))

    def _split(self, paragraph: etree._Element | str, needle: str) -> etree._Element:
        """The run of exactly `needle`, split out of the run that holds it (its formatting copied)."""
        if isinstance(paragraph, str):
            paragraph = self.paragraph(paragraph)
        for run in paragraph.iter(q("r")):
            text = run.find(q("t"))
            if text is None or needle not in (text.text or ""):
                continue
            before, _, after = text.text.partition(needle)
            pieces = []
            for part in (before, needle, after):
                piece = copy.deepcopy(run)
                piece.find(q("t")).text = part
                piece.find(q("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                pieces.append(piece)
            for piece in pieces:
                run.addprevious(piece)
            run.getparent().remove(run)
            for piece, part in zip(pieces, (before, needle, after)):
                if not part:
                    piece.getparent().remove(piece)
            return pieces[1]
        raise KeyError(needle)

    def _mark(self, tag: str, author: str, date: str) -> etree._Element:
        self.next_id += 1
        return etree.Element(q(tag), {q("id"): str(self.next_id), q("author"): author, q("date"): date})

    def delete(self, where: etree._Element | str, words: str, author: str, date: str, insert: str | None = None) -> None:
        """Strike `words` as a tracked deletion; with `insert`, type that in their place (a replacement)."""
        run = self._split(where, words)
        deletion = self._mark("del", author, date)
        run.addprevious(deletion)
        deletion.append(run)
        text = run.find(q("t"))
        text.tag = q("delText")
        if insert is not None:
            deletion.addnext(self._inserted(run, insert, author, date))

    def insert(self, where: etree._Element | str, after: str, words: str, author: str, date: str) -> None:
        """Type `words` right after the text `after`, as a tracked insertion."""
        run = self._split(where, after)
        run.addnext(self._inserted(run, words, author, date))

    def _inserted(self, like: etree._Element, words: str, author: str, date: str) -> etree._Element:
        insertion = self._mark("ins", author, date)
        run = copy.deepcopy(like)
        for old in run:
            if old.tag != q("rPr"):
                run.remove(old)
        text = etree.SubElement(run, q("t"))
        text.text = words
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        insertion.append(run)
        return insertion

    def comment(self, where: etree._Element | str, words: str, remark: str, author: str, date: str) -> None:
        """A comment on `words`: its range in the paragraph, the reference run, the text in comments.xml."""
        run = self._split(where, words)
        self.next_id += 1
        cid = str(self.next_id)
        run.addprevious(etree.Element(q("commentRangeStart"), {q("id"): cid}))
        end = etree.Element(q("commentRangeEnd"), {q("id"): cid})
        run.addnext(end)
        reference = etree.Element(q("r"))
        style = etree.SubElement(etree.SubElement(reference, q("rPr")), q("rStyle"))
        style.set(q("val"), "CommentReference")
        etree.SubElement(reference, q("commentReference"), {q("id"): cid})
        end.addnext(reference)
        comment = etree.Element(q("comment"), {q("id"): cid, q("author"): author, q("date"): date, q("initials"): "R"})
        p = etree.SubElement(comment, q("p"))
        etree.SubElement(etree.SubElement(p, q("r")), q("t")).text = remark
        self.comments.append(comment)

    def save(self, path: Path) -> Path:
        files = dict(self.files)
        for name, root in self.parts.items():
            files[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if self.comments:
            comments = etree.Element(q("comments"), nsmap={"w": W})
            comments.extend(self.comments)
            files["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)
            rels = etree.fromstring(files["word/_rels/document.xml.rels"])
            etree.SubElement(rels, f"{{{REL}}}Relationship", Id="rIdBaocaoComments", Type=COMMENTS_TYPE,
                             Target="comments.xml")
            files["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                                   standalone=True)
            types = etree.fromstring(files["[Content_Types].xml"])
            etree.SubElement(types, f"{{{CT}}}Override", PartName="/word/comments.xml", ContentType=COMMENTS_CONTENT)
            files["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        return path
