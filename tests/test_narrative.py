"""Prose placeholders: known facts are filled, unknown names and hostile templates are refused with context."""
from __future__ import annotations

from pathlib import Path

from baocao.narrative import read_prose, render_prose

CONTEXT = {"indicators": {"citizen_visits": {"value": "337.635", "change": "giảm 7% so với năm 2023"}}}


def prose(tmp_path: Path, body: str):
    path = tmp_path / "khieu-nai-to-cao.md"
    path.write_text(f"---\nmuc: khieu-nai-to-cao\n---\n\n{body}", encoding="utf-8")
    return read_prose(path)


def test_placeholders_are_filled_with_formatted_facts(tmp_path):
    text, problems = render_prose(prose(tmp_path, "Có **{{ indicators.citizen_visits.value }}** lượt ({{ indicators.citizen_visits.change }})."), CONTEXT)
    assert problems == []
    assert text.strip() == "Có **337.635** lượt (giảm 7% so với năm 2023)."


def test_unknown_placeholder_names_file_line_and_closest_fact(tmp_path):
    item = prose(tmp_path, "Dòng một.\n\nCó {{ indicators.citizen_visit.value }} lượt.")
    text, [problem] = render_prose(item, CONTEXT)
    assert text == ""
    assert problem.file.endswith("khieu-nai-to-cao.md") and problem.row == 7
    assert "indicators.citizen_visit.value" in problem.message
    assert "Có phải: indicators.citizen_visits.value" in problem.message


def test_template_tricks_are_refused_before_rendering(tmp_path):
    for hostile in ("{{ ''.__class__.__mro__ }}", "{{ indicators.__class__ }}", "{{ lipsum.__globals__ }}"):
        text, problems = render_prose(prose(tmp_path, hostile), CONTEXT)
        assert text == "" and problems, hostile


def test_syntax_error_points_at_the_line(tmp_path):
    text, [problem] = render_prose(prose(tmp_path, "Một.\n\n{{ indicators.citizen_visits.value "), CONTEXT)
    assert "lỗi cú pháp" in problem.message and problem.row is not None
