"""The official list of provinces, districts and communes (GSO codes), from `vietnam-provinces`."""
import json
from dataclasses import dataclass
from functools import cache

from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

from app.text import nfc

CODE_WIDTHS = {"province": 2, "district": 3, "commune": 5}
# Longest first, so `Thị trấn` is matched before `Thị xã` or a bare word.
_DIVISION_PREFIXES = (
    "thành phố", "thị trấn", "thị xã", "tỉnh", "huyện", "quận", "phường", "xã",
)


class UnknownCode(LookupError):
    pass


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    division_type: str
    level: str


@dataclass(frozen=True)
class DistrictWithCommunes:
    district: Division
    communes: tuple[Division, ...]


@dataclass(frozen=True)
class GsoSelection:
    province: Division
    districts: tuple[DistrictWithCommunes, ...]


def normalise_code(code: str | int, level: str) -> str:
    """`38` → `38`, `1` → `01`: GSO codes are zero-padded strings of fixed width per level."""
    text = str(code).strip()
    if not text.isdigit():
        raise UnknownCode(text)
    return text.zfill(CODE_WIDTHS[level])


def _division(raw: dict, level: str) -> Division:
    name = nfc(raw["name"]).strip()
    lowered = name.casefold()
    # The list marks some towns (thị trấn) as `xã`: the name is the better witness.
    division_type = next(
        (prefix for prefix in _DIVISION_PREFIXES if lowered.startswith(prefix + " ")),
        nfc(raw["division_type"]),
    )
    return Division(normalise_code(raw["code"], level), name, division_type, level)


@cache
def _nested() -> list[dict]:
    with open(NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def _district_with_communes(raw: dict) -> DistrictWithCommunes:
    return DistrictWithCommunes(
        district=_division(raw, "district"),
        communes=tuple(_division(ward, "commune") for ward in raw["wards"]),
    )


def select(province_code: str | None = None, district_code: str | None = None) -> GsoSelection:
    """A province with all its districts, or a district (with its province) alone."""
    if district_code is not None:
        wanted = normalise_code(district_code, "district")
        for province in _nested():
            for district in province["districts"]:
                if _division(district, "district").code == wanted:
                    return GsoSelection(
                        _division(province, "province"), (_district_with_communes(district),)
                    )
        raise UnknownCode(wanted)
    if province_code is None:
        raise UnknownCode("")
    wanted = normalise_code(province_code, "province")
    for province in _nested():
        if _division(province, "province").code == wanted:
            return GsoSelection(
                _division(province, "province"),
                tuple(_district_with_communes(d) for d in province["districts"]),
            )
    raise UnknownCode(wanted)
