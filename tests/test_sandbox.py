"""Arithmetic in prose placeholders, formatted the Vietnamese way, and the bounds of the sandbox: every
hostile template is refused with a Vietnamese message naming its file and line (listed in tests/README.md)."""
from __future__ import annotations

from pathlib import Path

import pytest

from baocao import sandbox
from baocao.narrative import read_prose, render_prose
from test_readers import facts_context

# The prose body starts on line 5 of the file (front matter, then an empty line).
FIRST = 5


def fill(tmp_path: Path, body: str):
    path = tmp_path / "mo-dau.md"
    path.write_text(f"---\nmuc: mo-dau\n---\n\n{body}", encoding="utf-8")
    return render_prose(read_prose(path), facts_context())


@pytest.mark.parametrize("placeholder, printed", [
    ("{{ submissions.provinces.total - submissions.provinces.annual_report.received }}", "22"),  # 63 − 41
    ("{{ submissions.provinces.annual_report.received / submissions.provinces.total * 100 }}%", "65,08%"),  # a share
    ("{{ indicators.online_dossiers_localities.denominator - indicators.online_dossiers_localities.numerator }}",
     "1.168.099"),  # 2.301.204 − 1.133.105, with the thousands dots of every other number
    ("{{ (indicators.citizen_visits.value + 365) / 2 }}", "169.000"),
    ("{{ report.year - 1 }}", "2023"),  # a year stays a year
    ("{{ -submissions.ministries.total }}", "-30"),
])
def test_arithmetic_on_facts_prints_vietnamese_numbers(tmp_path, placeholder, printed):
    text, problems = fill(tmp_path, f"Còn {placeholder} đơn vị.")
    assert problems == [] and text.strip() == f"Còn {printed} đơn vị."


HOSTILE = [  # (body, line of the body, the start of the message)
    ("Một.\n{% set x = 9**(9**9) %}", 2, "thẻ «{% set %}» không được dùng trong văn bản: chỉ được dùng"),
    ("{{ 9 ** 99 }}", 1, "lũy thừa «**» không được dùng"),
    ("{{ 'a' * 100000000 }}", 1, "chuỗi ký tự trong phép tính không được dùng"),
    ("{{ 1000000000000000 }}", 1, "số quá lớn (tối đa 1.000.000.000.000) không được dùng"),
    ("\n{% include 'ket-luan.md' %}", 2, "thẻ «{% include %}» không được dùng"),
    ("{{ report.year | int }}", 1, "bộ lọc «|» không được dùng"),
    ("{{ range(10) }}", 1, "lời gọi hàm «(…)» không được dùng"),
    ("{{ indicators['citizen_visits'] }}", 1, "chỉ số «[…]» không được dùng"),
    ("{% for c in 'x' * 9 %}{% endfor %}", 1, "vòng lặp «{% for %}» không chạy trên một số liệu"),
    ("{% for a in indicators.citizen_visits.name %}{% for b in indicators.citizen_visits.name %}"
     "{% for c in indicators.citizen_visits.name %}{% endfor %}{% endfor %}{% endfor %}", 1, "vòng lặp quá lớn"),
    ("{% for g in submissions %}\n{% for d in g %}{% for u in d %}{% endfor %}{% endfor %}{% endfor %}", 2,
     "vòng lặp quá lớn"),
    ("Có\n{{ indicators.citizen_visits.name * 1000000000 }}", 2,
     "phép tính chỉ dùng được với số liệu là số"),  # string repetition through a fact, stopped while rendering
    ("\n\n{{ submissions.ministries.total / (submissions.ministries.total - submissions.ministries.total) }}", 3,
     "phép chia cho 0"),
    ("{{ indicators.online_dossiers_localities.denominator * 999999999999 }}", 1, "kết quả phép tính quá lớn"),
]


@pytest.mark.parametrize("body, line, message", HOSTILE, ids=[case[2][:30] for case in HOSTILE])
def test_hostile_templates_are_refused_with_file_and_line(tmp_path, body, line, message):
    text, problems = fill(tmp_path, body)
    assert text == "" and problems, body
    assert problems[0].file.endswith("mo-dau.md") and problems[0].row == FIRST + line - 1
    assert message in problems[0].message


def test_a_template_that_runs_too_long_is_stopped_with_its_file(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.0)  # any loop runs "too long"
    text, [problem] = fill(tmp_path, "Một.\n{% for g in submissions %}{% endfor %}")
    assert text == "" and problem.message.startswith("mẫu văn bản chạy quá 0 giây") and problem.file.endswith("mo-dau.md")
    assert FIRST - 1 <= problem.row <= FIRST + 1  # where it was stopped (with no time at all: as it starts)
