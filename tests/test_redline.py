"""Every draft shows what changed since the previous one (issue #18, items 3 and 4).

A scratch copy of the project renders the 2024 national report as a draft, then again after one prose edit
and one data change, then with nothing changed, against a named earlier output, and as the final document.
Word's reader gets tracked changes (`w:ins`/`w:del` by «baocao»), checked in the XML and in LibreOffice's own
PDF of the DOCX; the PDF reader gets a bar in the margin; both get the changed numbers in the annex.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import etree

from baocao import atomic, cli, manifest
from baocao.options import RenderOptions
from baocao.params import load_unit_params
from baocao.render import tracked
from conftest import copy_project, libreoffice_pdf, rasterise, require
from test_batch import edit_register_row
from test_cli_errors import baocao as run_cli

W = {"w": tracked.W}
PROSE = Path("data/2024/prose/uu-diem.md")
OLD_TEXT = "tiếp tục quan tâm lãnh đạo, chỉ đạo"
NEW_TEXT = "quan tâm thường xuyên, chỉ đạo"
# Bộ Công an's annual report, late (18/12/2024, the deadline is 15/12) → on time: one late ministry fewer.
REGISTER_ROW, OLD_DATE, NEW_DATE = "2,Bộ Công an,", "18/12/2024", "10/12/2024"
LATE_CHANGE = ("Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ — Báo cáo năm: số đơn vị gửi muộn: 1 → 0 "
               "(do data/2024/so-theo-doi.csv thay đổi)")
ON_TIME_CHANGE = ("Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ — Báo cáo năm: số đơn vị gửi đúng hạn: 4 → 5 "
                  "(do data/2024/so-theo-doi.csv thay đổi)")
UNIT = Path("outputs/2024/toan-quoc")


def _said(result) -> str:
    return " ".join((result.stdout + result.stderr).split())


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[str, Path]:
    """Each render's output folder, kept: first draft, the draft after the edits, a draft with nothing
    changed (`--force`), a draft against the first one named with `--so-voi`, and the final document."""
    root = copy_project(tmp_path_factory.mktemp("redline"))
    kept = tmp_path_factory.mktemp("drafts")

    def render(name: str, *options: str) -> None:
        result = run_cli("render", "--year", "2024", *options, cwd=root)
        assert result.returncode == 0, _said(result)
        shutil.copytree(root / UNIT, kept / name)

    render("first", "--draft")
    prose = root / PROSE
    assert OLD_TEXT in prose.read_text(encoding="utf-8")
    prose.write_text(prose.read_text(encoding="utf-8").replace(OLD_TEXT, NEW_TEXT), encoding="utf-8")
    edit_register_row(root, REGISTER_ROW, OLD_DATE, NEW_DATE)
    render("second", "--draft")
    render("unchanged", "--draft", "--force")
    render("named", "--draft", "--force", "--so-voi", str(kept / "first"))
    render("final")
    return {"root": root} | {name: kept / name for name in ("first", "second", "unchanged", "named", "final")}


def _body(folder: Path):
    with zipfile.ZipFile(folder / "bao-cao.docx") as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _revisions(folder: Path) -> list:
    return _body(folder).xpath("//w:ins | //w:del", namespaces=W)


def _rejected_text(p) -> str:
    """The paragraph as it was before the tracked changes: deletions back, insertions out."""
    parts = []
    for node in p.iter(f"{{{tracked.W}}}t", f"{{{tracked.W}}}delText"):
        if not any(a.tag == f"{{{tracked.W}}}ins" for a in node.iterancestors()):
            parts.append(node.text or "")
    return "".join(parts)


def _docx_text(folder: Path) -> str:
    return " ".join(" ".join(p.text for p in docx.Document(str(folder / "bao-cao.docx")).paragraphs).split())


def _pdf_pages(pdf: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(pdf).pages]


def test_the_first_draft_says_there_is_nothing_to_compare_with(drafts):
    assert _revisions(drafts["first"]) == []
    assert "5. Thay đổi so với bản trước Chưa có bản trước của đơn vị này" in _docx_text(drafts["first"])


def test_the_edited_sentence_is_a_tracked_change_by_baocao_dated_today(drafts):
    revisions = _revisions(drafts["second"])
    assert revisions
    assert {r.get(f"{{{tracked.W}}}author") for r in revisions} == {"baocao"}
    today = dt.datetime.now(dt.timezone.utc).date()
    assert {r.get(f"{{{tracked.W}}}date")[:10] for r in revisions} <= {today.isoformat(), (today - dt.timedelta(1)).isoformat()}
    changed = {r.getparent() for r in revisions}
    assert len(changed) == 1  # only the edited paragraph: the data change shows in no sentence of this report
    paragraph = changed.pop()
    deleted = "".join(paragraph.xpath(".//w:del//w:delText/text()", namespaces=W))
    inserted = "".join(paragraph.xpath(".//w:ins//w:t/text()", namespaces=W))
    assert "tiếp tục" in deleted and "lãnh đạo" in deleted and "thường xuyên" in inserted
    assert NEW_TEXT in tracked.accepted_text(paragraph) and OLD_TEXT not in tracked.accepted_text(paragraph)
    assert OLD_TEXT in _rejected_text(paragraph) and NEW_TEXT not in _rejected_text(paragraph)
    # word by word: the words both versions share are not struck and typed again
    assert "quan tâm" not in deleted and "chỉ đạo" not in deleted + inserted


def test_the_annex_lists_every_changed_number_with_the_input_file_that_changed_it(drafts):
    for text in (_docx_text(drafts["second"]), " ".join(_pdf_pages(drafts["second"] / "bao-cao.pdf"))):
        assert LATE_CHANGE in text and ON_TIME_CHANGE in text
        assert "sửa, mục 1. Ưu điểm: «Năm 2024, công tác dân vận của cơ quan HCNN" in text
        assert "So với outputs/2024/toan-quoc/bao-cao.docx (sha256" in text


def test_a_draft_with_nothing_changed_has_no_tracked_change_and_says_so(drafts):
    assert _revisions(drafts["unchanged"]) == []
    said = "Không có thay đổi nào về văn bản và số liệu so với bản trước."
    assert said in _docx_text(drafts["unchanged"])
    assert said in " ".join(_pdf_pages(drafts["unchanged"] / "bao-cao.pdf"))


def test_a_named_earlier_output_is_compared_with_instead(drafts):
    def marks(folder: Path) -> list[tuple[str, str]]:
        return [(r.tag, "".join(r.itertext())) for r in _revisions(folder)]

    assert marks(drafts["named"]) == marks(drafts["second"])
    text = _docx_text(drafts["named"])
    assert LATE_CHANGE in text and f"So với {drafts['first'] / 'bao-cao.docx'}" in text


def test_the_final_document_never_carries_tracked_changes(drafts):
    assert _revisions(drafts["final"]) == []
    assert "PHỤ LỤC RÀ SOÁT" not in _docx_text(drafts["final"])


def _page_with(pdf: Path, words: str) -> int:
    pages = _pdf_pages(pdf)
    found = [i for i, text in enumerate(pages) if words in text]
    assert len(found) == 1, found
    return found[0]


def _dark_in_margin(image) -> int:
    """Dark pixels in the strip 26–33 mm from the left edge: the bar is drawn 5 mm left of the 35 mm margin."""
    mm = image.width / 210
    strip = image.crop((round(26 * mm), 0, round(33 * mm), image.height))
    return sum(1 for value in strip.get_flattened_data() if value < 128)


def test_the_pdf_marks_the_changed_paragraph_with_a_bar_in_the_margin(drafts, tmp_path):
    require("pdftoppm")
    index = _page_with(drafts["second"] / "bao-cao.pdf", "quan tâm thường xuyên")
    assert index == _page_with(drafts["unchanged"] / "bao-cao.pdf", "quan tâm thường xuyên")
    marked = rasterise(drafts["second"] / "bao-cao.pdf", index, tmp_path / "marked.png")
    plain = rasterise(drafts["unchanged"] / "bao-cao.pdf", index, tmp_path / "plain.png")
    assert _dark_in_margin(plain) == 0
    mm = marked.width / 210
    assert _dark_in_margin(marked) > 15 * mm  # a bar as tall as several lines (the paragraph has eight)


def _struck_through(pdf: Path, page: int, word: str, work: Path) -> bool:
    """Whether a horizontal line crosses `word` on `page` (LibreOffice strikes tracked deletions through):
    a row of the word's box, in its middle, dark from end to end."""
    layout = work / "layout.html"
    subprocess.run([require("pdftotext"), "-bbox", "-f", str(page + 1), "-l", str(page + 1), str(pdf), str(layout)],
                   check=True)
    boxes = [tuple(float(v) for v in m.groups()) for m in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">' + re.escape(word) + "</word>",
        layout.read_text(encoding="utf-8"))]
    assert boxes, word
    image = rasterise(pdf, page, work / "page.png")
    scale = image.width / float(re.search(r'<page width="([\d.]+)"', layout.read_text(encoding="utf-8")).group(1))
    for x0, y0, x1, y1 in boxes:
        left, right = round(x0 * scale) + 1, round(x1 * scale) - 1
        for y in range(round(y0 * scale + (y1 - y0) * scale * 0.35), round(y0 * scale + (y1 - y0) * scale * 0.8)):
            if all(image.getpixel((x, y)) < 160 for x in range(left, right)):
                return True
    return False


def test_libreoffice_shows_the_tracked_changes_with_the_deleted_words_struck_through(drafts, tmp_path):
    pdf = libreoffice_pdf(drafts["second"] / "bao-cao.docx", tmp_path)
    page = _page_with(pdf, "thường xuyên, chỉ đạo")
    text = " ".join(subprocess.run([require("pdftotext"), "-f", str(page + 1), "-l", str(page + 1), str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    # the deleted words printed where they stood, then the inserted ones
    assert "địa phương tiếp tục quan tâm lãnh đạothường xuyên, chỉ đạo" in text, text
    assert _struck_through(pdf, page, "tục", tmp_path)
    assert not _struck_through(pdf, page, "xuyên,", tmp_path)  # inserted words are underlined, not struck


def _marked_paragraph(tmp_path: Path, runs: str, earlier: str):
    """One paragraph of `runs` (OOXML) between two bookmarks, marked against the text `earlier`."""
    body = (f'<w:document xmlns:w="{tracked.W}"><w:body><w:p><w:pPr><w:pStyle w:val="BodyText"/></w:pPr>'
            f'<w:bookmarkStart w:id="7" w:name="p-1"/>{runs}<w:bookmarkEnd w:id="7"/></w:p><w:sectPr/></w:body>'
            '</w:document>')
    path = tmp_path / "x.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", body)
    assert tracked.mark(path, [tracked.Paragraph(earlier)], dt.date(2026, 12, 4)) == 1
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(".//w:p", W)


def test_a_changed_figure_is_struck_and_typed_whole(tmp_path):
    p = _marked_paragraph(tmp_path, "<w:r><w:t>tiếp 11.410 lượt, giảm 11,1% so với năm 2024.</w:t></w:r>",
                          "tiếp 11.310 lượt, giảm 11,9% so với năm 2024.")
    assert p.xpath(".//w:del//w:delText/text()", namespaces=W) == ["11.310", "11,9"]
    assert p.xpath(".//w:ins//w:t/text()", namespaces=W) == ["11.410", "11,1"]


def test_tracked_changes_keep_bookmarks_and_formatting_in_place(tmp_path):
    """What the other half of issue #18 anchors paragraphs with (bookmarks) stays around the marked runs;
    a bold run split by a change keeps its bold."""
    p = _marked_paragraph(tmp_path, "<w:r><w:rPr><w:b/></w:rPr><w:t>Một hai ba </w:t></w:r><w:r><w:t>bốn năm.</w:t></w:r>",
                          "Một hai sáu bốn năm.")
    tags = [etree.QName(c).localname for c in p]
    assert tags[:2] == ["pPr", "bookmarkStart"] and tags[-1] == "bookmarkEnd"
    assert tracked.accepted_text(p) == "Một hai ba bốn năm." and _rejected_text(p) == "Một hai sáu bốn năm."
    assert p.xpath("string(.//w:del//w:delText)", namespaces=W) == "sáu"
    inserted = p.xpath(".//w:ins/w:r", namespaces=W)
    assert [r.xpath("string(w:t)", namespaces=W) for r in inserted] == ["ba"]
    assert inserted[0].find("w:rPr/w:b", W) is not None
    assert {r.get(f"{{{tracked.W}}}date") for r in p.xpath(".//w:ins | .//w:del", namespaces=W)} == {"2026-12-04T00:00:00Z"}


def test_so_voi_is_a_render_option_of_its_own_key():
    args = cli.parser().parse_args(["render", "--year", "2024", "--draft", "--so-voi", "cu/toan-quoc"])
    assert RenderOptions.from_args(args) == RenderOptions(draft=True, so_voi="cu/toan-quoc")
    assert not hasattr(cli.parser().parse_args(["check", "--year", "2024"]), "so_voi")


# --- hostile: what a draft cannot compare with -----------------------------------------------------------

@pytest.fixture
def project_with_draft(drafts, tmp_path) -> Path:
    """A fresh copy of the project whose outputs hold the second draft of `drafts` (inputs as shipped)."""
    root = copy_project(tmp_path / "project")
    shutil.copytree(drafts["second"], root / UNIT)
    return root


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The unit's files; a staging folder left beside it would count as a partial output."""
    assert not atomic.stage_of(folder).exists()
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _damage_docx(root: Path) -> tuple[str, str]:
    (root / UNIT / "bao-cao.docx").write_bytes(b"PK\x03\x04 not a document")
    return "outputs/2024/toan-quoc/bao-cao.docx", "tệp DOCX của bản trước hỏng hoặc không đọc được (BadZipFile)"


def _remove_docx(root: Path) -> tuple[str, str]:
    (root / UNIT / "bao-cao.docx").unlink()
    return "outputs/2024/toan-quoc/bao-cao.docx", "bản trước để so sánh thiếu tệp này"


def _truncate_facts(root: Path) -> tuple[str, str]:
    facts = root / UNIT / "facts.json"
    facts.write_bytes(facts.read_bytes()[:100])
    return "outputs/2024/toan-quoc/facts.json", "tệp facts.json của bản trước hỏng hoặc không đọc được (JSONDecodeError)"


@pytest.mark.parametrize("damage", [_damage_docx, _remove_docx, _truncate_facts])
def test_a_previous_draft_that_cannot_be_read_stops_the_draft_and_writes_nothing(project_with_draft, damage):
    file, message = damage(project_with_draft)
    before = _snapshot(project_with_draft / UNIT)
    result = run_cli("render", "--year", "2024", "--draft", cwd=project_with_draft)
    said = _said(result)
    assert result.returncode == 1, said
    assert f"│ lỗi │ {file} │" in said and f"{message}: chọn bản khác bằng --so-voi THƯ_MỤC" in said, said
    assert "không đọc được bản trước để so sánh (xem bảng lỗi): chưa kết xuất" in said
    assert "Traceback" not in said
    assert _snapshot(project_with_draft / UNIT) == before  # no new file, no failure notebook, nothing replaced


def _other(drafts, tmp_path: Path, **facts) -> Path:
    folder = tmp_path / "khac"
    shutil.copytree(drafts["second"], folder)
    data = json.loads((folder / "facts.json").read_text(encoding="utf-8")) | facts
    (folder / "facts.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize("facts, expected", [
    ({"unit": "an-giang"}, "bản trước này là kết quả của đơn vị «an-giang» năm 2024, không phải của «toan-quoc» năm 2024"),
    ({"year": 2025}, "bản trước này là kết quả của đơn vị «toan-quoc» năm 2025, không phải của «toan-quoc» năm 2024"),
])
def test_a_named_output_of_another_unit_or_year_is_refused(drafts, project_with_draft, tmp_path, facts, expected):
    named = _other(drafts, tmp_path, **facts)
    before = _snapshot(project_with_draft / UNIT)
    result = run_cli("render", "--year", "2024", "--draft", "--so-voi", str(named), cwd=project_with_draft)
    said = _said(result)
    assert result.returncode == 1 and expected in said, said
    assert _snapshot(project_with_draft / UNIT) == before


@pytest.mark.parametrize("options, expected", [
    (["--draft", "--so-voi", "khong-co/toan-quoc"], "khong-co/toan-quoc │ không tìm thấy bản kết quả trước này"),
    (["--so-voi", "outputs/2024/toan-quoc"], "chỉ dùng --so-voi cùng --draft: bản trình ký không ghi thay đổi"),
    (["--draft", "--unit", "toan-quoc,an-giang", "--so-voi", "outputs/2024/toan-quoc"], "chỉ dùng --so-voi với một đơn vị"),
])
def test_so_voi_misused_says_so(project_with_draft, options, expected):
    before = _snapshot(project_with_draft / UNIT)
    result = run_cli("render", "--year", "2024", *options, cwd=project_with_draft)
    said = _said(result)
    assert result.returncode == 1 and expected in said and "Traceback" not in said, said
    assert _snapshot(project_with_draft / UNIT) == before


def test_the_previous_run_of_the_unit_is_found_from_its_staging_folder(project_with_draft):
    """A batch renders into the unit's staging folder: the draft still compares with the published one."""
    from baocao import redline

    stage = atomic.stage_of(project_with_draft / UNIT)
    assert redline.published_folder(stage) == project_with_draft / UNIT
    params = load_unit_params(2024, "toan-quoc", project_with_draft)
    previous = redline.load(params, stage)
    assert previous.facts["unit"] == "toan-quoc" and previous.inputs == manifest.read(project_with_draft / UNIT)["inputs"]


def test_a_compared_draft_is_reproducible_on_the_day_source_date_epoch_names(drafts, tmp_path, monkeypatch):
    """The same source, earlier output and day give the same bytes; `SOURCE_DATE_EPOCH` sets the day."""
    from baocao.report import build, write_outputs

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 3, 2, 15, tzinfo=dt.timezone.utc).timestamp())))
    params = load_unit_params(2024, "toan-quoc", drafts["root"])
    first, second = (write_outputs(build(params, draft=True, so_voi=str(drafts["first"])), tmp_path / name)
                     for name in ("a", "b"))
    for kind in ("docx", "pdf", "source"):
        assert first[kind].read_bytes() == second[kind].read_bytes(), kind
    revisions = _revisions(tmp_path / "a")
    assert revisions and {r.get(f"{{{tracked.W}}}date") for r in revisions} == {"2026-03-02T00:00:00Z"}
