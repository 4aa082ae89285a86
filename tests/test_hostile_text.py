"""Hostile text: what the data holds prints exactly as typed, in DOCX and in PDF.

What is literal: every value that comes from data or is computed (a unit name, a document number in the
register, an indicator's name, a table cell) — `markdown.escape` makes pandoc read it back as the same text.
Prose files are Markdown by design, so what an analyst types there keeps its Markdown meaning (`**đậm**`
is bold); only the values its placeholders insert are literal.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import tempfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from baocao import vnformat
from baocao.dates import dmy, parse_date
from baocao.markdown import escape, grid_table
from baocao.params import load_params
from baocao.render import render
from baocao.render.tools import pandoc_path
from baocao.report import build, write_outputs
from baocao.tablefiles import csv_text
from conftest import copy_project, keep_only

SAMPLE = Path(__file__).parent / "data" / "sample-report.md"
# The specials of Markdown, Typst and LaTeX named in the issue, with backticks
SPECIALS = "*_|#$@<>[]{}\\~`"
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐÂƠƯÊÔ"
TEXT = st.text(alphabet=VIETNAMESE + "0123456789 " + SPECIALS + "-./:;,()!?%&=+^\"'", min_size=1, max_size=40)
HOSTILE_NUMBER = r"12/BC-UB *đậm* _nghiêng_ | #1 $5 @x <b> [mới] {w} \n ~s~ `mã`"
HOSTILE_NAME = r"Lượt *tiếp* công_dân [mới] <b> #2 $3 @y {z} \t ~a~ `b` | c"


def squashed(text: str) -> str:
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def docx_text(path: Path) -> str:
    document = docx.Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def as_pandoc_reads_it(markdown: str) -> list[dict]:
    """The blocks pandoc reads from a Markdown source (its JSON AST)."""
    result = subprocess.run([pandoc_path(), "--from", "markdown", "--to", "json"], input=markdown,
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["blocks"]


def plain(inlines: list[dict]) -> str:
    """Inline elements back to text; any markup (emphasis, code, links, quotes…) is reported, not flattened."""
    parts = []
    for inline in inlines:
        kind = inline["t"]
        if kind == "Str":
            parts.append(inline["c"])
        elif kind in ("Space", "SoftBreak"):
            parts.append(" ")
        else:
            parts.append(f"<{kind}>")
    return "".join(parts)


def cell_blocks(table: dict) -> list[list[dict]]:
    """The blocks of every body cell of a pandoc Table."""
    _, _, _, _, bodies, _ = table["c"]
    return [cell[4] for body in bodies for row in body[3] for cell in row[1]]


# --- escape, as pandoc reads it: fast, so many examples ------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_escaped_text_reads_back_as_itself_in_a_paragraph_and_a_narrow_table_cell(text):
    text = " ".join(text.split())
    assume(text)
    markdown = f"Trước {escape(text)} sau.\n\n" + grid_table([6, 8], [[("A", 1), ("B", 1)]], [[(escape(text), 1), (escape(text), 1)]])
    paragraph, table = as_pandoc_reads_it(markdown)
    assert paragraph["t"] == "Para" and plain(paragraph["c"]) == f"Trước {text} sau."
    for blocks in cell_blocks(table):
        assert [block["t"] for block in blocks] == ["Plain"] and plain(blocks[0]["c"]) == text


@given(st.text(alphabet=VIETNAMESE + "0123456789 ,/", max_size=40).map(lambda t: " ".join(t.split())))
def test_ordinary_names_and_numbers_are_left_as_typed(text):
    """The Markdown source stays readable: names, numbers and dates need no escaping."""
    assert escape(text) == text


def test_escape_is_not_applied_twice_by_the_table_writer():
    """A cell is escaped once by its caller; the grid table writes it as given and never splits an escape."""
    cell = escape("a*b*c*d*e*f*g")
    table = grid_table([4], [[("X", 1)]], [[(cell, 1)]])
    assert cell in table and "\\\\" not in table


# --- dates: what the register accepts reads what the report prints ---------------------------------------------

@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_printed_dates_read_back_as_the_same_date(date):
    assert parse_date(vnformat.date_short(date)) == date
    assert parse_date(dmy(date)) == date


# --- real renders: the text is found in the DOCX and the PDF ---------------------------------------------------

def source_with(text: str, folder: Path) -> Path:
    """The sample report with `text` as a data value (between « and ») in a paragraph and in a table cell."""
    front, _ = SAMPLE.read_text(encoding="utf-8").split("\n---\n", 1)
    table = grid_table([60], [[("Giá trị", 1)]], [[(f"«{escape(text)}»", 1)]])
    body = f"Giá trị: «{escape(text)}»\n\n{table}\n\n::: {{.signature}}\n:::\n"
    path = folder / "source.md"
    path.write_text(f"{front}\n---\n\n{body}", encoding="utf-8")
    return path


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXT)
def test_any_data_text_survives_a_real_render(tmp_path, text):
    text = " ".join(text.split())
    assume(text)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    outputs = render(source_with(text, folder), folder / "out")
    assert docx_text(outputs["docx"]).count(f"«{text}»") == 2
    assert squashed(pdf_text(outputs["pdf"])).count(squashed(f"«{text}»")) == 2


def test_an_ellipsis_in_data_prints_as_three_dots_in_pdf(tmp_path):
    text = "các bộ, ngành, v.v..."
    outputs = render(source_with(text, tmp_path), tmp_path / "out", formats=("pdf",))
    assert squashed(f"«{text}»") in squashed(pdf_text(outputs["pdf"]))


def in_order(needles: list[str], words: list[str]) -> bool:
    """Every needle appears among `words`, in order (a wrapped table cell shares PDF lines with its neighbours)."""
    found = iter(words)
    return all(any(word == needle for word in found) for needle in needles)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> dict[str, Path]:
    """The 2024 national report with a hostile document number in the register."""
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    register = keep_only(root / "data" / "2024" / "so-theo-doi.csv")
    text = register.read_text(encoding="utf-8")
    assert "1765/BC-DV" in text
    register.write_text(text.replace("1765/BC-DV", '"' + HOSTILE_NUMBER + '"', 1), encoding="utf-8")
    report = build(load_params(root / "params" / "2024.yml"))
    return write_outputs(report, root / "outputs")


def test_a_hostile_register_cell_prints_literally_in_the_appendix(hostile_report):
    assert HOSTILE_NUMBER in docx_text(hostile_report["docx"])
    assert in_order(HOSTILE_NUMBER.split(), pdf_text(hostile_report["pdf"]).split())


def test_a_hostile_indicator_name_inserted_by_a_placeholder_prints_literally(tmp_path):
    root = copy_project(tmp_path)
    table = keep_only(root / "data" / "2024" / "chi-so-quoc-gia.csv")
    rows = list(csv.reader(table.read_text(encoding="utf-8").splitlines()))
    next(row for row in rows if row[0] == "citizen_visits")[1] = HOSTILE_NAME
    table.write_text(csv_text(rows), encoding="utf-8")
    prose = root / "data" / "2024" / "prose" / "khieu-nai-to-cao.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nChỉ số: {{ indicators.citizen_visits.name }}.\n", encoding="utf-8")
    outputs = write_outputs(build(load_params(root / "params" / "2024.yml")), root / "outputs")
    assert f"Chỉ số: {HOSTILE_NAME}." in docx_text(outputs["docx"])
    assert squashed(f"Chỉ số: {HOSTILE_NAME}.") in squashed(pdf_text(outputs["pdf"]))


def test_markdown_typed_in_prose_keeps_its_meaning(tmp_path):
    """The other side of the rule: prose is Markdown, so `**…**` typed by an analyst is bold, not asterisks."""
    front, _ = SAMPLE.read_text(encoding="utf-8").split("\n---\n", 1)
    source = tmp_path / "source.md"
    source.write_text(f"{front}\n---\n\nCó **337.635** lượt.\n\n::: {{.signature}}\n:::\n", encoding="utf-8")
    outputs = render(source, tmp_path / "out", formats=("docx",))
    runs = [run for p in docx.Document(outputs["docx"]).paragraphs if "337.635" in p.text for run in p.runs]
    assert any(run.bold and run.text == "337.635" for run in runs) and "**" not in docx_text(outputs["docx"])
