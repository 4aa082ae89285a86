"""Small Markdown writers for text the program computes (names, numbers, tables).

Prose files are Markdown by design, but a unit name or a cell value must print literally whatever it holds
("A*B", "Sở [mới]", "1/2 | 3"), so everything computed goes through `escape`.
"""
from __future__ import annotations

import textwrap

_SPECIALS = set("\\`*_{}[]<>#|~^$@")


def escape(text: str) -> str:
    """Backslash-escape every character pandoc Markdown (or Typst behind it) could read as markup."""
    return "".join("\\" + c if c in _SPECIALS else c for c in str(text))


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


def _row_lines(widths: list[int], row: list[Cell]) -> list[str]:
    cells, col = [], 0
    for text, span in row:
        width = sum(widths[col:col + span]) + span - 1
        cells.append((textwrap.wrap(text or "", width - 2, break_long_words=True) or [""], width))
        col += span
    height = max(len(lines) for lines, _ in cells)
    return ["|" + "|".join(f" {(lines[i] if i < len(lines) else ''):<{w - 2}} " for lines, w in cells) + "|"
            for i in range(height)]


def grid_table(widths: list[int], header: list[list[Cell]], body: list[list[Cell]]) -> str:
    """A pandoc grid table with row and column spans (pandoc ≥ 3 reads them; so do its DOCX/Typst writers)."""
    rows = header + body
    lines = [_border(widths, None, rows[0], "-").replace("|", "+")]
    for index, row in enumerate(rows):
        lines += _row_lines(widths, row)
        below = rows[index + 1] if index + 1 < len(rows) else None
        char = "=" if header and index == len(header) - 1 else "-"
        lines.append(_border(widths, row, below, char))
    return "\n".join(lines)
