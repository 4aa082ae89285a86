"""What the notebook shows of a report (baocao.display), read as an analyst reads it: sections in the
outline's order with their numbered headings, each computed figure marked with its placeholder, tables with
the DOCX's own cells, warnings beside the section they concern, and an edit seen on the next preview."""
from __future__ import annotations

import html
import re

import pytest

from baocao import display
from baocao.document import walk
from baocao.errors import BaocaoError
from conftest import ROOT, copy_project


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def pipe_rows(markdown: str, first_header: str) -> list[list[str]]:
    """The body rows of the DOCX source's pipe table whose first header cell is `first_header`."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("| "):
            break
        rows.append([re.sub(r"\\(.)", r"\1", cell.strip()) for cell in line.strip("|").split(" | ")])
    return rows


def html_rows(fragment: str) -> list[list[str]]:
    return [[text(cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", fragment, re.S) if "<td" in row]


@pytest.fixture(scope="module")
def national():
    return display.preview(2024, "toan-quoc", params_file=ROOT / "params" / "2024.yml")


@pytest.fixture(scope="module")
def tay_ninh_2025():
    return display.preview(2025, "tay-ninh", params_file=ROOT / "params" / "2025" / "tay-ninh.yml")


def test_sections_follow_the_outline_with_its_numbering(national):
    assert [s.item for s in national.sections] == [item.id for item, _, _ in walk(national.params.outline)]
    headings = [f"{s.number} {s.title}" for s in national.sections if s.title]
    assert headings[0] == "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"
    assert headings[1].startswith("1. Công tác lãnh đạo, chỉ đạo quán triệt")


def test_each_computed_figure_is_marked_with_the_placeholder_it_came_from(national):
    section = next(s for s in national.sections if s.item == "khieu-nai-to-cao")
    visits = national.report.facts["indicators"]["citizen_visits"]["value_text"]
    assert f'<span class="bc-so-lieu" title="indicators.citizen_visits.value">{visits}</span>' in section.prose
    assert ("indicators.citizen_visits.value", visits) in section.values  # the list under the section
    opening = next(s for s in national.sections if s.item == "mo-dau")
    assert "41/63 địa phương" in text(opening.prose)  # the computed footnote, whole, marked too
    assert "b) 25 bộ, ngành Bộ Nội vụ không nhận được báo cáo gồm" in text(opening.prose)
    assert 'title="chú thích tính từ dữ liệu"' in opening.prose


def test_a_warning_shows_beside_the_section_whose_prose_prints_that_indicator(national):
    shown = {s.item: text("".join(s.problems)) for s in national.sections if s.problems}
    assert set(shown) == {"ung-dung-cntt", "khieu-nai-to-cao"}
    assert "tử số/mẫu số cho 49,24" in shown["ung-dung-cntt"] and "chi-so-quoc-gia.csv" in shown["ung-dung-cntt"]
    assert "tử số/mẫu số cho 83,9" in shown["khieu-nai-to-cao"]
    assert national.unplaced == []  # none left without a section


def test_a_typed_number_that_contradicts_the_register_is_flagged_beside_its_section(tmp_path):
    root = copy_project(tmp_path)
    prose = root / "data" / "2024" / "prose" / "mo-dau.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nBộ Nội vụ nhận được báo cáo của 38/60 địa phương.\n",
                     encoding="utf-8")
    view = display.preview(2024, "toan-quoc", params_file=root / "params" / "2024.yml")
    opening = next(s for s in view.sections if s.item == "mo-dau")
    shown = text("".join(opening.problems))
    assert "38/60 địa phương" in shown and "mo-dau.md" in shown
    assert "41/63" in shown  # what the register says


def test_a_chart_is_inline_under_its_section(national):
    section = next(s for s in national.sections if s.item == "quan-triet-chi-thi-33")
    assert len(section.charts) == 1 and "data:image/png;base64," in section.charts[0]
    assert "Biểu đồ 1. Tình hình gửi kế hoạch, báo cáo năm 2024" in section.charts[0]


def test_province_tables_have_the_docx_cells_and_verdicts(tay_ninh_2025):
    section = next(s for s in tay_ninh_2025.sections if s.item == "danh-gia-chung")
    targets, comparison = section.tables[0], section.tables[1]
    markdown = tay_ninh_2025.report.markdown
    assert html_rows(targets) == pipe_rows(markdown, "Chỉ tiêu")
    assert html_rows(comparison) == pipe_rows(markdown, "Chỉ số")
    assert "Không đạt" in text(targets) and "color: #1a7f37" in targets  # "Đạt" in green
    indicators = text(tay_ninh_2025.data()._repr_html_())
    assert "Số lượt tiếp công dân" in indicators and "11.310 lượt" in indicators  # its own indicators


def test_an_edited_prose_file_or_data_cell_shows_on_the_next_preview(tmp_path):
    root = copy_project(tmp_path)
    params_file = root / "params" / "2024" / "tay-ninh.yml"
    before = display.preview(2024, "tay-ninh", params_file=params_file)
    prose = root / "data" / "2024" / "tinh" / "prose" / "khai-quat-chung.md"
    prose.write_text(prose.read_text(encoding="utf-8").replace("tiếp tục chỉ đạo", "đã chỉ đạo quyết liệt"),
                     encoding="utf-8")
    table = root / "data" / "2024" / "chi-so-tinh.csv"
    table.write_text(_set_value(table.read_text(encoding="utf-8"), "Tây Ninh", "citizen_visits", "98765"), encoding="utf-8")
    after = display.preview(2024, "tay-ninh", params_file=params_file)
    first = lambda view: next(s for s in view.sections if s.item == "khai-quat-chung")  # noqa: E731
    assert "đã chỉ đạo quyết liệt" in text(first(after).prose) and "đã chỉ đạo quyết liệt" not in text(first(before).prose)
    assert "98.765 lượt" in text(after.data()._repr_html_())


def _set_value(csv_text: str, unit: str, key: str, value: str) -> str:
    lines = csv_text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(f"{unit},{key},"):
            head, rest = line.split(",2024,", 1)
            lines[i] = f"{head},2024,{value},{rest.split(',', 1)[1]}"
    return "".join(lines)


def test_html_typed_in_prose_is_refused_as_the_documents_refuse_it_and_never_reaches_the_page(tmp_path):
    root = copy_project(tmp_path)
    prose = root / "data" / "2024" / "tinh" / "prose" / "khai-quat-chung.md"
    prose.write_text(prose.read_text(encoding="utf-8") + '\n<img src=x onerror="alert(1)"> <script>alert(2)</script>\n',
                     encoding="utf-8")
    view = display.preview(2024, "tay-ninh", params_file=root / "params" / "2024" / "tay-ninh.yml")
    page = view._repr_html_()
    assert "<img src=x" not in page and "<script>" not in page
    shown = text(page)
    assert "Chưa lập được báo cáo" in shown and "khai-quat-chung.md" in shown and "mã định dạng thô" in shown


def test_bad_data_is_listed_in_the_view_and_stops_the_write(tmp_path):
    root = copy_project(tmp_path)
    table = root / "data" / "2024" / "chi-so-tinh.csv"
    table.write_text(_set_value(table.read_text(encoding="utf-8"), "Tây Ninh", "citizen_visits", "nhiều"), encoding="utf-8")
    view = display.preview(2024, "tay-ninh", params_file=root / "params" / "2024" / "tay-ninh.yml")
    shown = text(view._repr_html_())
    assert "Chưa lập được báo cáo" in shown and "chi-so-tinh.csv" in shown and "Giá trị" in shown
    with pytest.raises(BaocaoError):
        view.write(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_paths_typed_in_the_parameters_are_relative_to_the_project_not_the_kernel_folder(tmp_path, monkeypatch):
    root = copy_project(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(root / "notebooks" / "bao_cao.ipynb"))
    monkeypatch.chdir(root / "notebooks")  # where JupyterLab starts the kernel
    view = display.preview(2024, "tay-ninh", params_file="params/2024/tay-ninh.yml")
    assert view.report is not None and view.params.root == root
    view.write("outputs/thu")
    assert (root / "outputs" / "thu" / "bao-cao.pdf").is_file() and not (root / "notebooks" / "outputs").exists()


def test_a_draft_shows_its_mark_and_the_reviewers_annex_last(tmp_path):
    view = display.preview(2024, "toan-quoc", params_file=ROOT / "params" / "2024.yml", draft=True)
    assert "DỰ THẢO" in text(view._title())
    annex = text(view.sections[-1].prose)
    assert "PHỤ LỤC RÀ SOÁT" in annex and "data/2024/so-theo-doi.csv: sha256" in annex
    assert "tử số/mẫu số cho 49,24" in annex


def test_the_stages_of_the_build_show_above_the_report_with_what_each_found(tay_ninh_2025):
    stages = {stage.module: text(stage.html()) for stage in tay_ninh_2025.stages}
    assert list(stages) == ["inputs", "facts", "checks", "compose"]
    assert "data/2025/chi-so-tinh.csv" in stages["inputs"] and "số liệu năm 2024 để so sánh" in stages["inputs"]
    assert "3 chỉ tiêu (1 Đạt, 2 Không đạt)" in stages["facts"] and "so sánh với năm 2024" in stages["facts"]
    readiness = len(tay_ninh_2025.problems)  # sample prose, blank signer: what keeps the report from being signed
    assert f"0 lỗi, 0 cảnh báo về dữ liệu, {readiness} việc còn lại trước khi trình ký" in stages["checks"]
    assert "người ký còn trống" in stages["checks"]  # the list `baocao check` prints
    page = text(tay_ninh_2025._repr_html_())
    first = next(section for section in tay_ninh_2025.sections if section.title)
    assert page.index("Các bước lập báo cáo") < page.index(first.title)


def test_final_turns_what_keeps_a_report_from_being_signed_into_errors_and_composes_nothing(tay_ninh_2025):
    view = display.preview(2025, "tay-ninh", params_file=ROOT / "params" / "2025" / "tay-ninh.yml", final=True)
    assert view.report is None and view.sections == []
    shown = text(view._repr_html_())
    assert "Chưa lập được báo cáo" in shown and "baocao check --final" in shown and "chưa soạn" in shown
    assert [p.message for p in view.problems] == [p.message for p in tay_ninh_2025.problems]  # the same list, now errors
    assert {p.severity for p in view.problems} == {"lỗi"}


def test_a_derived_figure_computes_as_in_the_documents_and_is_marked_with_its_formula(tmp_path):
    root = copy_project(tmp_path)
    prose = root / "data" / "2024" / "prose" / "mo-dau.md"
    prose.write_text(prose.read_text(encoding="utf-8") + "\nCòn {{ submissions.provinces.total - "
                     "submissions.provinces.annual_report.received }} địa phương chưa gửi báo cáo năm.\n", encoding="utf-8")
    view = display.preview(2024, "toan-quoc", params_file=root / "params" / "2024.yml")
    opening = next(s for s in view.sections if s.item == "mo-dau")
    formula = "submissions.provinces.total - submissions.provinces.annual_report.received"
    assert f'<span class="bc-so-lieu" title="{formula}">22</span>' in opening.prose  # 63 - 41, as the DOCX prints it
    assert (formula, "22") in opening.values
    assert "Còn 22 địa phương chưa gửi báo cáo năm." in view.report.markdown
