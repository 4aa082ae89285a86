"""Draft mode: every page says DỰ THẢO, and the reviewers' annex lists sources, warnings and claims."""
from __future__ import annotations

import pypdf

from baocao.params import load_params
from baocao.report import build, write_outputs
from conftest import ROOT


def test_draft_marks_every_page_and_carries_the_review_annex(tmp_path):
    report = build(load_params(ROOT / "params" / "2024.yml"), draft=True)
    assert "draft: true" in report.markdown
    paths = write_outputs(report, tmp_path)
    pages = [page.extract_text() for page in pypdf.PdfReader(paths["pdf"]).pages]
    assert all("DỰ THẢO" in text for text in pages)
    text = " ".join(" ".join(pages).split())
    assert "PHỤ LỤC RÀ SOÁT" in text
    assert "data/2024/so-theo-doi.csv: sha256" in text
    assert "tử số/mẫu số cho 49,24" in text  # the data check's warning, for the reviewer


def test_the_final_document_has_no_review_annex():
    report = build(load_params(ROOT / "params" / "2024.yml"))
    assert "draft: false" in report.markdown and "PHỤ LỤC RÀ SOÁT" not in report.markdown


def test_draft_pdf_embeds_only_the_vendored_face(tmp_path):
    paths = write_outputs(build(load_params(ROOT / "params" / "2024.yml"), draft=True), tmp_path)
    fonts = {font["/BaseFont"].split("+")[-1] for page in pypdf.PdfReader(paths["pdf"]).pages
             for font in (page.get("/Resources", {}).get("/Font") or {}).values() for font in [font.get_object()]}
    assert fonts and all(name.startswith("LiberationSerif") for name in fonts)
