from types import SimpleNamespace

from app.numbering import numbered_sections, roman


def test_roman_numerals():
    assert [roman(number) for number in (1, 2, 3, 4, 9, 14, 40)] == ["I", "II", "III", "IV", "IX", "XIV", "XL"]


def test_content_areas_restart_under_each_main_section():
    levels = [1, 1, 2, 2, 2, 1, 2]
    sections = [SimpleNamespace(level=level) for level in levels]
    assert [number for number, _ in numbered_sections(sections)] == ["I", "II", "1", "2", "3", "III", "1"]
