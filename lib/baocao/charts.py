"""Drawing the report's charts with matplotlib (see `figures` for which charts a report has and their data).

Kept apart from `figures` so that planning a report's figures, part of every data check (`baocao check`,
the batch's check of each unit), does not import matplotlib, which costs about 0.8 s; it is imported when
the first chart is drawn.

Each chart is a PNG at 200 dpi, drawn at the size it prints (90% of the 15.5 cm text width, in DOCX and PDF
alike), so its font sizes are print sizes: nothing under 9 pt. It is set in Liberation Serif, the face of the
text, with Vietnamese labels and decimal commas. The bytes depend only on the data (no timestamp, no software
tag), so an unchanged report re-renders to identical files.
"""
from __future__ import annotations

import io
import textwrap
from importlib.resources import files

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure as Canvas  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from . import vnformat  # noqa: E402
from .vocabulary import DOCUMENT_CHART_LABELS, GROUP_CHART_LABELS, STATUSES  # noqa: E402

DPI = 200
WIDTH_CM = 13.95  # printed width: 90% (figures.Figure.markdown) of the 15.5 cm text block of an NĐ 30 page
FONT = "Liberation Serif"
FONT_DIR = files("baocao").joinpath("fonts")
COLOURS = {"on_time": "#2f6f9f", "late": "#e0a030", "missing": "#c8c8c8"}  # one per status (`STATUSES`)


def _register_fonts() -> None:
    for font in FONT_DIR.iterdir():
        if font.name.endswith(".ttf"):
            font_manager.fontManager.addfont(str(font))


_register_fonts()
STYLE = {"font.family": FONT, "font.size": 10, "axes.titlesize": 11, "legend.fontsize": 10,
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


BAR_WIDTH = 0.6
MIN_INSIDE_SHARE = 7  # a segment lower than this (per cent of the axis) is too thin to hold its label


def _segment_label(ax, x: int, base: float, share: float, count: int) -> None:
    """The segment's count (a plain number, "1" not "01") in its middle, or beside the bar when the
    segment is too thin to hold the figure."""
    if not count:
        return
    middle = base + share / 2
    if share >= MIN_INSIDE_SHARE:
        ax.annotate(vnformat.number(count), (x, middle), ha="center", va="center")
    else:
        ax.annotate(vnformat.number(count), (x + BAR_WIDTH / 2, middle), xytext=(3, 0),
                    textcoords="offset points", ha="left", va="center")


def submission_chart(submissions: dict) -> Canvas:
    """Stacked bars per group and document: on time / late / not sent, as a share of the group's units."""
    canvas, axes = _canvas(9, ncols=len(submissions), sharey=True)
    with matplotlib.rc_context(STYLE):
        for ax, (group, g) in zip(axes, submissions.items()):
            docs = [d for d in DOCUMENT_CHART_LABELS if d in g]
            bottom = [0.0] * len(docs)
            for status, label in STATUSES.items():
                counts = [g[d][status] for d in docs]
                shares = [100 * c / g["total"] for c in counts]
                ax.bar(range(len(docs)), shares, bottom=bottom, color=COLOURS[status], label=label, width=BAR_WIDTH)
                for x, (count, share, base) in enumerate(zip(counts, shares, bottom)):
                    _segment_label(ax, x, base, share, count)
                bottom = [b + s for b, s in zip(bottom, shares)]
            ax.set_xticks(range(len(docs)), [DOCUMENT_CHART_LABELS[d] + ("" if g[d]["due_before"] else "\n(không có hạn)")
                                             for d in docs])
            ax.set_title(f"{GROUP_CHART_LABELS[group]} ({vnformat.count(g['total'])} đơn vị)")
            ax.set_ylim(0, 100)
            ax.set_xlim(-0.5, len(docs) - 0.4)  # room right of the last bar for a label beside it
            ax.yaxis.set_major_formatter(_decimal_comma("%"))
        axes[0].set_ylabel("Tỷ lệ đơn vị")
        canvas.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=len(STATUSES),
                      frameon=False)
    return canvas


def trend_chart(series: dict[str, dict[int, float]], value_label: str) -> Canvas:
    """One line per indicator across years, each point labelled with its value."""
    canvas, ax = _canvas(10)
    with matplotlib.rc_context(STYLE):
        for name, points in series.items():
            years = sorted(points)
            ax.plot(years, [points[y] for y in years], marker="o", label=textwrap.fill(name, 70))
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
