"""Small Markdown writers for text the program computes (names, numbers, tables).

Prose files are Markdown by design, but a unit name or a cell value must print literally whatever it holds
("A*B", "Sở [mới]", "1/2 | 3", "Số 1... -- xem \"mục 2\""), so everything computed goes through `escape`.
"""
from __future__ import annotations

import re

# What pandoc Markdown (and Typst behind it) could read as markup, backslash-escaped: the inline specials
# anywhere; quotes, "--" and "..." that its smart typography would curl or join; "&" of an entity
# ("&amp;"); a ": " that can start a definition; and, at the start of the text (the start of a table
# cell), a list marker such as "1." "a)" "(2)" "-" (followed by a space or nothing: "12.838" is a number). Letters, digits, "/", "," and single "-" or "." stay as
# they are, so that the Markdown source of a report stays readable.
_INLINE = re.compile(r"""[\\`*_{}\[\]<>#|~^$@"'=]|&(?=#?\w+;)|-(?=-)|(?<=-)-|\.(?=\.)|(?<=\.)\.|:(?=\s|$)""")
_LIST_MARKER = re.compile(r"(?:\(?(?:\d+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)[.)]|[-+:])(?=\s|$)")


def escape(text: str) -> str:
    """The text as pandoc Markdown that reads back as exactly this text (runs of white space become one space:
    a value is one line of the report)."""
    text = " ".join(str(text).split())
    marker = _LIST_MARKER.match(text)
    special = {m.start() for m in _INLINE.finditer(text)}
    special |= {i for i in range(marker.end() if marker else 0) if not text[i].isalnum()}
    return "".join("\\" + c if i in special else c for i, c in enumerate(text))


_ESCAPED = re.compile(r"\\(.)")


def unescape(markdown: str) -> str:
    """The text `escape` was given (white space aside): for a reader of the source that is not pandoc."""
    return _ESCAPED.sub(r"\1", markdown)


Cell = tuple[str | None, int]  # (escaped text, columns spanned); text None: the cell above continues here


def _columns(row: list[Cell] | None, n: int) -> list[tuple[int, bool]]:
    """Per column: (index of the cell covering it, whether that cell continues from the row above)."""
    if row is None:
        return [(c, False) for c in range(n)]
    out = []
    for index, (text, span) in enumerate(row):
        out += [(index, text is None)] * span
    return out


def _border(widths: list[int], above: list[Cell] | None, below: list[Cell] | None, char: str) -> str:
    """The line between two rows; it is open (spaces) under a cell that spans down into `below`."""
    n = len(widths)
    up, down = _columns(above, n), _columns(below, n)
    line = "|" if down[0][1] else "+"
    for col, width in enumerate(widths):
        open_here = down[col][1]
        line += (" " if open_here else char) * width
        if col == n - 1:
            line += "|" if open_here else "+"
            continue
        open_next = down[col + 1][1]
        edge = up[col][0] != up[col + 1][0] or down[col][0] != down[col + 1][0]
        if open_here and open_next:
            line += "|" if edge else " "
        else:
            line += "+" if edge or open_here or open_next else char
    return line


def _wrap(text: str, width: int) -> list[str]:
    """Escaped text in lines of at most `width` characters, broken only at spaces: the lines of a cell join
    with a space, so a break inside a word (or after a hyphen, as textwrap does) would print a space there."""
    lines = [""]
    for word in text.split():
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}" if lines[-1] else word
    return lines


def _fit(widths: list[int], rows: list[list[Cell]]) -> list[int]:
    """Column widths widened where a cell holds a word longer than its width (a long document number)."""
    widths = list(widths)
    for row in rows:
        col = 0
        for text, span in row:
            need = max((len(word) for word in (text or "").split()), default=0) + 2
            have = sum(widths[col:col + span]) + span - 1
            widths[col + span - 1] += max(0, need - have)
            col += span
    return widths


def _row_lines(widths: list[int], row: list[Cell]) -> list[str]:
    cells, col = [], 0
    for text, span in row:
        width = sum(widths[col:col + span]) + span - 1
        cells.append((_wrap(text or "", width - 2), width))
        col += span
    height = max(len(lines) for lines, _ in cells)
    return ["|" + "|".join(f" {(lines[i] if i < len(lines) else ''):<{w - 2}} " for lines, w in cells) + "|"
            for i in range(height)]


def grid_table(widths: list[int], header: list[list[Cell]], body: list[list[Cell]]) -> str:
    """A pandoc grid table with row and column spans (pandoc ≥ 3 reads them; so do its DOCX/Typst writers)."""
    rows = header + body
    widths = _fit(widths, rows)
    lines = [_border(widths, None, rows[0], "-").replace("|", "+")]
    for index, row in enumerate(rows):
        lines += _row_lines(widths, row)
        below = rows[index + 1] if index + 1 < len(rows) else None
        char = "=" if header and index == len(header) - 1 else "-"
        lines.append(_border(widths, row, below, char))
    return "\n".join(lines)
