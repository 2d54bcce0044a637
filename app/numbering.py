"""How Vietnamese plans number their sections: I, II, III for the main sections, and 1, 2, 3
for the content areas under each. Templates, plan pages and documents all number this way."""

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman(number: int) -> str:
    text = ""
    for value, letters in _ROMAN:
        while number >= value:
            text += letters
            number -= value
    return text


def numbered_sections(sections) -> list[tuple[str, object]]:
    """(number, section) for sections with a `level`: `I`, `II` for level 1, `1`, `2` for
    the level-2 areas under the level-1 section above them."""
    numbered, major, minor = [], 0, 0
    for section in sections:
        if section.level <= 1:
            major, minor = major + 1, 0
            numbered.append((roman(major), section))
        else:
            minor += 1
            numbered.append((str(minor), section))
    return numbered
