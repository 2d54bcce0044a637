"""Vietnamese text: NFC normalisation and alphabetical order.

Vietnamese typed on Windows often arrives decomposed (NFD); stored text is always NFC so that
searching and uniqueness work. PostgreSQL sorts with the ICU collation `vi-VN-x-icu`; SQLite
gets a collation of the same name, registered on every connection from `vietnamese_sort_key`.
"""
import unicodedata

from sqlalchemy import String, Text
from sqlalchemy.types import TypeDecorator

VIETNAMESE_COLLATION = "vi-VN-x-icu"

# Letters in dictionary order; f, j, w, z only occur in loan words.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: 100 + rank for rank, letter in enumerate(_ALPHABET)}
# Combining marks that make a new letter (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tones in dictionary order: none, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(value):
    """Return `value` in NFC if it is a string, unchanged otherwise (usable as a form filter)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def has_visible_text(text: str) -> bool:
    """Whether `text` holds anything a reader sees: not only spaces, invisible format
    characters (a zero-width space, a direction mark) and control characters (a bell)."""
    return any(not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc") for char in text)


def vietnamese_sort_key(text: str) -> tuple:
    """Sort key: letters first (a < ă < â < b … < đ …), then tones, then the text itself."""
    letters: list[str] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _TONE_RANK and tones:
            tones[-1] = _TONE_RANK[char]
        elif char in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        else:
            letters.append(char)
            tones.append(0)
    primary = tuple(_LETTER_RANK.get(letter, ord(letter)) for letter in letters)
    return primary, tuple(tones), text


def compare_vietnamese(left: str, right: str) -> int:
    left_key, right_key = vietnamese_sort_key(left), vietnamese_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def ascii_fold(text: str) -> str:
    """`Xã Bình Lương` → `Xa Binh Luong`: for usernames and file names."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class NFCString(TypeDecorator):
    """A string column whose values are stored, and compared, in NFC."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return nfc(value)


class NFCText(NFCString):
    impl = Text
    cache_ok = True
