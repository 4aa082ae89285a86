"""Charts: drawn from the facts, numbered in order of appearance, placed in their item, reproducible."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from matplotlib import font_manager
from PIL import Image

from baocao import charts, figures
from baocao.document import build_markdown
from baocao.report import build_for
from conftest import ROOT


@pytest.fixture(scope="module")
def report():
    return build_for(2024, root=ROOT)


def test_2024_report_has_submission_chart_then_trend_chart_in_their_items(report):
    assert [(f["number"], f["id"], f["file"]) for f in report.facts["figures"]] == [
        (1, "submissions", "figures/bieu-do-1.png"), (2, "national_trend", "figures/bieu-do-2.png")]
    lines = report.markdown.splitlines()
    image = next(i for i, line in enumerate(lines) if line.startswith("![Biểu đồ 2. "))
    assert lines[image].endswith("](figures/bieu-do-2.png){width=90%}")
    # alone in its paragraph, after the SIPAS prose and before the next heading
    assert lines[image - 1] == "" and lines[image + 1] == ""
    last_paragraph = (ROOT / "data/2024/prose/chi-so-hai-long.md").read_text("utf-8").strip().splitlines()[-1]
    assert lines[image - 2] == last_paragraph
    assert lines[image + 2].startswith("## 5. ")


def test_trend_chart_shows_last_and_this_years_index_values(report):
    trend = report.facts["figures"][1]
    assert trend["caption"] == "Biểu đồ 2. Diễn biến các chỉ số năm 2022–2023"
    assert trend["data"]["sipas_avg"] == {"2022": 80.08, "2023": 82.66}
    assert set(trend["data"]) == {"par_index_ministries_avg", "par_index_provinces_avg", "sipas_avg"}
    json.dumps(report.facts, ensure_ascii=False)  # facts.json must be able to hold it


def test_numbers_follow_the_outline_and_a_missing_item_drops_its_chart(report):
    outline = list(report.params.outline)
    moved = [outline[0], outline[2], outline[1], *outline[3:]]  # results before leadership
    assert [f.id for f in figures.plan(moved, report.facts)] == ["national_trend", "submissions"]
    without = [item for item in outline if item.id != "lanh-dao-chi-dao"]
    [only] = figures.plan(without, report.facts)
    assert (only.id, only.number, only.file) == ("national_trend", 1, "figures/bieu-do-1.png")
    markdown = build_markdown(report.params.model_copy(update={"outline": without}), {}, {}, report.register,
                              False, figures=[only])
    assert "![Biểu đồ 1. Diễn biến" in markdown and "bieu-do-2" not in markdown


def test_png_is_200_dpi_and_identical_when_drawn_twice(report, tmp_path):
    figure = report.figures[0]
    written = figure.write(tmp_path)
    assert written == tmp_path / "figures" / "bieu-do-1.png"
    assert charts.png(figure.draw()) == written.read_bytes()
    with Image.open(written) as image:
        assert [round(d) for d in image.info["dpi"]] == [200, 200]
        assert abs(image.width - charts.WIDTH_CM / 2.54 * 200) <= 1
    assert [p.name for p in tmp_path.joinpath("figures").iterdir()] == ["bieu-do-1.png"]  # no temp file left


def test_charts_use_the_text_face_shipped_with_the_package():
    found = font_manager.findfont(font_manager.FontProperties(family=charts.FONT), fallback_to_default=False)
    assert Path(found).parent == Path(str(charts.FONT_DIR))


def _texts(canvas) -> list[str]:
    return [t.get_text() for ax in canvas.axes for t in ax.texts + ax.get_yticklabels() + ax.get_xticklabels()]


def test_submission_chart_labels_counts_and_percent_axis(report):
    canvas = charts.submission_chart(report.facts["submissions"])
    canvas.canvas.draw()
    texts = _texts(canvas)
    assert "41" not in texts and "22" in texts and "19" in texts  # provinces' annual report: 22 on time, 19 late
    # counts print as numbers, never "01"; the ministries' one late annual report sits beside its thin segment
    assert not [t for t in texts if t.startswith("0") and t[1:].isdigit()], texts
    late = next(t for t in canvas.axes[0].texts if t.get_text() == "1" and t.get_position()[0] > 1)
    assert late.get_horizontalalignment() == "left"
    assert "100%" in texts
    assert [ax.get_title() for ax in canvas.axes] == ["Bộ, ngành (30 đơn vị)", "Địa phương (63 đơn vị)"]
    image = Image.open(io.BytesIO(charts.png(canvas)))
    assert image.format == "PNG"


def test_write_outputs_puts_figures_beside_the_source_and_lists_them_in_facts(report, tmp_path, monkeypatch):
    import sys
    import types

    from baocao.report import write_outputs

    rendered = types.ModuleType("baocao.render")
    rendered.render = lambda source, outdir, formats: {}  # DOCX/PDF are another module's job
    monkeypatch.setitem(sys.modules, "baocao.render", rendered)
    paths = write_outputs(report, tmp_path)
    facts = json.loads(paths["facts"].read_text(encoding="utf-8"))
    for figure in facts["figures"]:
        assert (tmp_path / figure["file"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({figure['file']})" in paths["source"].read_text(encoding="utf-8")
