"""What the master notebook shows: the report growing section by section, its data, and its first pages.

Analysts draft in JupyterLab, so the notebook is where they must see the report as it will print: each
outline item's heading, its prose with every computed figure marked (hover shows the placeholder it came
from, and a list under the section gives each placeholder's value), its tables with the words and numbers
the DOCX prints, its charts, and the warnings of the data and claim checks that concern it. Every object
here displays itself (`_repr_html_`): JupyterLab, a papermill run and the nbconvert page of the executed
copy show the same thing, and each cell of the notebook is one call.

`preview` runs the staged build as `baocao render` does (`inputs` → `facts` → `checks`, the one check of
`baocao check`, → `compose`) and shows each stage with what it found, above the report. Prose is filled again
from the same `Inputs` and facts with figures wrapped in a marker, and converted by pandoc, the reader the
documents are made with. A second `preview` in the same kernel re-reads only files that changed (the readers
are cached on file identity), so an edit shows at once.
"""
from __future__ import annotations

import base64
import contextvars
import html
import os
import re
import subprocess
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import checks, review, vnformat
from .compose import Report, compose
from .document import EMPTY_ITEM, ILLUSTRATIVE_NOTICE, empty_items, numbered, walk
from .errors import ERROR, WARNING, BaocaoError, Problem
from .facts import PREDECESSOR_NOTE, SUBMISSIONS_NOTE, Facts, prose_context
from .figures import Figure
from .indicators import COLUMNS as INDICATOR_COLUMNS
from .inputs import Inputs, read_inputs
from .markdown import Table, unescape
from .narrative import Prose
from .options import RenderOptions
from .outdirs import unit_dir
from .params import Params, load_params, params_path
from .project import find_root, notebook_path
from .readers import cell_text, read_table
from .render.errors import RenderError
from .report import compared, write_outputs
from .sandbox import OPTIONS, Number, Sandbox, render
from .targets import MET, NOT_MET, targets_rows
from .units import NATIONAL_SLUG
from .vocabulary import DOCUMENTS, GROUP_WORDS, GROUPS
from .yoy import INDICATOR_NOTE, indicators_rows, submissions_rows

PREVIEW_PAGES = 2  # pages the page preview shows: the header, the first headings and where the text goes
PAGE_PPI = 60  # about 500 px wide for an A4 page: legible headings, a small embedded image

STYLE = """<style>
.bc-report{font-family:"Liberation Serif","Times New Roman",serif;font-size:15px;line-height:1.45;max-width:52em}
.bc-title{text-align:center;border-bottom:1px solid #999;padding-bottom:.6em;margin-bottom:.8em}
.bc-title .bc-doc{font-weight:bold;font-size:1.15em}
.bc-section{margin:.4em 0 1em 0}
.bc-heading{font-weight:bold;margin:.8em 0 .3em 0}
.bc-level-1{font-size:1.15em}
.bc-so-lieu{background:#fff0a8;padding:0 .15em;border-bottom:1px dotted #a08000;cursor:help}
.bc-note{font-style:italic;color:#555}
.bc-problem{border-left:4px solid #d08000;background:#fff6e5;padding:.3em .6em;margin:.3em 0;font-family:sans-serif;font-size:13px}
.bc-problem.bc-error{border-color:#c0392b;background:#fdecea}
.bc-values{font-family:sans-serif;font-size:12px;color:#444;margin:.2em 0}
.bc-table{border-collapse:collapse;margin:.5em 0}
.bc-table th,.bc-table td{border:1px solid #888;padding:.2em .5em;vertical-align:top}
.bc-table th{background:#f0f0f0;text-align:center}
.bc-chart img{max-width:100%;width:640px}
.bc-chart figcaption{font-style:italic;text-align:center}
.bc-stages{font-family:sans-serif;font-size:13px;border:1px solid #ccc;background:#fafafa;padding:.4em .8em;margin:0 0 1em 0}
.bc-stages ol{margin:.2em 0;padding-left:1.6em}
.bc-stages .bc-failed{color:#b42318;font-weight:bold}
.bc-pages img{width:420px;max-width:48%;border:1px solid #aaa;margin:0 .5em .5em 0;box-shadow:1px 1px 4px #bbb}
</style>"""


# --- prose with marked figures ---------------------------------------------------------------------------

class _Computed(str):
    """A computed text as prose sees it (a unit's name, a list of units), which knows the placeholder it answers."""

    name: str


class _ComputedNumber(Number):
    """A computed number as prose sees it: it computes as `Number` does ({{ a - b }}) and knows its placeholder."""

    name: str


def _named(value: str, name: str) -> _Computed | _ComputedNumber:
    marked = _ComputedNumber(value, value.value, value.kind) if isinstance(value, Number) else _Computed(value)
    marked.name = name
    return marked


def _term(value) -> str:
    """An operand as its placeholder reads (a literal as typed), in brackets when it is itself a calculation."""
    name = getattr(value, "name", None)
    if name is None:
        return str(value)
    return f"({name})" if " " in name else name


class _Marking(Sandbox):
    """The prose sandbox whose calculations are named by what they compute ("a - b"), so that a derived figure
    is marked with its formula as a fact is with its name."""

    def call_binop(self, context, operator: str, left, right):
        return _named(super().call_binop(context, operator, left, right), f"{_term(left)} {operator} {_term(right)}")

    def call_unop(self, context, operator: str, arg):
        return _named(super().call_unop(context, operator, arg), f"{operator}{_term(arg)}")


_printed: contextvars.ContextVar[list[tuple[str, str]]] = contextvars.ContextVar("printed")
_NOT_MARKED = ("footnotes.",)  # a footnote reference is markup, not a figure


def _mark(value):
    """Jinja's `finalize`: each `{{ placeholder }}` prints inside a span titled with its name, and is noted."""
    if not isinstance(value, (_Computed, _ComputedNumber)) or value.name.startswith(_NOT_MARKED) or not value:
        return value
    _printed.get().append((value.name, str(value)))
    return f'[{value}]{{.bc-so-lieu title="{value.name}"}}'


_MARKING = _Marking(**OPTIONS, finalize=_mark)


_TEMPLATES: dict[str, object] = {}


def _template(body: str):
    """Compiled once per prose text, as `narrative` does for the report (the check refused what the sandbox
    does not allow before this runs)."""
    if body not in _TEMPLATES:
        _TEMPLATES[body] = _MARKING.from_string(body)
    return _TEMPLATES[body]


def _computed(context: dict, prefix: str = "") -> dict:
    """The prose context with every leaf named by its dotted path."""
    return {key: _computed(value, f"{prefix}{key}.") if isinstance(value, dict) else _named(value, f"{prefix}{key}")
            for key, value in context.items()}


@dataclass(frozen=True)
class _Prose:
    item: str
    path: Path
    text: str  # Markdown with marked figures
    printed: tuple[tuple[str, str], ...]  # (placeholder, value) in order of appearance


def _marked_prose(prose: list[Prose], params: Params, facts: dict) -> dict[str, _Prose]:
    """Each item's prose (as `inputs` read it) filled as the check fills it, with the same facts
    (`facts.prose_context`), its figures marked. The check passed, so every template is known to fill."""
    context = _computed(prose_context(params, facts))
    filled = {}
    for one in prose:
        printed = []
        token = _printed.set(printed)
        try:
            text = render(_template(one.body), context)
        finally:
            _printed.reset(token)
        filled[one.item] = _Prose(one.item, one.path, text, tuple(dict.fromkeys(printed)))
    return filled


# The report's own footnotes (who sent what, merged units) close its source (`document.build_markdown`).
_COMPUTED_NOTE = re.compile(r"^\[\^(?:%s|%s)\]: " % (re.escape(SUBMISSIONS_NOTE), PREDECESSOR_NOTE.format(r"\d+")),
                            re.MULTILINE)
_NOTE_LINE = re.compile(r"^(\[\^[^\]]+\]: |    )(\S.*)$", re.MULTILINE)


ANNEX = "phu-luc-ra-soat"  # the draft's review annex, shown as a last section


def _annex(markdown: str) -> str:
    """A draft's review annex as the source has it: from its heading to the appendix or the footnotes."""
    start = markdown.find(review.TITLE)
    if start == -1:
        return ""
    notes = _COMPUTED_NOTE.search(markdown, start)
    ends = [end for end in (markdown.find("\n::: {.appendix", start), notes.start() if notes else -1) if end != -1]
    return markdown[start:min(ends, default=len(markdown))].strip()


def _computed_notes(markdown: str) -> str:
    """The definitions of the report's own footnotes, each line of their text marked as computed."""
    start = _COMPUTED_NOTE.search(markdown)
    if start is None:
        return ""
    return _NOTE_LINE.sub(lambda m: f'{m[1]}[{m[2]}]{{.bc-so-lieu title="chú thích tính từ dữ liệu"}}',
                          markdown[start.start():])


# Prose is the analysts' text: HTML typed in it prints as text, never as markup of the page (the documents
# drop it too); figures are marked with pandoc's own spans.
_READER = "markdown-raw_html-raw_attribute"
_FENCE = ":" * 12
_SPLIT = re.compile(r'(?=<div id="bc-item-)')
_ITEM = re.compile(r'<div id="bc-item-([a-z0-9-]+)"')
_HTML: OrderedDict[str, dict[str, str]] = OrderedDict()  # pandoc's input → item → HTML, the last few
_KEEP = 8


def _prose_html(markdown: dict[str, str], notes: str) -> dict[str, str]:
    """item → HTML, in one pandoc run (the reader the documents are made with): each item's footnotes
    follow its text, numbered through the report as in the documents. `notes` defines the report's own
    footnotes (`_computed_notes`). A re-run with the same text reuses the conversion."""
    source = "\n\n".join([f"{_FENCE} {{#bc-item-{item} .bc-prose}}\n{text}\n{_FENCE}" for item, text in markdown.items()]
                           + [notes])
    if source not in _HTML:
        from .render.tools import pandoc_path

        done = subprocess.run([pandoc_path(), "--from", _READER, "--to", "html", "--wrap=none",
                               "--reference-location=block"], input=source, capture_output=True, text=True,
                              encoding="utf-8", check=False)
        if done.returncode != 0:
            raise RenderError(f"pandoc thất bại (mã {done.returncode}): {done.stderr.strip()}")
        _HTML[source] = {_ITEM.match(part)[1]: part for part in _SPLIT.split(done.stdout) if _ITEM.match(part)}
        while len(_HTML) > _KEEP:
            _HTML.popitem(last=False)
    return _HTML[source]


# --- tables, charts, problems ----------------------------------------------------------------------------

def styled(table: Table, name: str, verdicts: bool = False) -> str:
    """A computed table as HTML with pandas' Styler: the document's header and cell texts, aligned as the
    document aligns them; "Đạt" green and "Không đạt" red where a column holds verdicts."""
    frame = pd.DataFrame(list(table.rows), columns=list(table.header))
    styler = (frame.style.hide(axis="index").format(escape="html").set_uuid(name)
              .set_table_attributes('class="bc-table"'))
    for column, align in zip(frame.columns, table.rule.strip("|").split("|")):
        centred = align.startswith(":") and align.endswith(":")
        styler = styler.set_properties(subset=[column], **{"text-align": "center" if centred else "left"})
    if verdicts:
        colour = {MET: "color:#1a7f37;font-weight:bold", NOT_MET: "color:#b42318;font-weight:bold"}
        styler = styler.map(lambda cell: colour.get(cell, ""), subset=[frame.columns[-1]])
    return styler.to_html()


def _tables(facts: dict) -> dict[str, list[str]]:
    """Outline table name → its HTML tables, for the tables this report has data for (as `report.build`)."""
    tables = {}
    if facts["targets"]:
        tables["targets"] = [styled(targets_rows(facts["targets"]), "bc-targets", verdicts=True)]
    compared = facts.get("compare")
    if compared:
        year = compared["year"]
        parts = []
        if compared["submissions"]:
            parts.append(styled(submissions_rows(compared["submissions"], year), "bc-yoy-submissions"))
        if compared["indicators"]:
            parts.append(styled(indicators_rows(compared["indicators"], year), "bc-yoy-indicators"))
            parts += [f'<p class="bc-note">{html.escape(INDICATOR_NOTE.format(name=row["name"], year=year, note=row["note"]))}</p>'
                      for row in compared["indicators"] if row["note"]]
        if parts:
            tables["year_on_year"] = parts
    return tables


def _chart(figure: Figure) -> str:
    """The chart inline, as the documents get it (`Figure.png`)."""
    return (f'<figure class="bc-chart"><img alt="{html.escape(figure.caption)}" '
            f'src="data:image/png;base64,{base64.b64encode(figure.png()).decode()}"/>'
            f"<figcaption>{html.escape(figure.caption)}</figcaption></figure>")


def problem_html(problem: Problem, root: Path) -> str:
    """A problem as a coloured box: where (relative to the project) and what."""
    kind, label = ("bc-warning", "Cảnh báo") if problem.severity == WARNING else ("bc-error", "Lỗi")
    return f'<div class="bc-problem {kind}"><b>{label}:</b> {html.escape(str(problem.relative_to(root)))}</div>'


def _table_key(path: Path, row: int, column: str) -> str | None:
    """The value of `column` in `row` of a data table (the indicator a warning about that row concerns)."""
    sheet, _ = read_table(path)
    header = [str(cell_text(cell)) for cell in sheet.rows[0]] if sheet.rows else []
    if column not in header or not 0 < row <= len(sheet.rows):
        return None
    cells = sheet.rows[row - 1]
    index = header.index(column)
    return str(cell_text(cells[index])) if index < len(cells) else None


def _same_file(name: str, path: Path | None, root: Path) -> bool:
    """Whether a problem's file (absolute, or relative to the project as the claim check names it) is `path`."""
    return path is not None and (root / name).resolve() == path.resolve()


def _places(problem: Problem, params: Params, facts: dict, prose: dict[str, _Prose], items: list[str],
            with_tables: dict[str, list[str]]) -> list[str]:
    """The outline items a problem concerns: the item of a prose file; an outline item named in the
    outline; the items whose prose prints, or whose table shows, an indicator of a data row. None: the
    report as a whole."""
    for p in prose.values():
        if _same_file(problem.file, p.path, params.root):
            return [p.item]
    if _same_file(problem.file, params.outline_source, params.root) and problem.value in items:
        return [problem.value]
    data = params.data
    if problem.row is not None and data.indicators is not None and _same_file(problem.file, params.path(data.indicators), params.root):
        key = _table_key(params.path(data.indicators), problem.row, INDICATOR_COLUMNS["key"])
        prefix = f"indicators.{key}."
        judged = key in {target["indicator"] for target in facts["targets"]}
        return [p.item for p in prose.values() if any(name.startswith(prefix) for name, _ in p.printed)] + (
            with_tables.get("targets", []) if judged else [])
    if data.targets is not None and _same_file(problem.file, params.path(data.targets), params.root):
        return with_tables.get("targets", [])
    return []


# --- the views -------------------------------------------------------------------------------------------

@dataclass
class Section:
    """One outline item as the notebook shows it."""

    item: str
    level: int
    number: str  # "I.", "1.", "a)"; "" for an item without a title (opening, closing)
    title: str
    prose: str = ""  # HTML
    values: tuple[tuple[str, str], ...] = ()  # (placeholder, value) the prose printed
    tables: list[str] = field(default_factory=list)  # HTML
    charts: list[str] = field(default_factory=list)  # HTML
    problems: list[str] = field(default_factory=list)  # HTML

    def __repr__(self) -> str:
        return f"{self.number} {self.title}".strip() or self.item

    def _repr_html_(self) -> str:
        return STYLE + f'<div class="bc-report">{self.html()}</div>'

    def html(self) -> str:
        parts = []
        if self.title:
            parts.append(f'<div class="bc-heading bc-level-{self.level}">{html.escape(self.number)} '
                         f"{html.escape(self.title)}</div>")
        parts += self.problems + [self.prose] + self.tables + self.charts
        if self.values:
            rows = "".join(f"<tr><td><code>{html.escape(name)}</code></td><td>{html.escape(unescape(value))}</td></tr>"
                           for name, value in self.values)
            parts.append(f'<details class="bc-values"><summary>{len(self.values)} số liệu tính toán trong mục này'
                         f"</summary><table>{rows}</table></details>")
        return f'<section class="bc-section" data-item="{html.escape(self.item)}">{"".join(parts)}</section>'


@dataclass
class Pages:
    """The first pages of the written PDF as images, with links to the DOCX and the PDF."""

    images: list[bytes]
    page_count: int
    links: dict[str, str]  # label → href relative to where the notebook is read

    def __repr__(self) -> str:  # the plain-text form of the output: a line, not the images' bytes
        return f"Xem trước {len(self.images)}/{self.page_count} trang đầu; " + ", ".join(self.links.values())

    def _repr_html_(self) -> str:
        images = "".join(f'<img class="bc-page" alt="Trang {n}" src="data:image/png;base64,{base64.b64encode(png).decode()}"/>'
                         for n, png in enumerate(self.images, start=1))
        links = " · ".join(f'<a href="{html.escape(href)}" target="_blank">{html.escape(label)}</a>'
                           for label, href in self.links.items())
        return (STYLE + f'<div class="bc-pages"><p><b>Xem trước {len(self.images)}/{self.page_count} trang đầu</b> '
                        f"(bản PDF) — {links}</p>{images}</div>")


@dataclass(frozen=True)
class Stage:
    """One stage of the staged build as the notebook shows it: what it does, the module that does it, and
    what it found."""

    title: str
    module: str
    outcome: str
    failed: bool = False
    details: str = ""  # HTML, folded under the outcome

    def html(self) -> str:
        outcome = html.escape(self.outcome)
        line = (f"<b>{html.escape(self.title)}</b> (<code>{html.escape(self.module)}</code>): "
                + (f'<span class="bc-failed">{outcome}</span>' if self.failed else outcome))
        return f"<li>{line}{self.details}</li>"


def _stages_html(stages: list[Stage]) -> str:
    if not stages:
        return ""
    return f'<div class="bc-stages"><b>Các bước lập báo cáo</b><ol>{"".join(s.html() for s in stages)}</ol></div>'


def _folded(summary: str, lines: list[str]) -> str:
    """HTML lines folded under a summary."""
    return f"<details><summary>{html.escape(summary)}</summary>{'<br/>'.join(lines)}</details>" if lines else ""


def _read_stage(inputs: Inputs) -> Stage:
    root = inputs.params.root
    files = list(dict.fromkeys(inputs.params_files() + inputs.files()))
    errors = [p for p in inputs.problems if p.severity == ERROR]
    outcome = f"{len(files)} tệp tham số, dữ liệu và thư mục văn bản; {len(inputs.prose)} tệp văn bản"
    if inputs.previous is not None:
        outcome += f"; số liệu năm {inputs.previous.year} để so sánh"
    if errors:
        outcome += f"; {len(errors)} lỗi khi đọc"
    shown = [html.escape(os.path.relpath(path, root) if path.is_relative_to(root) else str(path)) for path in files]
    return Stage("Đọc dữ liệu", "inputs", outcome, failed=bool(errors), details=_folded("Các tệp đã đọc", shown))


def _facts_stage(facts: Facts) -> Stage:
    groups = [f"{vnformat.count(g['total'])} {GROUP_WORDS[group]}" for group, g in facts.submissions.items()]
    parts = [f"sổ theo dõi: {' và '.join(groups)}"] if groups else []
    if facts.indicators:
        parts.append(f"{len(facts.indicators)} chỉ số")
    if facts.targets:
        met = sum(result.met for result in facts.targets)
        parts.append(f"{len(facts.targets)} chỉ tiêu ({met} {MET}, {len(facts.targets) - met} {NOT_MET})")
    if facts.comparison is not None:
        parts.append(f"so sánh với năm {facts.comparison.year}")
    if facts.is_illustrative:
        parts.append("có dữ liệu minh họa")
    return Stage("Tính số liệu", "facts", "; ".join(parts) or "không có số liệu tính toán")


def _check_stage(checked: checks.Checked, options: RenderOptions) -> Stage:
    """The one check, with the list `baocao check` prints for the same unit and options."""
    errors = sum(p.severity == ERROR for p in checked.problems)
    warnings = sum(p.severity == WARNING for p in checked.data)
    remaining = len(checked.readiness)
    flags = "".join(f" --{name}" for name in ("strict", "final") if getattr(options, name))
    outcome = (f"{errors} lỗi, {warnings} cảnh báo về dữ liệu, {remaining} việc còn lại trước khi trình ký"
               + (" (bản trình ký: đều là lỗi)" if options.final and remaining else ""))
    root = checked.inputs.params.root
    listed = [html.escape(str(p.relative_to(root))) for p in checked.problems]
    return Stage(f"Kiểm tra như «baocao check{flags}»", "checks", outcome, failed=not checked.ok,
                 details=_folded("Danh sách đầy đủ", listed))


@dataclass
class ReportView:
    """The report of one unit as the notebook shows it, below the stages of its build; `report` is None
    when the check found an error."""

    params: Params | None
    report: Report | None
    problems: list[Problem]  # every problem the check found (or the params' errors), as `baocao check` lists them
    stages: list[Stage] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    unplaced: list[Problem] = field(default_factory=list)  # problems of the report as a whole, shown above it
    root: Path = field(default_factory=Path)
    draft: bool = False

    def _repr_html_(self) -> str:
        stages = _stages_html(self.stages)
        if self.report is None:
            errors = sum(p.severity == ERROR for p in self.problems)
            problems = "".join(problem_html(p, self.root) for p in self.problems)
            return STYLE + (f'<div class="bc-report">{stages}<p><b>Chưa lập được báo cáo: kiểm tra thấy {errors} lỗi.'
                            f"</b> Sửa các lỗi dưới đây rồi chạy lại ô này.</p>{problems}</div>")
        problems = "".join(problem_html(p, self.root) for p in self.unplaced)
        return STYLE + (f'<div class="bc-report">{stages}{self._title()}{problems}'
                        + "".join(section.html() for section in self.sections) + "</div>")

    def __repr__(self) -> str:
        if self.report is None:
            return "\n".join(str(p) for p in self.problems)
        return f"{self.params.document.type} {self.params.document.number_symbol}: {len(self.sections)} mục"

    def _title(self) -> str:
        params, facts = self.params, self.report.facts
        doc = params.document
        lines = [f'<div class="bc-doc">{html.escape(doc.type)} số {html.escape(doc.number_symbol)}</div>',
                 f"<div>{html.escape(params.agency.issuer)} — {html.escape(doc.place_date)}</div>",
                 f"<div><b>{html.escape(doc.subject)}</b></div>"]
        if self.draft:
            lines.append('<div class="bc-problem"><b>DỰ THẢO</b></div>')
        if facts["illustrative"]["report"]:
            lines.append(f'<div class="bc-note">{html.escape(ILLUSTRATIVE_NOTICE.strip("*"))}</div>')
        return f'<div class="bc-title">{"".join(lines)}</div>'

    def data(self) -> "DataTables":
        """The unit's indicators and, for a report with a register, who sent what (the figures prose cites)."""
        if self.report is None:
            raise BaocaoError(self.problems)
        return DataTables.of(self.report)

    def write(self, output_dir: Path | str | None = None, pages: int = PREVIEW_PAGES) -> Pages:
        """Write facts.json, the figures, the source, DOCX and PDF (as `baocao render` does) and show the
        PDF's first `pages` pages, linked from where the notebook is read."""
        if self.report is None:
            raise BaocaoError(self.problems)
        from .render.typst_pdf import page_images

        outdir = outputs_of(self.params, output_dir)
        paths = write_outputs(self.report, outdir)
        images = page_images(paths["source"], ppi=PAGE_PPI)
        here = notebook_path()
        base = here.parent if here is not None else outdir.resolve()  # the executed copy lands in outdir
        links = {label: os.path.relpath(paths[kind].resolve(), base) for kind, label in (("docx", "Tải DOCX"), ("pdf", "Mở PDF"))}
        return Pages(images=images[:pages], page_count=len(images), links=links)


@dataclass
class DataTables:
    """The unit's own figures, as tables with Vietnamese headers and numbers as the report prints them."""

    tables: list[tuple[str, str]]  # (title, HTML)

    @classmethod
    def of(cls, report: Report) -> "DataTables":
        pp = report.params.wording.percentage_points
        tables = []
        if report.indicators:
            rows = tuple((ind.name, str(ind.year), ind.text_with_unit(), ind.change_text(pp), "có" if ind.illustrative else "")
                         for ind in report.indicators.values())
            table = Table(("Chỉ số", "Năm", "Giá trị", "So với năm trước", "Minh họa"), rows, "|:---|:---:|:---:|:---|:---:|")
            tables.append(("Chỉ số", styled(table, "bc-indicators")))
        if report.facts["submissions"]:
            tables.append(("Tình hình gửi văn bản (tính từ sổ theo dõi)", styled(_submissions(report.facts), "bc-submissions")))
        return cls(tables)

    def __repr__(self) -> str:
        return "; ".join(title for title, _ in self.tables) or "Báo cáo này không có bảng số liệu."

    def _repr_html_(self) -> str:
        if not self.tables:
            return STYLE + "<p>Báo cáo này không có bảng số liệu.</p>"
        return STYLE + "".join(f'<div class="bc-report"><div class="bc-heading">{html.escape(title)}</div>{body}</div>'
                               for title, body in self.tables)


def _submissions(facts: dict) -> Table:
    rows = []
    for group, g in facts["submissions"].items():
        for doc, s in g.items():
            if doc != "total":
                rows.append((GROUPS[group], DOCUMENTS[doc], vnformat.count(g["total"]), vnformat.count(s["received"]),
                             vnformat.percent(s["received"], g["total"]) if g["total"] else "",
                             vnformat.count(s["late"]), vnformat.count(s["missing"])))
    return Table(("Nhóm", "Văn bản", "Tổng số đơn vị", "Đã gửi", "Tỷ lệ đã gửi", "Gửi muộn", "Chưa gửi"), tuple(rows),
                 "|:---|:---|:---:|:---:|:---:|:---:|:---:|")


# --- what the notebook calls -----------------------------------------------------------------------------

def outputs_of(params: Params, output_dir: Path | str | None) -> Path:
    """`output_dir` (relative: to the project), by default the unit's folder in the project's outputs/."""
    if output_dir is not None:
        return Path(output_dir) if Path(output_dir).is_absolute() else params.root / output_dir
    return unit_dir(params.root / "outputs", params.year, params.unit)


def preview(year: int, unit: str = NATIONAL_SLUG, params_file: Path | str | None = None,
            output_dir: Path | str | None = None, **options) -> ReportView:
    """The report of `unit` for `year` from the params and data on disk now: the staged build as `baocao
    render` runs it with the same `options` (`RenderOptions`: strict, draft, final, so_voi), each stage shown
    with what it found, then the report section by section. A draft compares itself with the output already
    in `output_dir` (or the one `so_voi` names), as `baocao render --draft` does.

    Problems do not raise here: the view lists them (file, row, column), so an analyst in Lab sees what to
    fix; `ReportView.write` raises them, so a papermill run still fails on bad data.
    """
    chosen = RenderOptions(**options)
    try:
        params = load_params(_in_project(params_file) if params_file else params_path(year, unit, find_root()))
    except BaocaoError as exc:
        failed = Stage("Đọc tham số", "params", f"{len(exc.errors)} lỗi", failed=True)
        return ReportView(None, None, exc.problems, stages=[failed], root=_root_or_cwd())
    inputs = read_inputs(params)
    checked = checks.check(inputs, strict=chosen.strict, final=chosen.final)  # the check of `baocao check`
    stages = [_read_stage(inputs), _facts_stage(checked.facts), _check_stage(checked, chosen)]
    if not checked.ok:
        stages.append(Stage("Soạn báo cáo", "compose", "chưa soạn: sửa các lỗi của bước kiểm tra", failed=True))
        return ReportView(params, None, checked.problems, stages=stages, root=params.root)
    try:
        previous = compared(params, chosen.draft, chosen.so_voi, outputs_of(params, output_dir))
    except BaocaoError as exc:  # an earlier draft that cannot be read: said in the view, as render says it
        stages.append(Stage("Soạn báo cáo", "compose", "chưa soạn: không đọc được bản trước để so sánh", failed=True))
        return ReportView(params, None, exc.problems, stages=stages, root=params.root)
    return _view(checked, compose(checked, draft=chosen.draft, compared=previous), stages, chosen.draft)


def _in_project(path: Path | str) -> Path:
    """A path the analyst typed: relative to the project folder (JupyterLab's kernel runs in notebooks/)."""
    path = Path(path)
    return path if path.is_absolute() else find_root() / path


def _root_or_cwd() -> Path:
    try:
        return find_root()
    except BaocaoError:
        return Path.cwd()


def _view(checked: checks.Checked, report: Report, stages: list[Stage], draft: bool) -> ReportView:
    params = report.params
    prose = _marked_prose(checked.inputs.prose, params, report.facts)
    notes = _computed_notes(report.markdown)
    tables = _tables(report.facts)
    outline = list(walk(params.outline))
    items = [item.id for item, _, _ in outline]
    empty = {item.id for item in empty_items(params.outline, {k: p.text for k, p in prose.items()}, tables)}
    text = {item: EMPTY_ITEM if item in empty else prose[item].text for item in items
            if item in empty or (item in prose and prose[item].text.strip())}
    annex = _annex(report.markdown)
    if annex:
        text[ANNEX] = annex
    converted = _prose_html(text, notes)
    with_tables = {name: [item.id for item, _, _ in outline if name in item.tables] for name in tables}
    placed: dict[str, list[str]] = {}
    unplaced = []
    for problem in checked.problems:
        where = _places(problem, params, report.facts, prose, items, with_tables)
        for item in where:
            placed.setdefault(item, []).append(problem_html(problem, params.root))
        if not where:
            unplaced.append(problem)
    sections = []
    for item, level, position in outline:
        number, title = numbered(level, position, item.title) if position is not None else ("", "")
        sections.append(Section(
            item=item.id, level=level, number=number, title=title, prose=converted.get(item.id, ""),
            values=prose[item.id].printed if item.id in prose else (),
            tables=[part for name in item.tables for part in tables.get(name, [])],
            charts=[_chart(figure) for figure in report.figures if figure.item == item.id],
            problems=placed.get(item.id, [])))
    if annex:
        sections.append(Section(item=ANNEX, level=1, number="", title="", prose=converted.get(ANNEX, "")))
    stages = stages + [Stage("Soạn báo cáo", "compose",
                             f"{len(outline)} mục ({len(empty)} mục còn trống), {len(tables)} bảng tính toán, "
                             f"{len(report.figures)} biểu đồ" + ("; bản dự thảo, có phụ lục rà soát" if draft else ""))]
    return ReportView(params, report, checked.problems, stages, sections, unplaced, root=params.root, draft=draft)
