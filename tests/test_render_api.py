"""The public interface: registry, reproducibility, atomic writes, errors, draft/illustrative marks."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pdfplumber
import pytest

from baocao.render import RENDERERS, RenderError, get_renderer, render, renderer_versions
from baocao.render.docx import DocxRenderer
from baocao.render.reference_doc import build as build_reference
from baocao.render.tools import REFERENCE_DOCX, pandoc_path

SAMPLE = Path(__file__).parent / "data" / "sample-report.md"


def variant(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """A copy of the sample source with textual replacements applied."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "source.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_renderer_lists_supported():
    with pytest.raises(RenderError) as error:
        get_renderer("x")
    assert str(error.value) == "Không có trình kết xuất 'x'. Hỗ trợ: docx, pdf, quarto"
    assert set(RENDERERS) == {"docx", "pdf", "quarto"}


def test_unknown_format_writes_nothing(tmp_path):
    with pytest.raises(RenderError):
        render(SAMPLE, tmp_path, formats=("docx", "odt"))
    assert list(tmp_path.iterdir()) == []


def test_two_renders_are_byte_identical(tmp_path):
    first = render(SAMPLE, tmp_path / "a")
    second = render(SAMPLE, tmp_path / "b")
    assert set(first) == {"docx", "pdf"}
    assert first["docx"].name == "bao-cao.docx" and first["pdf"].name == "bao-cao.pdf"
    for fmt in first:
        assert first[fmt].read_bytes() == second[fmt].read_bytes(), fmt


def test_committed_reference_docx_matches_its_builder(tmp_path):
    build_reference(tmp_path / "reference.docx")
    assert (tmp_path / "reference.docx").read_bytes() == REFERENCE_DOCX.read_bytes()


def test_pandoc_failure_is_reported_and_keeps_existing_output(tmp_path):
    (tmp_path / "bao-cao.docx").write_bytes(b"previous")
    broken = DocxRenderer(pandoc_cmd=[pandoc_path(), "--no-such-option"])
    with pytest.raises(RenderError, match="pandoc thất bại.*no-such-option"):
        broken.render(SAMPLE, tmp_path, "bao-cao")
    assert (tmp_path / "bao-cao.docx").read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.docx"]


def test_typst_failure_is_reported_and_keeps_existing_output(tmp_path):
    source = variant(tmp_path, ("::: {.signature}", "```{=typst}\n#no-such-function()\n```\n\n::: {.signature}"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "bao-cao.pdf").write_bytes(b"previous")
    with pytest.raises(RenderError, match="Typst biên dịch thất bại.*no-such-function"):
        render(source, out, formats=("pdf",))
    assert (out / "bao-cao.pdf").read_bytes() == b"previous"
    assert sorted(p.name for p in out.iterdir()) == ["bao-cao.pdf"]


def test_invalid_metadata_lists_every_problem(tmp_path):
    source = variant(tmp_path, ('number: "1385/BC-BNV"\n', ""), ('date: "2025-02-27"', 'date: "27/02/2025"'),
                     ("::: {.signature}\n:::\n", ""))
    with pytest.raises(RenderError) as error:
        render(source, tmp_path / "out")
    message = str(error.value)
    assert "'number'" in message and "'date'" in message and ".signature" in message
    assert not (tmp_path / "out").exists()


def test_draft_mark_on_every_page_in_both_formats(tmp_path):
    source = variant(tmp_path, ("draft: false", "draft: true"))
    out = render(source, tmp_path / "out")
    with pdfplumber.open(out["pdf"]) as pdf:
        assert all("DỰ THẢO" in page.extract_text() for page in pdf.pages)
    document = docx.Document(str(out["docx"]))
    for section in document.sections:
        for header in (section.header, section.first_page_header):
            assert "DỰ THẢO" in "".join(p.text for p in header.paragraphs)


def test_illustrative_notice_on_page_one_and_every_page(tmp_path):
    source = variant(tmp_path, ("illustrative: false", "illustrative: true"))
    out = render(source, tmp_path / "out")
    with pdfplumber.open(out["pdf"]) as pdf:
        assert "DỮ LIỆU MINH HỌA: số liệu" in pdf.pages[0].extract_text()
        assert all("DỮ LIỆU MINH HỌA" in page.extract_text() for page in pdf.pages)
    document = docx.Document(str(out["docx"]))
    assert any(p.text.startswith("DỮ LIỆU MINH HỌA:") for p in document.paragraphs[:6])
    first = document.sections[0]
    for footer in (first.footer, first.first_page_footer):
        assert "DỮ LIỆU MINH HỌA" in "".join(p.text for p in footer.paragraphs)


def test_renderer_versions_name_the_tools():
    versions = renderer_versions()
    assert versions["pandoc"].startswith("3.")
    assert versions["typst"]


@pytest.mark.skipif(shutil.which("quarto") is None, reason="Quarto không có trên PATH (quarto not installed)")
def test_quarto_renders_both_formats(tmp_path):
    out = render(SAMPLE, tmp_path, formats=("quarto",))
    assert set(out) == {"docx", "pdf"} and all(p.stat().st_size > 0 for p in out.values())
