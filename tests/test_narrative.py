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


def test_names_in_conditions_are_checked_like_placeholders(tmp_path):
    item = prose(tmp_path, "{% if indicators.citizen_visit.value %}\nCó.\n{% endif %}")
    text, [problem] = render_prose(item, CONTEXT)
    assert text == "" and problem.row == 5 and problem.value == "indicators.citizen_visit.value"
    assert "Có phải: indicators.citizen_visits.value" in problem.message


def test_a_block_left_open_points_at_the_line_that_opened_it(tmp_path):
    item = prose(tmp_path, "Một.\n\n{% if indicators.citizen_visits.value %}\nHai.\n\nBa.\n")
    _, [problem] = render_prose(item, CONTEXT)
    assert problem.row == 7
    assert problem.message == "lỗi cú pháp: khối «{% if … %}» chưa đóng: thêm «{% endif %}» ở cuối đoạn thuộc khối"


def test_loop_variables_are_caught_at_render_not_crashing(tmp_path):
    """A loop variable's attributes are known only while rendering: a trick is refused, a wrong name reported."""
    trick = prose(tmp_path, "{% for x in indicators %}{{ x.__class__ }}{% endfor %}")
    text, [problem] = render_prose(trick, CONTEXT)
    assert text == "" and problem.message.startswith("mẫu văn bản dùng thao tác không được phép")
    wrong = prose(tmp_path, "{% for x in indicators.citizen_visits.value %}{{ x.y }}{% endfor %}")
    text, [problem] = render_prose(wrong, CONTEXT)
    assert text == "" and problem.message == "không điền được chỗ giữ chỗ: 'str object' has no attribute 'y'"
