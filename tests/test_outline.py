"""The outline is data: the report prints exactly the outline its params give, in that order."""
from __future__ import annotations

import re

import pytest
import yaml

from baocao.document import EMPTY_ITEM
from baocao.errors import BaocaoError
from baocao.params import load_params
from baocao.report import build_for
from conftest import ROOT, copy_project

OUTLINE = ROOT / "params" / "outlines" / "de-cuong-2024.yml"


def headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if re.match(r"#+ ", line)]


def top_headings(markdown: str) -> list[str]:
    return [line for line in headings(markdown) if line.startswith("# ")]


def test_province_report_follows_the_de_cuong():
    markdown = build_for(2024, "tay-ninh", root=ROOT).markdown
    assert top_headings(markdown) == ["# I. KHÁI QUÁT CHUNG", "# II. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", "# III. KẾT QUẢ THỰC HIỆN",
                                      "# IV. ĐÁNH GIÁ CHUNG", "# V. NHIỆM VỤ, GIẢI PHÁP", "# VI. KIẾN NGHỊ, ĐỀ XUẤT"]
    numbered = [h.split(" ", 2)[1] for h in headings(markdown)]
    assert numbered == ["I.", "II.", "1.", "2.", "III.", "1.", "2.", "3.", "4.", "a)", "b)", "c)", "5.", "6.", "7.",
                        "IV.", "1.", "2.", "V.", "VI."]
    assert "## 3. Việc thực hiện phong trào thi đua “Dân vận khéo”" in markdown


def test_de_cuong_items_trace_back_to_all_eight_tasks_of_chi_thi_33():
    def tasks(items):
        for item in items:
            yield from item.get("directive_tasks", [])
            yield from tasks(item.get("children", []))

    assert set(tasks(yaml.safe_load(OUTLINE.read_text(encoding="utf-8")))) == set(range(1, 9))


def test_national_report_keeps_its_own_variant():
    assert top_headings(build_for(2024, root=ROOT).markdown) == [
        "# I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", "# II. KẾT QUẢ THỰC HIỆN", "# III. ĐÁNH GIÁ CHUNG",
        "# IV. NHIỆM VỤ TRỌNG TÂM CÔNG TÁC NĂM 2025", "# V. KIẾN NGHỊ, ĐỀ XUẤT"]


def test_removing_renaming_and_reordering_items_is_a_params_change(tmp_path):
    root = copy_project(tmp_path)
    outline = root / "params" / "outlines" / "de-cuong-2024.yml"
    items = yaml.safe_load(outline.read_text(encoding="utf-8"))
    items = [item for item in items if item["id"] != "khai-quat-chung"]  # removed
    items[-1]["title"] = "Đề xuất với Bộ Nội vụ"  # renamed
    items[-2], items[-1] = items[-1], items[-2]  # reordered
    outline.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "data" / "2024" / "tinh" / "prose" / "khai-quat-chung.md").unlink()  # its prose goes with it
    markdown = build_for(2024, "tay-ninh", root=root).markdown
    assert top_headings(markdown) == ["# I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO", "# II. KẾT QUẢ THỰC HIỆN", "# III. ĐÁNH GIÁ CHUNG",
                                      "# IV. ĐỀ XUẤT VỚI BỘ NỘI VỤ", "# V. NHIỆM VỤ, GIẢI PHÁP"]
    assert "KHÁI QUÁT CHUNG" not in markdown


def test_an_item_without_prose_or_data_is_flagged_in_the_text_and_as_a_warning(tmp_path):
    root = copy_project(tmp_path)
    (root / "data" / "2024" / "tinh" / "prose" / "dan-van-kheo.md").unlink()
    report = build_for(2024, "tay-ninh", root=root)
    after = report.markdown.split("## 3. Việc thực hiện phong trào thi đua “Dân vận khéo”", 1)[1]
    assert after.split("\n\n")[1] == EMPTY_ITEM
    [warning] = report.warnings
    assert warning.file.endswith("de-cuong-2024.yml") and warning.value == "dan-van-kheo"
    lines = (root / "params" / "outlines" / "de-cuong-2024.yml").read_text(encoding="utf-8").splitlines()
    assert lines[warning.row - 1].strip() == "- id: dan-van-kheo"


def test_a_mistake_in_the_shared_outline_names_the_outline_file_and_line(tmp_path):
    root = copy_project(tmp_path)
    outline = root / "params" / "outlines" / "de-cuong-2024.yml"
    text = outline.read_text(encoding="utf-8").replace("directive_tasks: [3]", "directive_tasks: [9]")
    outline.write_text(text.replace("tables: [targets, year_on_year, ranking]", "tables: [bieu-do]"), encoding="utf-8")
    with pytest.raises(BaocaoError) as caught:
        load_params(root / "params" / "2024" / "tay-ninh.yml")
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {"outline.2.children.2.directive_tasks.0", "outline.3.tables.0"}
    lines = text.splitlines()
    for problem in problems.values():
        assert problem.file == str(outline)
    assert "[9]" in lines[problems["outline.2.children.2.directive_tasks.0"].row - 1]
    assert "targets" in problems["outline.3.tables.0"].message
