"""Charts drawn on the server as SVG: stacked horizontal bars, one row per label, one colour per series.

No script and no chart library: the numbers a chart draws are the ones the table beside it lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SERIES_COLOURS = (
    "#1f77b4",
    "#e6a100",
    "#2e7d32",
    "#c2185b",
    "#6d4c41",
    "#00838f",
    "#7b1fa2",
    "#827717",
    "#ef6c00",
    "#546e7a",
)
OTHER_COLOUR = "#9e9e9e"

WIDTH = 520
LABEL_WIDTH = 170
VALUE_WIDTH = 50
ROW_HEIGHT = 22
LEGEND_HEIGHT = 22


@dataclass
class Chart:
    """A titled table of numbers (rows × series) and the SVG that draws it."""

    slug: str
    title: str
    series: list[str]
    rows: list[tuple[str, list[int]]]
    note: str = ""
    unit: str = ""
    colours: list[str] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return [sum(values) for _, values in self.rows]

    @property
    def table(self) -> list[tuple[str, list[int], int]]:
        return [(label, values, sum(values)) for label, values in self.rows]

    @property
    def svg(self) -> SafeString:
        return stacked_bars(self)


def _colour(chart: Chart, index: int) -> str:
    if chart.colours and index < len(chart.colours):
        return chart.colours[index]
    return SERIES_COLOURS[index % len(SERIES_COLOURS)] if index < len(SERIES_COLOURS) else OTHER_COLOUR


def stacked_bars(chart: Chart) -> SafeString:
    largest = max(chart.totals, default=0) or 1
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    show_legend = len(chart.series) > 1
    # The legend wraps onto as many lines as its names need.
    legend: list[tuple[float, float, int]] = []
    x, line = 8.0, 0
    for index, name in enumerate(chart.series):
        needed = 24 + 6.6 * len(name)
        if x + needed > WIDTH and x > 8:
            x, line = 8.0, line + 1
        legend.append((x, line * LEGEND_HEIGHT, index))
        x += needed
    top = (line + 1) * LEGEND_HEIGHT if show_legend else 0
    height = top + max(len(chart.rows), 1) * ROW_HEIGHT + 4
    title_id = f"chart-{chart.slug}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(chart.title)}: the numbers are in the table beside it</title>',
    ]
    if show_legend:
        for x, y, index in legend:
            parts.append(
                f'<rect x="{x:.0f}" y="{y + 5}" width="12" height="12" fill="{_colour(chart, index)}"/>'
            )
            parts.append(
                f'<text x="{x + 16:.0f}" y="{y + 15}" class="chart-legend">{escape(chart.series[index])}</text>'
            )
    if not chart.rows:
        parts.append(f'<text x="{LABEL_WIDTH}" y="{top + 15}" class="chart-empty">nothing to show</text>')
    for row, (label, values) in enumerate(chart.rows):
        y = top + row * ROW_HEIGHT
        shown = label if len(label) <= 26 else label[:25] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" class="chart-label">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>"
        )
        x = float(LABEL_WIDTH)
        for index, value in enumerate(values):
            if not value:
                continue
            width = bar_space * value / largest
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{max(width, 1):.1f}" height="{ROW_HEIGHT - 6}" '
                f'fill="{_colour(chart, index)}"><title>{escape(label)}, {escape(chart.series[index])}: '
                f"{value}</title></rect>"
            )
            x += width
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 15}" class="chart-value">{sum(values)}{chart.unit}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
