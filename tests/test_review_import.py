"""`baocao review`: a reviewer's tracked changes and comments in the DOCX of the real 2024 national report come
back to the prose files, by file and line; `--apply` writes exactly the edited prose and nothing on a conflict.

The reviewed DOCX is made the way Word stores edits (tests/wordedits.py), from the DOCX `baocao render` wrote;
the paragraphs to edit are found through the anchors of the run's manifest, and the lines expected are found
in the prose files by their text, never typed here.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree

from baocao.anchors import BOOKMARK, inline_notes
from conftest import copy_project, require, run_cli
from wordedits import WordEdits

YEAR, UNIT = "2024", "toan-quoc"
PROSE = "data/2024/prose/cai-cach-tthc.md"  # its paragraph on line 6 prints 1.848 from the indicator table
OPENING = "data/2024/prose/mo-dau.md"
A, B, C, D = "Nguyễn Văn A", "Trần Thị B", "Lê Văn C", "Phạm Thị D"
WHEN = "2025-03-02T09:00:00Z"
HEADING = "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO"  # from the outline in params, not from a prose file


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """A project whose 2024 national report was rendered by the CLI (the manifest keeps the anchors)."""
    root = copy_project(tmp_path_factory.mktemp("review"))
    result = run_cli("render", "--year", YEAR, "--unit", UNIT, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def project(rendered, tmp_path) -> Path:
    """A fresh copy of the rendered project for each test: --apply writes its prose files."""
    root = tmp_path / "project"
    shutil.copytree(rendered, root)
    return root


def _anchors(root: Path) -> dict[str, dict]:
    return json.loads((root / "outputs" / YEAR / UNIT / "manifest.json").read_text(encoding="utf-8"))["anchors"]


def _anchor(root: Path, file: str, line: int, kind: str = "van-ban") -> str:
    [found] = [name for name, record in _anchors(root).items()
               if record.get("file") == file and record["lines"][0] <= line <= record["lines"][1] and record["kind"] == kind]
    return found


def _line_of(root: Path, file: str, text: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").split("\n")
    [number] = [n for n, line in enumerate(lines, start=1) if text in line]
    return number


def _docx(root: Path) -> Path:
    return root / "outputs" / YEAR / UNIT / "bao-cao.docx"


def _reviewed(root: Path, target: Path) -> Path:
    """What a reviewer sends back: a word struck, words added, a number retyped, a footnote corrected, a
    comment on the opening, a document number retyped in the appendix, a word added to a heading."""
    body = _line_of(root, PROSE, "nghiêm túc quán triệt")
    paragraph = _anchor(root, PROSE, body)
    note = _anchor(root, PROSE, body, kind="chu-thich")
    opening = _anchor(root, OPENING, _line_of(root, OPENING, "Thực hiện Chỉ thị số 33/CT-TTg"))
    edits = WordEdits(_docx(root))
    edits.delete(paragraph, "nghiêm túc ", A, WHEN)
    edits.insert(paragraph, "đơn giản hóa TTHC nội bộ", " và liên thông", A, WHEN)
    edits.delete(paragraph, "1.848", D, WHEN, insert="1.850")  # printed from {{ indicators….value }}
    edits.delete(note, "8465", C, WHEN, insert="8466")
    edits.comment(opening, "Chỉ thị số 33/CT-TTg", "Ghi rõ ngày ban hành", B, WHEN)
    edits.delete(edits.row_cell("Bộ Công an", "568-BC/ĐUCA"), "568", D, WHEN, insert="569")
    edits.insert(HEADING, "CHỈ ĐẠO", " CHUNG", A, WHEN)
    return edits.save(target)


def _listing(path: Path) -> list[dict]:
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "data").rglob("*"))
            if p.is_file()}


def _review(root: Path, docx: Path, *extra: str) -> subprocess.CompletedProcess:
    """The CLI on a wide terminal, so that a table row is one line of its output."""
    return subprocess.run([sys.executable, "-m", "baocao.cli", "review", str(docx), "--year", YEAR, "--unit", UNIT, *extra],
                          cwd=root, capture_output=True, text=True, env=os.environ | {"COLUMNS": "1000"})


def test_every_prose_paragraph_and_footnote_of_the_docx_names_its_source(rendered):
    """Each block of prose in the manifest has its bookmark in the DOCX, each footnote too, and each
    bookmark of the DOCX names a block the manifest knows."""
    with zipfile.ZipFile(_docx(rendered)) as archive:
        parts = {name: etree.fromstring(archive.read(name)) for name in ("word/document.xml", "word/footnotes.xml")}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    names = {b.get(f"{w}name") for root in parts.values() for b in root.iter(f"{w}bookmarkStart")}
    ours = {BOOKMARK.match(n)[1] for n in names if BOOKMARK.match(n)}
    anchors = _anchors(rendered)
    assert ours == set(anchors)
    footnotes = [f for f in parts["word/footnotes.xml"].iter(f"{w}footnote") if int(f.get(f"{w}id")) > 0]
    assert footnotes and all(any(BOOKMARK.match(b.get(f"{w}name")) for b in f.iter(f"{w}bookmarkStart"))
                             for f in footnotes)
    prose = [r for r in anchors.values() if r["kind"] == "van-ban"]
    assert {r["file"] for r in prose} == {f"data/2024/prose/{p.name}" for p in (rendered / "data/2024/prose").glob("*.md")}
    computed = {r["table"] for r in anchors.values() if r["kind"] == "so-lieu"}
    assert "appendix" in computed  # the Bảng tổng hợp, row by row from the register
    appendix = next(r for r in anchors.values() if r.get("table") == "appendix")
    assert {"key": "Bộ Công an", "file": "data/2024/so-theo-doi.csv", "row": 5} in appendix["rows"]


def test_the_listing_names_file_line_author_and_kind_and_a_retyped_number_as_data(project, tmp_path):
    docx = _reviewed(project, tmp_path / "gop-y.docx")
    before = _hashes(project)
    result = _review(project, docx)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"│ {PROSE}" in result.stdout and "sửa dữ liệu, không sửa chữ" in result.stdout  # the terminal's table
    rows = _listing(tmp_path / "gop-y.gop-y.xlsx")
    body = _line_of(project, PROSE, "nghiêm túc quán triệt")
    seen = {(r["Tệp"], r["Dòng"], r["Loại"], r["Người sửa"], r["Nội dung"], r["Xử lý"]) for r in rows}
    ready = "sửa chữ: ghi được vào tệp văn bản"
    assert (PROSE, body, "xóa", A, "nghiêm túc ", ready) in seen
    assert (PROSE, body, "chèn", A, " và liên thông", ready) in seen
    assert (PROSE, body, "xóa", C, "8465", ready) in seen  # in the footnote written in that paragraph
    assert (PROSE, body, "chèn", C, "8466", ready) in seen
    data = [r for r in rows if r["Người sửa"] == D]
    indicators, register = "data/2024/chi-so-quoc-gia.csv", "data/2024/so-theo-doi.csv"
    assert {(r["Tệp"], r["Dòng"], r["Loại"], r["Nội dung"], r["Xử lý"], r["Nguồn số liệu"]) for r in data} == {
        (PROSE, body, "xóa", "1.848", "sửa dữ liệu, không sửa chữ", f"{indicators}, dòng 5"),
        (PROSE, body, "chèn", "1.850", "sửa dữ liệu, không sửa chữ", f"{indicators}, dòng 5"),
        (register, 5, "xóa", "568", "sửa dữ liệu, không sửa chữ", f"{register}, dòng 5"),
        (register, 5, "chèn", "569", "sửa dữ liệu, không sửa chữ", f"{register}, dòng 5")}
    assert "internal_tthc_published" in (project / indicators).read_text(encoding="utf-8").split("\n")[4]
    assert "Bộ Công an,,,568-BC/ĐUCA" in (project / register).read_text(encoding="utf-8").split("\n")[4]
    [heading] = [r for r in rows if r["Nội dung"] == " CHUNG"]
    assert (heading["Tệp"], heading["Dòng"], heading["Xử lý"][:13]) == (None, None, "ngoài văn bản")
    [comment] = [r for r in rows if r["Loại"] == "góp ý"]
    assert (comment["Tệp"], comment["Dòng"], comment["Người sửa"], comment["Góp ý"], comment["Nội dung"]) == (
        OPENING, _line_of(project, OPENING, "Thực hiện Chỉ thị số 33/CT-TTg"), B, "Ghi rõ ngày ban hành",
        "Chỉ thị số 33/CT-TTg")
    assert len(rows) == 10 and _hashes(project) == before  # listing only: no prose file written


def test_apply_changes_exactly_the_edited_prose_line_and_a_second_import_is_a_conflict(project, tmp_path):
    docx = _reviewed(project, tmp_path / "gop-y.docx")
    before = _hashes(project)
    old = (project / PROSE).read_text(encoding="utf-8").split("\n")
    body = _line_of(project, PROSE, "nghiêm túc quán triệt")
    result = _review(project, docx, "--apply")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Đã ghi 1 tệp văn bản" in result.stdout
    after = _hashes(project)
    assert {name for name in before if before[name] != after[name]} == {PROSE}
    new = (project / PROSE).read_text(encoding="utf-8").split("\n")
    changed = [n for n, (a, b) in enumerate(zip(old, new), start=1) if a != b]
    assert len(new) == len(old) and changed == [body]
    expected = (old[body - 1].replace("nghiêm túc ", "", 1).replace("nội bộ trong hệ thống", "nội bộ và liên thông trong hệ thống", 1)
                .replace("Báo cáo 8465/BC-BNV", "Báo cáo 8466/BC-BNV", 1))
    assert new[body - 1] == expected and "{{ indicators.internal_tthc_published.value }}" in new[body - 1]
    assert inline_notes(new[body - 1])  # the footnote is still a footnote

    again = _review(project, docx, "--apply")
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert "xung đột" in again.stderr and "không ghi tệp nào" in again.stderr
    assert _hashes(project) == after


def test_a_paragraph_edited_since_the_render_is_a_conflict_and_nothing_is_written(project, tmp_path):
    """The analyst changed the paragraph after the DOCX went out: the reviewer's edits there are conflicts,
    and --apply writes no file, not even the ones without a conflict."""
    docx = _reviewed(project, tmp_path / "gop-y.docx")
    prose = project / PROSE
    prose.write_text(prose.read_text(encoding="utf-8").replace("tạo môi trường đầu tư", "tạo lập môi trường đầu tư"),
                     encoding="utf-8")
    before = _hashes(project)
    result = _review(project, docx, "--apply")
    assert result.returncode == 1
    rows = _listing(tmp_path / "gop-y.gop-y.xlsx")
    assert {r["Nội dung"] for r in rows if r["Xử lý"].startswith("xung đột")} == {"nghiêm túc ", " và liên thông", "8465", "8466"}
    assert _hashes(project) == before


def test_libreoffice_keeps_the_changes_and_the_import_reads_its_file(project, tmp_path):
    """A reviewer using LibreOffice: the DOCX it saves (it renames footnote bookmarks «…_Copy_1») lists the
    same changes and comments."""
    soffice = require("soffice")
    docx = _reviewed(project, tmp_path / "gop-y.docx")
    saved = tmp_path / "libreoffice"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--convert-to", "docx", "--outdir", str(saved), str(docx)], check=True, capture_output=True, timeout=300)
    assert _review(project, docx).returncode == 0
    result = _review(project, saved / "gop-y.docx")
    assert result.returncode == 0, result.stdout + result.stderr
    key = lambda r: tuple(str(r[c] or "") for c in ("Tệp", "Dòng", "Loại", "Người sửa", "Nội dung", "Xử lý"))  # noqa: E731
    assert sorted(map(key, _listing(saved / "gop-y.gop-y.xlsx"))) == sorted(map(key, _listing(tmp_path / "gop-y.gop-y.xlsx")))


def test_hostile_reviewed_files_are_refused_naming_the_file(project, tmp_path):
    not_zip = tmp_path / "bao-cao.docx"
    not_zip.write_text("Đây không phải tệp Word", encoding="utf-8")
    result = _review(project, not_zip)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "bao-cao.docx" in result.stderr and "không phải tệp Word DOCX" in result.stderr

    other = tmp_path / "tinh.docx"
    with zipfile.ZipFile(_docx(project)) as source, zipfile.ZipFile(other, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data.replace(b">2024/toan-quoc<", b">2025/tay-ninh<") if name == "docProps/custom.xml" else data)
    result = _review(project, other)
    assert result.returncode == 1 and "tinh.docx" in result.stderr and "2025/tay-ninh" in result.stderr

    from baocao.render.tools import pandoc_path

    plain = tmp_path / "soan-tay.docx"
    subprocess.run([pandoc_path(), "--from", "markdown", "--output", str(plain)], input="Một đoạn văn soạn tay.\n",
                   text=True, check=True)
    result = _review(project, plain)
    assert result.returncode == 1 and "soan-tay.docx" in result.stderr and "không có dấu neo" in result.stderr

    docx = _reviewed(project, tmp_path / "gop-y.docx")
    manifest = project / "outputs" / YEAR / UNIT / "manifest.json"
    recorded = json.loads(manifest.read_text(encoding="utf-8"))
    lost = _anchor(project, PROSE, _line_of(project, PROSE, "nghiêm túc quán triệt"))
    del recorded["anchors"][lost]
    manifest.write_text(json.dumps(recorded, ensure_ascii=False), encoding="utf-8")
    result = _review(project, docx)
    assert result.returncode == 1 and "gop-y.docx" in result.stderr and lost in result.stderr
    assert "dấu neo" in result.stderr


def test_a_remark_that_looks_like_a_formula_stays_text_in_the_listing(project, tmp_path):
    """A comment typed as «=HYPERLINK(…)» must not become a live formula on the analyst's PC."""
    edits = WordEdits(_docx(project))
    opening = _anchor(project, OPENING, _line_of(project, OPENING, "Thực hiện Chỉ thị số 33/CT-TTg"))
    remark = '=HYPERLINK("http://example.invalid","bấm vào đây")'
    edits.comment(opening, "Chỉ thị số 33/CT-TTg", remark, B, WHEN)
    assert _review(project, edits.save(tmp_path / "cong-thuc.docx")).returncode == 0
    sheet = openpyxl.load_workbook(tmp_path / "cong-thuc.gop-y.xlsx").active
    [cell] = [c for c in sheet[2] if c.value == remark]
    assert cell.data_type == "s" and cell.quotePrefix


def _without_anchors(markdown: str) -> str:
    """The report source with baocao's anchor divs taken away (their content kept)."""
    kept, stack = [], []
    for line in markdown.split("\n"):
        if line.startswith("::: {"):
            stack.append(line.startswith(("::: {.bc-src", "::: {.bc-data")))
            if stack[-1]:
                continue
        elif line == ":::" and stack and stack.pop():
            continue
        kept.append(line)
    return "\n".join(kept)


def test_anchors_leave_the_typst_source_of_the_pdf_as_it_was():
    """The PDF is made from the same source; the Lua filter removes the anchors for Typst, so its input is
    exactly that of the source without them."""
    from baocao.params import load_params
    from baocao.render import nd30
    from baocao.render.tools import LUA_FILTER, pandoc_path
    from baocao.report import build

    markdown = build(load_params(Path(__file__).resolve().parents[1] / "params" / "2024.yml")).markdown
    assert markdown.count("::: {.bc-src") > 40 and "::: {.bc-data" in markdown

    def typst(text: str) -> str:
        return subprocess.run([pandoc_path(), "--from", "markdown", "--to", "typst", "--lua-filter", str(LUA_FILTER),
                               *nd30.pandoc_variables()], input=text, capture_output=True, text=True, check=True).stdout

    assert typst(markdown) == typst(_without_anchors(markdown))


@pytest.mark.parametrize("forged", ["[Đoạn giả]{#bc0123456789ab}", "::: {.bc-src #bc0123456789ab}\nĐoạn giả\n:::"])
def test_an_anchor_typed_in_prose_is_refused_with_its_file_and_line(tmp_path, forged):
    """Anchors are baocao's: one typed by an analyst would claim another paragraph's place."""
    root = copy_project(tmp_path)
    prose = root / OPENING
    text = prose.read_text(encoding="utf-8")
    prose.write_text(text.rstrip("\n") + "\n\n" + forged + "\n", encoding="utf-8")
    result = run_cli("check", "--year", YEAR, "--json", cwd=root)
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert any(p["file"] == OPENING and p["row"] == text.rstrip("\n").count("\n") + 3 for p in problems), problems
