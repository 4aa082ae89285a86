"""Where every paragraph of the DOCX comes from: a prose file and its lines, or a computed fact or table.

Reviewers answer in Word (tracked changes, comments); `review_import` brings their edits back to the prose
files. For that, each block of prose is wrapped, in the report source, in a div that only baocao writes
(`::: {.bc-src #bc…}`; the prose filter refuses divs and spans in prose, so an analyst can never forge
one), and each computed table in a `::: {.bc-data #bd…}` div. The Lua filter (templates/baocao.lua) turns
them into Word bookmarks inside the paragraphs they cover and removes them for Typst, so the PDF is as
before. An anchor's id is a hash of the year, the unit, the prose file and the block's number: stable from
one render to the next while the block stays where it is, and different in another unit's report.

`Anchors.records` (id → record) is kept in the run's manifest (`manifest.write`): the file, its lines, the
hash of those lines as rendered and, for computed content, the data file and row each figure comes from.
"""
from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only stdlib at import: the manifest (read by every batch plan) names ANCHORS_NAME
    from .narrative import Prose
    from .params import Params

ANCHORS_NAME = "anchors.json"  # written beside the outputs by the notebook, folded into the manifest
PROSE, NOTE, DATA = "van-ban", "chu-thich", "so-lieu"  # the kinds of anchor
PROSE_PREFIX, DATA_PREFIX = "bc", "bd"
# A bookmark baocao writes: prefix, 12 hex digits, and `_k` for the k-th paragraph of a block (k ≥ 2);
# LibreOffice saves the bookmarks of footnotes renamed `…_Copy_1`.
BOOKMARK = re.compile(r"^(b[cd][0-9a-f]{12})(?:_(\d+))?(?:_Copy_\d+)?$")
PLACEHOLDER = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
_FACT_NAME = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+")
_NOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:")
_NOTE_REF = re.compile(r"(?<!\\)\^\[|(?<!\\)\[\^([^\]\s]+)\](?!:)")  # an inline note, or a label
_CONTINUES = re.compile(r"^(?:\s|(?:[-*+]|\d+[.)])\s)")  # an indented line or a list item


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def anchor_id(prefix: str, *parts: object) -> str:
    """`bc` or `bd` and 12 hex digits: a Word bookmark name (a letter first, at most 40 characters)."""
    return prefix + hashlib.sha256("\0".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def unit_label(params: Params) -> str:
    """"2024/toan-quoc": the DOCX carries it as a document property, so a review names the right unit."""
    return f"{params.year}/{params.unit}"


def _blocks(text: str) -> list[tuple[int, int]]:
    """The blocks of Markdown text as (first line, last line), 1-based: runs of lines between blank lines,
    an indented or list-item run joined to the block before it (one list, one multi-paragraph note)."""
    blocks: list[list[int]] = []
    lines = text.split("\n")
    previous_blank = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            previous_blank = True
            continue
        joins = blocks and (not previous_blank or (_CONTINUES.match(line) and _CONTINUES.match(lines[blocks[-1][0] - 1])))
        if joins:
            blocks[-1][1] = number
        else:
            blocks.append([number, number])
        previous_blank = False
    return [(first, last) for first, last in blocks]


def _template_lines(body: list[str], filled: list[str]) -> list[tuple[int, int]]:
    """For each line of the filled text, the range of template lines that printed it (1-based): the same
    line where only placeholders differ, the lines of a `{% … %}` block for what a loop or condition printed."""
    def key(line: str) -> str:
        return PLACEHOLDER.sub("\ufffc", line).strip()

    matcher = difflib.SequenceMatcher(None, [key(line) for line in body], [key(line) for line in filled], autojunk=False)
    mapped: list[tuple[int, int]] = [(1, 1)] * len(filled)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                mapped[j] = (i1 + j - j1 + 1,) * 2
            else:
                mapped[j] = (min(i1 + 1, len(body)), max(i2, i1 + 1))
    return mapped


def _whole_paragraphs(body: list[str], first: int, last: int) -> tuple[int, int]:
    """The range widened to the blank lines around it: a paragraph of the template is edited whole."""
    while first > 1 and body[first - 2].strip():
        first -= 1
    while last < len(body) and body[last].strip():
        last += 1
    return first, last


def inline_notes(source: str) -> list[tuple[int, int]]:
    """(start, end) of every `^[…]` note written inside a paragraph, brackets balanced, escapes skipped."""
    found, at = [], 0
    while (start := source.find("^[", at)) != -1:
        if start and source[start - 1] == "\\":
            at = start + 2
            continue
        depth, i = 0, start + 1
        while i < len(source):
            if source[i] == "\\":
                i += 2
                continue
            depth += {"[": 1, "]": -1}.get(source[i], 0)
            if depth == 0:
                break
            i += 1
        found.append((start, min(i + 1, len(source))))
        at = i + 1
    return found


def facts_of(source: str) -> list[str]:
    """The facts a piece of template reads: the dotted names in its placeholders, in order."""
    names = [name for m in PLACEHOLDER.finditer(source) for name in _FACT_NAME.findall(m.group())]
    return list(dict.fromkeys(names))


@dataclass
class Anchors:
    """The anchored report source and the records the manifest keeps."""

    params: Params
    sources: dict[str, dict] = field(default_factory=dict)  # fact, table or note → {"file", "row"} (`for_report`)
    records: dict[str, dict] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # footnote label → anchor of a computed footnote

    def relative(self, path: Path | str) -> str:
        path = Path(path)
        try:
            return path.resolve().relative_to(self.params.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def source_of(self, fact: str) -> dict | None:
        """The data file (and row) a fact named in a placeholder comes from: `indicators.x.value` from the row
        of indicator x, `submissions.…` from the register."""
        parts = fact.split(".")
        return self.sources.get(".".join(parts[:2])) or self.sources.get(parts[0])

    def _id(self, prefix: str, *parts: object) -> str:
        return anchor_id(prefix, self.params.year, self.params.unit, *parts)

    def prose(self, prose: Prose, filled: str) -> str:
        """The filled prose of one file, every block in its own anchor div, and the records of its blocks."""
        body, lines = prose.body.split("\n"), filled.split("\n")
        file_lines = prose.path.read_text(encoding="utf-8").split("\n")
        to_template = _template_lines(body, lines)
        file = self.relative(prose.path)
        blocks = _blocks(filled)
        ids, notes = [], {}
        for number, (first, last) in enumerate(blocks, start=1):
            ids.append(self._id(PROSE_PREFIX, file, number))
            if match := _NOTE_DEF.match(lines[first - 1]):
                notes[match[1]] = ids[-1]
        out = []
        for anchor, (first, last) in zip(ids, blocks):
            text = "\n".join(lines[first - 1:last])
            start, end = _whole_paragraphs(body, min(to_template[first - 1][0], to_template[last - 1][0]),
                                           max(to_template[first - 1][1], to_template[last - 1][1]))
            at, to = prose.body_line + start - 1, prose.body_line + end - 1
            source = "\n".join(file_lines[at - 1:to])
            is_note = bool(_NOTE_DEF.match(text))
            record = {"kind": NOTE if is_note else PROSE, "file": file, "lines": [at, to],
                      "source_sha256": _sha256(source), "text_sha256": _sha256(text),
                      "facts": {name: self.source_of(name) for name in facts_of(source)}}
            self.records[anchor] = record
            refs = []
            for match in [] if is_note else _NOTE_REF.finditer(text):
                if match[1] is None:  # `^[…]`: a note written in the paragraph, on its lines
                    inline = sum(1 for ref in refs if self.records.get(ref, {}).get("note") is not None)
                    refs.append(self._id(PROSE_PREFIX, file, anchor, len(refs)))
                    self.records[refs[-1]] = record | {"kind": NOTE, "note": inline}
                else:
                    refs.append(notes.get(match[1]) or self.notes.get(match[1], "-"))
            attrs = f' notes="{" ".join(refs)}"' if refs else ""
            out.append(f"::: {{.bc-src #{anchor}{attrs}}}\n{text}\n:::")
        return "\n\n".join(out)

    def data(self, name: str, markdown: str, rows: list[dict] | None = None, source: dict | None = None) -> str:
        """A computed block (a table, the appendix, a chart) in a data anchor div; `rows` name the data file and
        row each printed row comes from (`key`: a text the row shows, such as the unit's name)."""
        anchor = self._id(DATA_PREFIX, name)
        self.records[anchor] = {"kind": DATA, "table": name, "source": source or self.sources.get(name), "rows": rows or []}
        return f"::: {{.bc-data #{anchor}}}\n{markdown}\n:::"

    def note(self, label: str) -> None:
        """A footnote the program writes: marked, where prose cites it, as computed from `source`."""
        anchor = self._id(DATA_PREFIX, "note", label)
        self.notes[label] = anchor
        self.records[anchor] = {"kind": DATA, "table": f"chú thích {label}", "source": self.sources.get(f"note.{label}"),
                                "rows": []}

    def figure(self, figure) -> str:
        """A chart and its caption, marked as computed: from the register (submissions), or from the rows of
        the indicators it draws."""
        rows = [{"key": key, **self.sources[f"indicators.{key}"]} for key in figure.data if f"indicators.{key}" in self.sources]
        return self.data(f"biểu đồ {figure.number}", figure.markdown(), rows,
                         self.sources.get(figure.id) or ({"file": rows[0]["file"], "row": None} if rows else None))

    def register_rows(self, register) -> list[dict]:
        """The appendix's rows: the unit's name as printed and its row of the register."""
        file = (self.sources.get("appendix") or {}).get("file")
        return [{"key": name, "file": file, "row": int(row)} for name, row in zip(register["name"], register["row"])]

    def target_rows(self, results: list) -> list[dict]:
        """The targets table's rows: the target's text and its row of the targets table."""
        file = (self.sources.get("targets") or {}).get("file")
        return [{"key": r.target.text, "file": file, "row": r.target.row} for r in results]

    def indicator_rows(self, indicators: dict) -> list[dict]:
        """A comparison table's rows: the indicator's name and its row of this year's indicator table."""
        return [{"key": ind.name, **(self.sources.get(f"indicators.{key}") or {})} for key, ind in indicators.items()]


def for_report(params: Params, own_register: Path | None, indicators: dict, targets: list, note_labels: list[str]) -> Anchors:
    """Anchors of one report, knowing where its facts come from: each indicator from its row of the
    indicator table, submission counts and the appendix from the register (a province's appendix from its
    `own_register` of sub-units, when it keeps one), the targets table from the targets table, a unit's name
    and the report's year from the params file."""
    anchors = Anchors(params)
    where = lambda path, row=None: {"file": anchors.relative(path), "row": row}  # noqa: E731
    data = params.data
    sources = {"report": where(params.source), "unit": where(params.source)}
    if data.submissions is not None:
        register_file = where(params.path(data.submissions))
        sources |= {"submissions": register_file, "footnotes": register_file, "appendix": register_file}
        sources |= {f"note.{label}": register_file for label in note_labels}
    if own_register is not None:
        sources["appendix"] = where(own_register)
    if data.indicators is not None:
        indicator_file = params.path(data.indicators)
        sources |= {f"indicators.{key}": where(indicator_file, ind.row) for key, ind in indicators.items()}
        sources["year_on_year"] = where(indicator_file)
    if data.targets is not None:
        sources["targets"] = where(params.path(data.targets))
    if params.compare is not None and "year_on_year" not in sources:
        sources["year_on_year"] = where(params.path(next(iter(params.compare.files.values()))))
    anchors.sources = sources
    for label in note_labels:
        anchors.note(label)
    return anchors

