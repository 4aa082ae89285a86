"""Excel as people leave it (issue 17, cause 8): hidden sheets, invisible characters pasted with a name, a line
break typed with Alt+Enter, the litter editors leave in a prose folder. The corpus files are in
`test_readers.py::CASES`; here, what the report makes of them."""
from __future__ import annotations

import datetime as dt

import pytest

from baocao.names import normalize, visible
from baocao.params import load_params
from baocao.readers import read_table
from baocao.register import load_register
from baocao.report import build
from conftest import copy_project, run_cli
from test_readers import BAD

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
REPORT_DATE = dt.date(2025, 2, 27)


@pytest.mark.parametrize("name", ["register-invisible-characters.csv", "register-alt-enter.csv", "register-alt-enter.xlsx"])
def test_names_reach_the_appendix_as_a_person_reads_them(name):
    register, _ = load_register(BAD / name, 2024, report_date=REPORT_DATE)
    names = list(register["name"])
    assert not [n for n in names if any(c in n for c in INVISIBLE) or n != " ".join(n.split())]
    assert {"Bộ Quốc phòng", "Bộ Ngoại giao", "UBND tỉnh An Giang"} <= set(names)
    if name.startswith("register-invisible"):
        assert {"Bộ Công an", "Bộ Tư pháp"} <= set(names)


def test_the_first_visible_sheet_is_read_not_a_hidden_one_before_it():
    sheet, _ = read_table(BAD / "register-hidden-first-sheet.xlsx")
    assert sheet.name == "Bảng tổng hợp" and sheet.rows[3][1] == "Bộ Quốc phòng"


@pytest.mark.parametrize("typed, seen", [
    ("\ufeffTây Ninh", "Tây Ninh"), ("Tây\u00a0Ninh", "Tây Ninh"), ("Tây\u202fNinh", "Tây Ninh"),
    ("Tây\u2007Ninh\u200b", "Tây Ninh"), ("Tây\nNinh", "Tây Ninh"), ("Tây\r\nNinh", "Tây Ninh"),
    ("Tây\u2028Ninh", "Tây Ninh"), ("Bà Rịa\u00ad – Vũng Tàu", "Bà Rịa – Vũng Tàu"), ("\u200eHà Nội\u200f", "Hà Nội"),
    ("Hà\u3000Nội", "Hà Nội"), ("Hà\tNội", "Hà Nội"),
])
def test_invisible_characters_and_line_breaks_are_normalised_away(typed, seen):
    assert visible(typed) == seen and normalize(typed) == seen


LITTER = {
    "._mo-dau.md": b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02",  # macOS resource fork
    "~$mo-dau.md": b"\x0bNguyen Van A\x00\x00\xff\xfe",  # Word's owner file
    ".~lock.mo-dau.md#": "Nguyễn Văn A,may-tinh,01.12.2026 09:00,file:///home\n".encode(),  # LibreOffice
    ".DS_Store": b"\x00\x00\x00\x01Bud1\x00\x00\x10\x00",
    ".mo-dau.md.swp": b"b0VIM 8.2\x00\x00",
    ".ghi-chu.md": "---\nmuc: khong-co\n---\nGhi chú ẩn.\n".encode(),
}


def test_editor_litter_in_a_prose_folder_is_ignored_without_a_word(tmp_path):
    root = copy_project(tmp_path)
    for folder in ("data/2024/prose", "data/2024/tinh/prose"):
        for name, content in LITTER.items():
            (root / folder / name).write_bytes(content)
    result = run_cli("check", "--year", "2024", "--json", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [name for name in LITTER if name in result.stdout]
    result = run_cli("check", "--year", "2024", "--unit", "tay-ninh", "--json", cwd=root)
    assert result.returncode == 0 and not [name for name in LITTER if name in result.stdout]
    report = build(load_params(root / "params" / "2024.yml"))
    assert "Ghi chú ẩn" not in report.markdown
