"""What a reader of the rendered 2024 national report sees, checked on the real files."""
from __future__ import annotations

import csv
import json

import docx
import nbformat
import pypdf

from conftest import copy_project, keep_only, run_cli


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


AGENCY = {"toan-quoc": "BỘ NỘI VỤ", "tay-ninh": "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"}


def test_every_output_holds_its_own_report(real_report):
    """Each file of outputs/<year>/<unit>/ is that unit's report of that year, not just a file that exists."""
    year, unit = int(real_report.parent.name), real_report.name
    subject = f"công tác dân vận của cơ quan hành chính nhà nước và chính quyền các cấp năm {year}"
    assert subject in " ".join(pdf_text(real_report / "bao-cao.pdf").split())
    document = docx.Document(real_report / "bao-cao.docx")
    assert AGENCY[unit] in document.tables[0].rows[0].cells[0].text.replace("\n", " ")
    assert any(subject in paragraph.text for paragraph in document.paragraphs)
    assert f"title: Kết quả thực hiện {subject}" in (real_report / "bao-cao.md").read_text(encoding="utf-8")
    facts = json.loads((real_report / "facts.json").read_text(encoding="utf-8"))
    assert (facts["year"], facts["unit"]) == (year, unit)
    notebook = nbformat.read(real_report / "bao-cao.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert {k: notebook.metadata.papermill.parameters[k] for k in ("year", "unit")} == {"year": year, "unit": unit}
    assert json.loads((real_report / "manifest.json").read_text(encoding="utf-8"))["status"] == "ok"


def test_pdf_shows_computed_submission_counts_and_intact_diacritics(rendered_2024):
    text = pdf_text(rendered_2024 / "bao-cao.pdf")
    assert "05/30 bộ, ngành và 41/63 địa phương" in " ".join(text.split())
    for phrase in ("Bà Rịa – Vũng Tàu", "Ủy ban Dân tộc", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Trương Hải Long"):
        assert phrase in text, phrase


def test_docx_appendix_has_one_row_per_unit(rendered_2024):
    document = docx.Document(rendered_2024 / "bao-cao.docx")
    appendix = next(t for t in document.tables if any("Tên cơ quan" in c.text for c in t.rows[0].cells))
    data_rows = [r for r in appendix.rows if r.cells[0].text.strip().isdigit()]
    assert len(data_rows) == 93
    assert data_rows[-1].cells[1].text.strip() == "UBND tỉnh Yên Bái"


def _register_counts(path):
    """Counted straight from the CSV, independently of baocao's reader."""
    rows = list(csv.reader(path.open(encoding="utf-8")))[2:]
    counts, group = {}, None
    for row in rows:
        if row[0] in ("I", "II"):
            group = "ministries" if row[0] == "I" else "provinces"
            counts[group] = {"total": 0, "plan": 0, "annual_report": 0, "scoring_report": 0}
            continue
        counts[group]["total"] += 1
        for doc, column in (("plan", 2), ("annual_report", 4), ("scoring_report", 6)):
            counts[group][doc] += bool(row[column].strip())
    return counts


def test_facts_equal_counts_taken_straight_from_the_register(rendered_2024):
    from conftest import ROOT

    facts = json.loads((rendered_2024 / "facts.json").read_text(encoding="utf-8"))
    for group, expected in _register_counts(ROOT / "data" / "2024" / "so-theo-doi.csv").items():
        assert facts["submissions"][group]["total"] == expected["total"]
        for doc in ("plan", "annual_report", "scoring_report"):
            stats = facts["submissions"][group][doc]
            assert stats["received"] == expected[doc], (group, doc)
            assert stats["received"] + stats["missing"] == expected["total"]
            assert len(stats["missing_units"]) == stats["missing"]
    provinces = facts["submissions"]["provinces"]["annual_report"]
    assert provinces["missing_units"][:3] == ["An Giang", "Bà Rịa – Vũng Tàu", "Bắc Kạn"]
    assert facts["submissions"]["ministries"]["plan"]["late"] == 0


def test_late_documents_are_those_dated_on_or_after_the_deadline(rendered_2024):
    facts = json.loads((rendered_2024 / "facts.json").read_text(encoding="utf-8"))
    annual = facts["submissions"]["ministries"]["annual_report"]
    assert annual["late_units"] == ["Bộ Công an"]  # 18/12/2024; Bộ Quốc phòng's 14/12/2024 is on time
    scoring = facts["submissions"]["provinces"]["scoring_report"]
    assert "Hà Tĩnh" in scoring["late_units"] and "An Giang" not in scoring["late_units"]  # 25/5 vs 24/5


def test_changing_one_register_row_changes_the_pdf(tmp_path):
    root = copy_project(tmp_path)
    register = keep_only(root / "data" / "2024" / "so-theo-doi.csv")
    text = register.read_text(encoding="utf-8")
    row = "58,UBND thành phố Hồ Chí Minh,,,,,2892/UBND-VX,23/5/2024"
    assert row in text
    register.write_text(text.replace(row, row.replace(",,,,,", ",,,99/BC-UBND,10/12/2024,")), encoding="utf-8")
    result = run_cli("render", "--year", "2024", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    text = " ".join(pdf_text(root / "outputs" / "2024" / "toan-quoc" / "bao-cao.pdf").split())
    assert "42/63 địa phương" in text
    assert "21 địa phương Bộ Nội vụ không nhận được báo cáo" in text


def test_figure_captions_read_as_written_without_an_automatic_prefix(rendered_2024):
    text = pdf_text(rendered_2024 / "bao-cao.pdf")
    assert "Biểu đồ 1. Tình hình gửi kế hoạch, báo cáo năm 2024" in " ".join(text.split())
    assert "Hình 1" not in text
