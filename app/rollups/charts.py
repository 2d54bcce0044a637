"""Bar charts drawn on the server as small SVG strings: no script, no CDN, no font.

Every piece of text in the SVG goes through `escape`, so the string may be rendered with
`|safe`; colours and sizes are SVG attributes, not styles (the CSP forbids inline styles).
"""
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH = 520
# The names' and the values' columns at least; wider when a name or a value needs it.
LABEL_WIDTH = 150
VALUE_WIDTH = 70
# One character at font-size 12, in pixels, to size those columns: the server has no font to
# measure text with, and a long value was cut off at the chart's edge. A digit of a wide
# sans-serif (DejaVu Sans) is 7.6 px and a separator 3.8, so 7 covers a grouped number.
CHARACTER_WIDTH = 7
TEXT_GAP = 6  # between a text and a bar
BAR_HEIGHT = 16
GAP = 6
BAR_COLOUR = "#0d6efd"
MET_COLOUR = "#198754"
TARGET_COLOUR = "#dc3545"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    target: Decimal | None = None


def without_value(bars: list[Bar]) -> list[str]:
    """The units a chart does not draw, in their given order: named beside it instead, so that
    a district whose communes mostly have not reported yet gets short charts."""
    return [bar.label for bar in bars if bar.value is None]


def _column_width(texts: list[str], at_least: int, gaps: int) -> int:
    """The width of a column of `texts` beside `gaps` TEXT_GAPs, and at least `at_least`."""
    return max([at_least] + [gaps * TEXT_GAP + CHARACTER_WIDTH * len(text) for text in texts])


def bar_chart(title: str, bars: list[Bar], format_value: Callable[[Decimal], str]) -> Markup:
    """A horizontal bar per unit with a value, highest first, with its value (written by
    `format_value`, in the reader's language) and a tick at its target."""
    bars = sorted((bar for bar in bars if bar.value is not None), key=lambda bar: bar.value, reverse=True)
    largest = max([bar.value for bar in bars]
                  + [bar.target for bar in bars if bar.target is not None] + [Decimal(0)])
    values = [format_value(bar.value) for bar in bars]
    label_width = _column_width([bar.label for bar in bars], LABEL_WIDTH, gaps=1)
    value_width = _column_width(values, VALUE_WIDTH, gaps=2)
    plot_width = WIDTH - label_width - value_width
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="rank-chart" role="img" '
             f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-size="12">',
             f"<title>{escape(title)}</title>"]
    for index, (bar, value) in enumerate(zip(bars, values, strict=True)):
        top = GAP + index * (BAR_HEIGHT + GAP)
        middle = top + BAR_HEIGHT / 2 + 4
        parts.append(f'<text x="{label_width - TEXT_GAP}" y="{middle:g}" text-anchor="end">{escape(bar.label)}</text>')
        if largest > 0:
            width = float(plot_width * bar.value / largest)
            met = bar.target is not None and bar.target > 0 and bar.value >= bar.target
            parts.append(f'<rect class="bar" x="{label_width}" y="{top}" width="{width:.1f}" '
                         f'height="{BAR_HEIGHT}" fill="{MET_COLOUR if met else BAR_COLOUR}"/>')
        if bar.target is not None and largest > 0:
            tick = label_width + float(plot_width * bar.target / largest)
            parts.append(f'<line class="target" x1="{tick:.1f}" x2="{tick:.1f}" y1="{top - 2}" '
                         f'y2="{top + BAR_HEIGHT + 2}" stroke="{TARGET_COLOUR}" stroke-width="2"/>')
        parts.append(f'<text x="{WIDTH - value_width + TEXT_GAP}" y="{middle:g}">{escape(value)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
