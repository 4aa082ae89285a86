"""Assemble the report source: pandoc Markdown with the metadata the layout templates read.

The outline in params decides what prints and in which order; headings are numbered from their position
(I., 1., a)), so renaming, removing or reordering an item is a params change, never a code change.
The format is the contract with `baocao.render` (see templates/README.md).
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

import pandas as pd
import yaml

from .markdown import escape, grid_table
from .params import OutlineItem, Params, outline_items
from .vocabulary import DOCUMENTS, GROUPS

if TYPE_CHECKING:
    from .anchors import Anchors
    from .figures import Figure

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()  # Vietnamese order, as NĐ 30 requires
EMPTY_ITEM = "*(Mục này chưa có nội dung: chưa có số liệu và chưa có văn bản.)*"
ILLUSTRATIVE_NOTICE = ("*DỮ LIỆU MINH HỌA: báo cáo này dùng số liệu và văn bản mẫu không có thật (ghi «Minh họa = có» "
                       "trong dữ liệu), chỉ để minh họa cách lập báo cáo; không được trích dẫn hay sử dụng như số liệu thật.*")


def numbered(level: int, position: int, title: str) -> tuple[str, str]:
    """("I.", "CÔNG TÁC …"), ("1.", "Công tác …"), ("a)", "Kết quả …"): an outline heading's number, from its
    position, and its title as printed."""
    if level == 1:
        return f"{ROMAN[position]}.", title.upper()
    if level == 2:
        return f"{position + 1}.", title
    return f"{LETTERS[position]})", title


def heading(level: int, position: int, title: str) -> str:
    """"# I. CÔNG TÁC …", "## 1. Công tác …", "### a) Kết quả …"."""
    number, text = numbered(level, position, title)
    return f"{'#' * min(level, 3)} {number} {escape(text)}"


def _content(item: OutlineItem, prose: dict[str, str], tables: dict[str, str]) -> list[str]:
    """The item's own prose, then the computed tables it asks for and has data for."""
    text = prose.get(item.id, "").strip()
    return ([text] if text else []) + [tables[name] for name in item.tables if name in tables]


def walk(outline: list[OutlineItem], level: int = 1) -> Iterator[tuple[OutlineItem, int, int | None]]:
    """(item, heading level, position among its titled siblings — None for an item without a title) for every
    item in the order the report prints them: the one numbering of headings (`heading`, the notebook's)."""
    position = 0
    for item in outline:
        yield item, level, position if item.title else None
        position += bool(item.title)
        yield from walk(item.children, level + 1)


def body(outline: list[OutlineItem], prose: dict[str, str], level: int = 1,
         tables: dict[str, str] | None = None) -> Iterable[str]:
    """Headings, prose and tables in outline order; items without a title (opening, closing) print prose only.
    An item with no content of its own and no children prints EMPTY_ITEM: it is flagged, never dropped."""
    tables = tables or {}
    for item, depth, position in walk(outline, level):
        if position is not None:
            yield heading(depth, position, item.title)
        content = _content(item, prose, tables)
        yield from content or ([] if item.children else [EMPTY_ITEM])


def empty_items(outline: list[OutlineItem], prose: dict[str, str], tables: Iterable[str]) -> list[OutlineItem]:
    """The items `body` marks with EMPTY_ITEM, in outline order, so the check can warn about each; `tables`
    names the computed tables the report has."""
    shown = set(tables)
    return [item for item in outline_items(outline)
            if not item.children and not prose.get(item.id, "").strip() and not shown.intersection(item.tables)]


# libyaml's emitter when present: the same text as the pure-Python one, at a tenth of the cost per unit.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _literal(value):
    """Params text as data: pandoc reads metadata values as Markdown, and they must print as typed."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_literal(item) for item in value]
    if isinstance(value, dict):
        return {key: _literal(item) for key, item in value.items()}
    return value


def metadata(params: Params, illustrative: bool, draft: bool = False) -> str:
    doc = params.document
    meta = {"lang": "vi"} | _literal({
        "title": doc.subject,
        "author": params.agency.issuer,
        "agency-parent": params.agency.parent,
        "agency": params.agency.issuer,
        "agency-lines": params.agency.header_lines,
        "number": doc.number_symbol,
        "place-date": doc.place_date,
        "doc-type": doc.type,
        "subject": doc.subject,
        "signer": params.signer.model_dump() | {"lines": params.signer.lines},
        "recipients": list(params.recipients),
    }) | {
        # The date stamps every embedded timestamp; an undated draft uses the last day of its year.
        "date": (doc.date or dt.date(params.year, 12, 31)).isoformat(),
        "draft": draft,
        "illustrative": illustrative,
        "baocao-unit": f"{params.year}/{params.unit}",  # a DOCX property: whose report a reviewed copy is
    }
    return "---\n" + yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000) + "---"


def attached_line(params: Params) -> str:
    """"(Kèm theo Báo cáo số 1385/BC-BNV ngày 27 tháng 02 năm 2025 của Bộ Nội vụ)": the line under an annex's title."""
    doc = params.document
    return f"(Kèm theo {doc.type.capitalize()} số {doc.number_symbol} {doc.date_text} của {params.agency.name})"


def appendix(params: Params, register: pd.DataFrame, notes: dict[str, str] | None = None,
             groups: dict[str, str] = GROUPS) -> str:
    """The Bảng tổng hợp: every unit's plan, annual report and scoring report, numbers and dates as printed.
    `notes` (unit → footnote label) marks the units a reviewer must know were merged or renamed."""
    notes = notes or {}
    attached = attached_line(params)
    header = [
        [("STT", 1), ("Tên cơ quan", 1)] + [(label, 2) for label in DOCUMENTS.values()],
        [(None, 1), (None, 1)] + [("Số văn bản", 1), ("Ngày tháng văn bản", 1)] * len(DOCUMENTS),
    ]
    rows = []
    for number, group in enumerate(groups):
        rows.append([(f"{ROMAN[number]} {escape(groups[group])}", 2 + 2 * len(DOCUMENTS))])
        for stt, record in enumerate(register[register["group"] == group].itertuples(), start=1):
            mark = f"[^{notes[record.unit]}]" if record.unit in notes else ""
            cells = [(str(stt), 1), (escape(record.name) + mark, 1)]
            for d in DOCUMENTS:
                cells += [(escape(getattr(record, f"{d}_number")), 1), (escape(getattr(record, f"{d}_date_text")), 1)]
            rows.append(cells)
    attrs = " ".join(f'{k}="{_attr(v)}"' for k, v in (("label", params.appendix.label), ("title", params.appendix.title),
                                               ("subtitle", params.appendix.subtitle), ("attached", attached)))
    table = grid_table([5, 34, 20, 12, 20, 12, 20, 12], header, rows)
    return f"::: {{.appendix {attrs}}}\n{table}\n:::"


def _attr(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def place_figures(prose: dict[str, str], figures: Sequence[Figure], anchors: Anchors | None = None) -> dict[str, str]:
    """Each figure closes the prose of its outline item, as a paragraph of its own (so pandoc captions it);
    with `anchors`, marked as computed from the data it draws."""
    placed = dict(prose)
    for figure in figures:
        markdown = figure.markdown() if anchors is None else anchors.figure(figure)
        placed[figure.item] = (placed.get(figure.item, "").rstrip() + "\n\n" + markdown).lstrip()
    return placed


def build_markdown(params: Params, prose: dict[str, str], footnotes: dict[str, str],
                   register: pd.DataFrame | None, illustrative: bool, tables: dict[str, str] | None = None,
                   figures: Sequence[Figure] = (), review: str = "", appendix_notes: dict[str, str] | None = None,
                   anchors: Anchors | None = None, groups: dict[str, str] = GROUPS, annexes: Sequence[str] = ()) -> str:
    """The whole source; `review` (draft mode) is the reviewers' annex, printed after the signature;
    `appendix_notes` marks appendix rows with footnotes (see `appendix`); `anchors` marks the appendix as
    computed from the register, row by row; `groups` are the register's groups (a province's register of
    sub-units has its own); `annexes` follow the appendix (a province's ranking)."""
    prose = place_figures(prose, figures, anchors)
    notice = [ILLUSTRATIVE_NOTICE] if illustrative else []
    parts = [metadata(params, illustrative, draft=bool(review)), *notice, *body(params.outline, prose, tables=tables),
             "::: {.signature}\n:::", *([review] if review else [])]
    if params.appendix is not None and register is not None:
        table = appendix(params, register, appendix_notes, groups)
        if anchors is not None:
            table = anchors.data("appendix", table, anchors.register_rows(register))
        parts.append(table)
    parts += annexes
    parts += [f"[^{name}]: {text}" for name, text in footnotes.items()]
    return "\n\n".join(parts) + "\n"
