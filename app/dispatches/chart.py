"""A ranking as a horizontal bar chart PNG, for the Word report (which cannot hold the SVG the
compare page draws). Pillow only, with the vendored Liberation Serif so every Vietnamese
diacritic renders the same on any server.

Bars are ranked highest first; a unit without a value is listed last with "—" and no bar.
"""
import io
from decimal import Decimal
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.plans.document.content import vietnamese_number

FONTS = Path(__file__).resolve().parent.parent / "plans" / "document" / "fonts"
NO_VALUE = "—"
NO_DATA = "Chưa có số liệu"
BACKGROUND = (255, 255, 255)
INK = (0, 0, 0)
MUTED = (110, 110, 110)
# A dark blue that stays distinct when the report is printed in black and white.
BAR = (47, 85, 151)
GRID = (210, 210, 210)
DPI = 200


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def format_value(value: float | Decimal | None) -> str:
    """1234 → `1.234`, 45.5 → `45,5` (at most two decimals); None → `—`."""
    if value is None:
        return NO_VALUE
    return vietnamese_number(Decimal(str(value)).quantize(Decimal("0.01")))


def ranked(bars: list[tuple[str, float | None]]) -> list[tuple[str, float | None]]:
    """Highest value first (ties keep their given order); the ones without a value last."""
    known = [bar for bar in bars if bar[1] is not None]
    unknown = [bar for bar in bars if bar[1] is None]
    return sorted(known, key=lambda bar: bar[1], reverse=True) + unknown


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> str:
    """The text, shortened with an ellipsis if it is wider than `width`."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return [_fit(draw, line, font, width) for line in lines] or [""]


def ranking_png(title: str, bars: list[tuple[str, float | None]], width_px: int = 1200) -> bytes:
    """The bars ranked, one row each, labels left, values right of the bar; `title` on top."""
    width_px = max(int(width_px), 300)
    scale = width_px / 1200
    size = max(round(22 * scale), 9)
    font, title_font = _font(size), _font(round(size * 1.2), bold=True)
    margin = round(24 * scale)
    row_height = round(size * 1.8)
    bar_height = round(size * 1.15)
    gap = round(12 * scale)

    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    title_lines = _wrap(measure, title.strip(), title_font, width_px - 2 * margin) if title.strip() else []
    title_line_height = round(title_font.size * 1.35)
    rows = ranked([(label.strip(), value) for label, value in bars])

    values = [float(value) for _, value in rows if value is not None]
    value_width = max((measure.textlength(format_value(value), font=font) for _, value in rows),
                      default=0)
    longest = max((measure.textlength(label, font=font) for label, _ in rows), default=0)
    label_width = min(longest, width_px * 0.32)
    bar_left = margin + label_width + gap
    bar_room = max(width_px - margin - value_width - gap - bar_left, 1)
    top = margin + len(title_lines) * title_line_height + (gap if title_lines else 0)
    body_rows = max(len(rows), 1)
    height = top + body_rows * row_height + margin

    image = Image.new("RGB", (width_px, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(title_lines):
        draw.text((width_px / 2, margin + index * title_line_height), line, font=title_font, fill=INK,
                  anchor="ma")
    if not rows:
        draw.text((width_px / 2, top + row_height / 2), NO_DATA, font=font, fill=MUTED, anchor="mm")
        return _png(image)

    highest = max(values, default=0)
    draw.line([(bar_left, top), (bar_left, top + len(rows) * row_height)], fill=GRID, width=max(1, round(scale)))
    for index, (label, value) in enumerate(rows):
        middle = top + index * row_height + row_height / 2
        draw.text((bar_left - gap, middle), _fit(draw, label, font, label_width), font=font, fill=INK,
                  anchor="rm")
        if value is None:
            draw.text((bar_left + gap, middle), NO_VALUE, font=font, fill=MUTED, anchor="lm")
            continue
        length = bar_room * max(float(value), 0) / highest if highest > 0 else 0
        if length >= 1:
            draw.rectangle([(bar_left, middle - bar_height / 2), (bar_left + length, middle + bar_height / 2)],
                           fill=BAR)
        draw.text((bar_left + length + gap, middle), format_value(value), font=font, fill=INK, anchor="lm")
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, dpi=(DPI, DPI))
    return buffer.getvalue()
