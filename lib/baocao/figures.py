"""Which charts a report has, their data and numbering (`charts` draws them).

A chart is drawn from the same facts as the text so a picture can never disagree with it. Figures are
numbered "Biểu đồ 1., 2., …" in the order they appear, which is the order of the outline items that hold
them (`PLACEMENT`); a chart whose item is not in the year's outline, or whose data is absent, is left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import atomic
from .indicators import INDEX
from .markdown import escape
from .params import OutlineItem, outline_ids
from .vocabulary import DOCUMENTS, STATUSES

if TYPE_CHECKING:
    from matplotlib.figure import Figure as Canvas

# Figure id → outline item id it closes.
PLACEMENT = {"submissions": "quan-triet-chi-thi-33", "national_trend": "chi-so-hai-long"}


@dataclass(frozen=True)
class Figure:
    """One numbered chart: where it goes, what it shows, and how to draw it."""

    id: str
    item: str
    number: int
    title: str
    data: dict
    draw: Callable[[], Canvas] = field(repr=False, compare=False)

    @property
    def caption(self) -> str:
        return f"Biểu đồ {self.number}. {self.title}"

    @property
    def file(self) -> str:
        return f"figures/bieu-do-{self.number}.png"

    def markdown(self) -> str:
        return f"![{escape(self.caption)}]({self.file}){{width=90%}}"

    def facts(self) -> dict:
        return {"id": self.id, "number": self.number, "caption": self.caption, "file": self.file,
                "item": self.item, "data": self.data}

    def write(self, outdir: Path) -> Path:
        """The PNG under `outdir`, written atomically."""
        from . import charts

        target = outdir / self.file
        with atomic.atomic_path(target) as tmp:
            tmp.write_bytes(charts.png(self.draw()))
        return target


def _submissions(facts: dict):
    if not facts["submissions"]:  # a unit report without a register of its own
        return None
    data = {group: {doc: {s: g[doc][s] for s in STATUSES} for doc in DOCUMENTS} | {"total": g["total"]}
            for group, g in facts["submissions"].items()}
    title = f"Tình hình gửi kế hoạch, báo cáo năm {facts['year']} của các bộ, ngành và địa phương"

    def draw() -> Canvas:
        from .charts import submission_chart

        return submission_chart(facts["submissions"])

    return title, data, draw


def _national_trend(facts: dict):
    shown = {key: f for key, f in facts["indicators"].items() if f["kind"] == INDEX and f["previous"] is not None}
    if not shown:
        return None
    years = sorted({y for f in shown.values() for y in (f["year"] - 1, f["year"])})
    series = {f["name"]: {f["year"] - 1: f["previous"], f["year"]: f["value"]} for f in shown.values()}
    units = {f["unit"] for f in shown.values()}
    title = f"Diễn biến các chỉ số năm {years[0]}–{years[-1]}"
    data = {key: {str(year): value for year, value in series[f["name"]].items()} for key, f in shown.items()}

    def draw() -> Canvas:
        from .charts import trend_chart

        return trend_chart(series, "Giá trị (%)" if units == {"%"} else "Giá trị")

    return title, data, draw


BUILDERS = {"submissions": _submissions, "national_trend": _national_trend}


def plan(outline: list[OutlineItem], facts: dict) -> list[Figure]:
    """The report's figures in order of appearance, numbered from 1; skipped when their item is absent."""
    order = outline_ids(outline)
    placed = sorted((fid for fid, item in PLACEMENT.items() if item in order), key=lambda f: order.index(PLACEMENT[f]))
    figures = []
    for fid in placed:
        built = BUILDERS[fid](facts)
        if built is not None:
            title, data, draw = built
            figures.append(Figure(id=fid, item=PLACEMENT[fid], number=len(figures) + 1, title=title, data=data,
                                  draw=draw))
    return figures
