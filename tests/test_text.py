import unicodedata

from app.text import ascii_fold, nfc, vietnamese_sort_key


def test_vietnamese_alphabetical_order():
    words = ["Đông", "Dung", "Ân", "Ăn", "An", "Bình", "Ơn", "Ôn", "On", "Út", "Ưu", "Xuân", "Yên"]
    assert sorted(words, key=vietnamese_sort_key) == [
        "An", "Ăn", "Ân", "Bình", "Dung", "Đông", "On", "Ôn", "Ơn", "Út", "Ưu", "Xuân", "Yên",
    ]


def test_tones_order_after_letters():
    assert sorted(["má", "mà", "ma", "mạ", "mả", "mã"], key=vietnamese_sort_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ",
    ]
    assert sorted(["mạ", "mai"], key=vietnamese_sort_key) == ["mạ", "mai"]


def test_decomposed_and_composed_text_sort_together():
    decomposed = unicodedata.normalize("NFD", "Bình Lương")
    assert vietnamese_sort_key(decomposed)[:2] == vietnamese_sort_key("Bình Lương")[:2]


def test_nfc_composes_and_leaves_other_values_alone():
    assert nfc(unicodedata.normalize("NFD", "Như Xuân")) == "Như Xuân"
    assert nfc(None) is None


def test_ascii_fold_for_usernames():
    assert ascii_fold("Xã Bình Lương") == "Xa Binh Luong"
    assert ascii_fold("Đồng Điền") == "Dong Dien"
