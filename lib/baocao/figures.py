"""Charts of the report, drawn from the same facts as the text so a picture can never disagree with it.

Each chart is a PNG at 200 dpi (crisp in DOCX and PDF at 90% of the text width), set in Liberation Serif,
the face of the text, with Vietnamese labels and decimal commas. The bytes depend only on the data (no
timestamp, no software tag), so an unchanged report re-renders to identical files. Figures are numbered
"Biểu đồ 1., 2., …" in the order they appear, which is the order of the outline items that hold them
(`PLACEMENT`); a chart whose item is not in the year's outline, or whose data is absent, is left out.
"""
from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Callable

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure as Canvas  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from . import atomic, vnformat  # noqa: E402
from .indicators import INDEX  # noqa: E402
from .markdown import escape  # noqa: E402
from .params import OutlineItem, outline_ids  # noqa: E402

DPI = 200
WIDTH_CM = 16  # the text block of an A4 page with NĐ 30 margins
FONT = "Liberation Serif"
FONT_DIR = files("baocao").joinpath("fonts")
# Figure id → outline item id it closes.
PLACEMENT = {"submissions": "quan-triet-chi-thi-33", "national_trend": "chi-so-hai-long"}
DOCUMENT_LABELS = {"plan": "Kế hoạch", "annual_report": "Báo cáo\nnăm", "scoring_report": "Báo cáo\nchấm điểm"}
GROUP_LABELS = {"ministries": "Bộ, ngành", "provinces": "Địa phương"}
STATUSES = (("on_time", "Gửi đúng hạn", "#2f6f9f"), ("late", "Gửi muộn", "#e0a030"), ("missing", "Chưa gửi", "#c8c8c8"))


def _register_fonts() -> None:
    for font in FONT_DIR.iterdir():
        if font.name.endswith(".ttf"):
            font_manager.fontManager.addfont(str(font))


_register_fonts()
STYLE = {"font.family": FONT, "font.size": 10, "axes.titlesize": 11, "legend.fontsize": 9,
         "axes.spines.top": False, "axes.spines.right": False, "axes.formatter.use_locale": False}


def _canvas(height_cm: float, **subplots) -> tuple[Canvas, object]:
    with matplotlib.rc_context(STYLE):
        canvas = Canvas(figsize=(WIDTH_CM / 2.54, height_cm / 2.54), layout="constrained")
        return canvas, canvas.subplots(**subplots)


def _decimal_comma(suffix: str = "") -> FuncFormatter:
    return FuncFormatter(lambda value, _: vnformat.trimmed(value, 2) + suffix)


def png(canvas: Canvas) -> bytes:
    """The chart as PNG bytes, identical for identical data."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        canvas.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def submission_chart(submissions: dict) -> Canvas:
    """Stacked bars per group and document: on time / late / not sent, as a share of the group's units."""
    canvas, axes = _canvas(9, ncols=len(submissions), sharey=True)
    with matplotlib.rc_context(STYLE):
        for ax, (group, g) in zip(axes, submissions.items()):
            docs = [d for d in DOCUMENT_LABELS if d in g]
            bottom = [0.0] * len(docs)
            for status, label, colour in STATUSES:
                counts = [g[d][status] for d in docs]
                shares = [100 * c / g["total"] for c in counts]
                bars = ax.bar(range(len(docs)), shares, bottom=bottom, color=colour, label=label, width=0.6)
                ax.bar_label(bars, labels=[vnformat.count(c) if c else "" for c in counts], label_type="center")
                bottom = [b + s for b, s in zip(bottom, shares)]
            ax.set_xticks(range(len(docs)), [DOCUMENT_LABELS[d] + ("" if g[d]["due_before"] else "\n(không có hạn)")
                                             for d in docs])
            ax.set_title(f"{GROUP_LABELS[group]} ({vnformat.count(g['total'])} đơn vị)")
            ax.set_ylim(0, 100)
            ax.yaxis.set_major_formatter(_decimal_comma("%"))
        axes[0].set_ylabel("Tỷ lệ đơn vị")
        canvas.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=len(STATUSES),
                      frameon=False)
    return canvas


def ranking_chart(frame: pd.DataFrame, value_label: str, decimals: int = 2) -> Canvas:
    """Units ranked on one indicator (columns `unit`, `value`), highest at the top, values printed."""
    ranked = frame.sort_values(["value", "unit"], ascending=[True, False])
    canvas, ax = _canvas(max(6.0, 0.45 * len(ranked) + 2))
    with matplotlib.rc_context(STYLE):
        bars = ax.barh(ranked["unit"], ranked["value"], color=STATUSES[0][2])
        ax.bar_label(bars, labels=[vnformat.number(v, decimals) for v in ranked["value"]], padding=3)
        ax.set_xlabel(value_label)
        ax.xaxis.set_major_formatter(_decimal_comma())
        ax.margins(x=0.12)
    return canvas


def trend_chart(series: dict[str, dict[int, float]], value_label: str) -> Canvas:
    """One line per indicator across years, each point labelled with its value."""
    canvas, ax = _canvas(10)
    with matplotlib.rc_context(STYLE):
        for name, points in series.items():
            years = sorted(points)
            ax.plot(years, [points[y] for y in years], marker="o", label=textwrap.fill(name, 60))
            for year in years:  # labels outside the lines, left of the first point and right of the last
                first = year == years[0]
                ax.annotate(vnformat.number(points[year], 2), (year, points[year]), textcoords="offset points",
                            xytext=(-7 if first else 7, 0), ha="right" if first else "left", va="center")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: str(int(value))))
        ax.yaxis.set_major_formatter(_decimal_comma())
        ax.set_ylabel(value_label)
        ax.margins(x=0.15, y=0.2)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    return canvas


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
        target = outdir / self.file
        with atomic.atomic_path(target) as tmp:
            tmp.write_bytes(png(self.draw()))
        return target


def _submissions(facts: dict):
    if not facts["submissions"]:  # a unit report without a register of its own
        return None
    data = {group: {doc: {s: g[doc][s] for s, _, _ in STATUSES} for doc in DOCUMENT_LABELS} | {"total": g["total"]}
            for group, g in facts["submissions"].items()}
    title = f"Tình hình gửi kế hoạch, báo cáo năm {facts['year']} của các bộ, ngành và địa phương"
    return title, data, lambda: submission_chart(facts["submissions"])


def _national_trend(facts: dict):
    shown = {key: f for key, f in facts["indicators"].items() if f["kind"] == INDEX and f["previous"] is not None}
    if not shown:
        return None
    years = sorted({y for f in shown.values() for y in (f["year"] - 1, f["year"])})
    series = {f["name"]: {f["year"] - 1: f["previous"], f["year"]: f["value"]} for f in shown.values()}
    units = {f["unit"] for f in shown.values()}
    title = f"Diễn biến các chỉ số năm {years[0]}–{years[-1]}"
    data = {key: {str(year): value for year, value in series[f["name"]].items()} for key, f in shown.items()}
    return title, data, lambda: trend_chart(
        series, "Giá trị (%)" if units == {"%"} else "Giá trị")


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
