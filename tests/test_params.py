"""A params file with a mistake stops with the file, the line and the key, in Vietnamese."""
from __future__ import annotations

import pytest

from baocao.errors import BaocaoError
from baocao.params import load_params
from conftest import ROOT

GOOD = (ROOT / "params" / "2024.yml").read_text(encoding="utf-8")


def problems_for(tmp_path, text):
    path = tmp_path / "params" / "2024.yml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BaocaoError) as caught:
        load_params(path)
    return caught.value.problems


def test_shipped_params_load():
    params = load_params(ROOT / "params" / "2024.yml")
    assert params.document.number_symbol == "1385/BC-BNV"
    assert params.deadlines.annual_report.isoformat() == "2024-12-15"


def test_unknown_key_names_file_line_and_key(tmp_path):
    text = GOOD.replace("signer:\n", "signer:\n  chuc_vu: x\n")
    [problem] = problems_for(tmp_path, text)
    assert problem.column == "signer.chuc_vu"
    assert "gõ nhầm" in problem.message and problem.file.endswith("2024.yml")
    assert text.splitlines()[problem.row - 1].strip() == "chuc_vu: x"


def test_every_mistake_is_reported_at_once(tmp_path):
    text = GOOD.replace("date: 2025-02-27", "date: 2025-02-30").replace("  name: Trương Hải Long\n", "")
    problems = problems_for(tmp_path, text)
    assert {p.column for p in problems} == {"document.date", "signer.name"}
    messages = {p.column: p.message for p in problems}
    assert messages["signer.name"] == "thiếu trường bắt buộc: thêm dòng «name: …»"
    assert "YYYY-MM-DD" in messages["document.date"]


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(BaocaoError, match="không tìm thấy tệp tham số"):
        load_params(tmp_path / "params" / "2031.yml")
