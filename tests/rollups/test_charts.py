"""Ranking charts are small SVG strings drawn on the server, with every text escaped."""
import re
from decimal import Decimal

from babel.numbers import format_decimal

from app.rollups.charts import CHARACTER_WIDTH, Bar, bar_chart, without_value


def vietnamese(value: Decimal) -> str:
    return format_decimal(value, locale="vi")


def test_one_svg_with_one_bar_per_unit_that_has_a_value_highest_first_and_a_target_tick():
    bars = [Bar("Bình Lương", Decimal(90), Decimal(100)), Bar("Xuân Bình", None, Decimal(80)),
            Bar("Yên Cát", Decimal(120), Decimal(100)), Bar("Cát Tân", None)]
    svg = str(bar_chart("TR01", bars, vietnamese))
    assert svg.count("<svg") == 1 and svg.count('<rect class="bar"') == 2
    assert svg.count('<line class="target"') == 2
    assert svg.index("Yên Cát") < svg.index("Bình Lương")
    assert "Xuân Bình" not in svg and "Cát Tân" not in svg
    assert without_value(bars) == ["Xuân Bình", "Cát Tân"]
    widths = [float(width) for width in re.findall(r'class="bar"[^>]*width="([\d.]+)"', svg)]
    assert widths[0] > widths[1]  # 120 is the longest bar
    assert "style=" not in svg and "<script" not in svg and "http" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_names_and_titles_are_escaped():
    svg = str(bar_chart("<b>title</b>", [Bar("<script>alert(1)</script>", Decimal(1)),
                                         Bar('"quoted" & co', Decimal(2))], vietnamese))
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "<b>" not in svg and "&#34;quoted&#34; &amp; co" in svg


def test_a_chart_with_no_value_is_still_valid():
    svg = str(bar_chart("TR01", [Bar("A", None)], vietnamese))
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "<rect" not in svg


def test_values_are_written_by_the_formatter_given():
    svg = str(bar_chart("TR01", [Bar("Bình Lương", Decimal("1234.50"))], vietnamese))
    assert ">1.234,5</text>" in svg
    svg = str(bar_chart("TR01", [Bar("Bình Lương", Decimal("1234.50"))], lambda value: format_decimal(value, locale="en")))
    assert ">1,234.5</text>" in svg


def test_a_long_value_gets_a_wider_column_not_cut_off_at_the_edge():
    bars = [Bar("Cát Vân", Decimal(24_300_000), Decimal(30_000_000)), Bar("Hóa Quỳ", Decimal(580_000))]
    svg = str(bar_chart("KP01", bars, vietnamese))
    width = float(re.search(r'<svg[^>]* width="(\d+)"', svg).group(1))
    value_x = float(re.search(r'<text x="([\d.]+)"[^>]*>24.300.000</text>', svg).group(1))
    assert value_x + CHARACTER_WIDTH * len("24.300.000") <= width
    # the longest bar and the target's tick end before the values begin
    bar_x, bar_width = (float(number) for number in re.search(r'class="bar" x="([\d.]+)"[^>]*width="([\d.]+)"', svg).groups())
    tick = max(float(x) for x in re.findall(r'class="target" x1="([\d.]+)"', svg))
    assert bar_x + bar_width < value_x and tick < value_x


def test_a_long_name_gets_a_wider_column_not_cut_off_at_the_edge():
    name = "Văn Miếu - Quốc Tử Giám"  # a ward of Hà Nội, the longest short name of the official list's
    svg = str(bar_chart("TR01", [Bar(name, Decimal(12), Decimal(20)), Bar("Bình Lương", Decimal(8))], vietnamese))
    name_end = float(re.search(rf'<text x="([\d.]+)"[^>]*text-anchor="end">{name}</text>', svg).group(1))
    assert name_end - CHARACTER_WIDTH * len(name) >= 0
    bar_x = min(float(x) for x in re.findall(r'class="bar" x="([\d.]+)"', svg))
    assert name_end < bar_x
