import unicodedata

import pytest

from app.org_units import gso


def test_nhu_xuan_has_its_16_communes_with_string_codes():
    selection = gso.select(district_code="402")
    assert selection.province.code == "38" and selection.province.name == "Tỉnh Thanh Hóa"
    (entry,) = selection.districts
    assert entry.district.name == "Huyện Như Xuân"
    assert len(entry.communes) == 16
    binh_luong = next(c for c in entry.communes if c.code == "16204")
    assert binh_luong.name == "Xã Bình Lương"
    assert all(isinstance(c.code, str) and len(c.code) == 5 for c in entry.communes)


def test_names_are_nfc_and_towns_are_called_thi_tran():
    (entry,) = gso.select(district_code="402").districts
    assert all(unicodedata.is_normalized("NFC", c.name) for c in entry.communes)
    yen_cat = next(c for c in entry.communes if c.code == "16174")
    assert yen_cat.division_type == "thị trấn"


def test_a_province_brings_all_its_districts():
    selection = gso.select(province_code="38")
    assert len(selection.districts) == 26
    assert sum(len(entry.communes) for entry in selection.districts) == 549


def test_codes_are_zero_padded():
    assert gso.select(province_code="1").province.code == "01"


@pytest.mark.parametrize("kwargs", [{"province_code": "99"}, {"district_code": "9999"},
                                    {"province_code": "abc"}, {}])
def test_an_unknown_code_is_refused(kwargs):
    with pytest.raises(gso.UnknownCode):
        gso.select(**kwargs)
