"""A small horizontal bar chart as inline SVG markup, drawn on the server (no script, no style attribute).

One bar per entry, top to bottom in the given order; every text is escaped. The SVG is an
image with a title and a description for screen readers; the page shows the same numbers
in a table beside it.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
ROW_HEIGHT = 48
BAR_HEIGHT = 18
PADDING = 8
VALUE_SPACE = 56  # room right of the longest bar for its number
LABEL_MAX_CHARS = 60


@dataclass(frozen=True)
class Bar:
    label: str       # shown above the bar (shortened when long)
    value: int
    tooltip: str     # the bar's own <title>: the full label with its value


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def bar_chart_svg(bars: list[Bar], *, chart_id: str, title: str, description: str) -> Markup:
    """The chart as an ``<svg>`` element; ``chart_id`` prefixes the ids of its title and description."""
    largest = max((bar.value for bar in bars), default=0) or 1
    scale = (WIDTH - 2 * PADDING - VALUE_SPACE) / largest
    height = len(bars) * ROW_HEIGHT + PADDING
    rows = []
    for index, bar in enumerate(bars):
        top = PADDING + index * ROW_HEIGHT
        length = max(bar.value * scale, 1 if bar.value else 0)
        rows.append(
            f'<g class="bar-chart__bar"><title>{escape(bar.tooltip)}</title>'
            f'<text class="bar-chart__label" x="{PADDING}" y="{top + 15}">{escape(_shorten(bar.label))}</text>'
            f'<rect x="{PADDING}" y="{top + 21}" width="{length:.1f}" height="{BAR_HEIGHT}" rx="2"></rect>'
            f'<text class="bar-chart__value" x="{PADDING + length + 6:.1f}" y="{top + 35}">{bar.value}</text></g>'
        )
    return Markup(
        f'<svg class="bar-chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title><desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
        + "".join(rows) + "</svg>"
    )
