"""Comparing two versions' content: words of the sections, figures, activities, details."""
import copy

from app.plans.versions import compare, word_diff

BEFORE = {
    "title": "Kế hoạch bình đẳng giới năm 2023",
    "legal_basis": ["Luật Bình đẳng giới năm 2006"],
    "introduction": "Ủy ban nhân dân xã Bình Lương xây dựng kế hoạch.",
    "closing": "",
    "sections": [
        {"key": "muc-dich", "level": 1, "heading": "Mục đích yêu cầu",
         "text": "Nâng cao nhận thức về bình đẳng giới", "editable": True},
        {"key": "tuyen-truyen", "level": 2, "heading": "Tuyên truyền",
         "text": "Tổ chức truyền thông trên loa", "editable": True},
    ],
    "activities": [
        {"id": 1, "section": "tuyen-truyen", "name": "Tuyên truyền trên loa phát thanh", "lead_body": "Ban văn hoá",
         "supporting_bodies": "", "months": [3], "budget_vnd": None, "funding_source": ""},
    ],
    "targets": [{"indicator": "TT01", "sex": None, "value": 100},
                {"indicator": "TT01", "sex": "female", "value": 50}],
    "document": {"number": "45/KH-UBND", "place": "Bình Lương", "date": "2023-05-05",
                 "signer_authority": "TM. ỦY BAN NHÂN DÂN", "signer_title": "CHỦ TỊCH",
                 "signer_name": "Lê Văn A", "recipients": ["Phòng LĐTBXH huyện (b/c);"]},
}


def amended(**changes):
    content = copy.deepcopy(BEFORE)
    content.update(changes)
    return content


def test_the_same_content_has_no_change():
    assert compare(BEFORE, copy.deepcopy(BEFORE)).is_empty


def test_a_changed_section_shows_the_deleted_and_inserted_words():
    after = amended()
    after["sections"][0]["text"] = "Nâng cao hiểu biết về bình đẳng giới"

    comparison = compare(BEFORE, after)

    assert [change.key for change in comparison.sections] == ["muc-dich"]
    diff = comparison.sections[0].diff
    assert ("delete", "nhận thức ") in diff
    assert ("insert", "hiểu biết ") in diff
    assert ("equal", "Nâng cao ") in diff
    # Without the deleted words, the diff is the new text.
    assert "".join(text for op, text in diff if op != "delete") == after["sections"][0]["text"]


def test_a_changed_target_is_listed_with_before_and_after():
    after = amended(targets=[{"indicator": "TT01", "sex": None, "value": 120},
                             {"indicator": "TT01", "sex": "female", "value": 50}])

    figures = compare(BEFORE, after).figures

    assert [(f.indicator, f.sex, f.before, f.after) for f in figures] == [("TT01", None, 100, 120)]


def test_a_new_target_and_a_removed_one_are_listed():
    after = amended(targets=[{"indicator": "TT01", "sex": None, "value": 100},
                             {"indicator": "TR01", "sex": None, "value": 500}])

    figures = {(f.indicator, f.sex): (f.before, f.after) for f in compare(BEFORE, after).figures}

    assert figures == {("TR01", None): (None, 500), ("TT01", "female"): (50, None)}


def test_added_removed_and_changed_activities():
    after = amended()
    after["activities"][0]["months"] = [3, 4]
    after["activities"].append({"id": 7, "section": "tuyen-truyen", "name": "Hội thi về bình đẳng giới",
                                "lead_body": "Hội LHPN", "supporting_bodies": "", "months": [10],
                                "budget_vnd": 5_000_000, "funding_source": "Ngân sách xã"})

    comparison = compare(BEFORE, after)

    assert [activity["name"] for activity in comparison.added_activities] == ["Hội thi về bình đẳng giới"]
    assert comparison.removed_activities == []
    assert comparison.changed_activities[0].fields == [("months", [3], [3, 4])]
    assert compare(after, BEFORE).removed_activities[0]["id"] == 7


def test_changed_document_details():
    after = amended()
    after["document"] = {**BEFORE["document"], "number": "46/KH-UBND"}

    assert compare(BEFORE, after).document == [("number", "45/KH-UBND", "46/KH-UBND")]


def test_word_diff_keeps_markup_as_plain_text():
    # The template escapes the text; the diff itself never interprets it.
    assert word_diff("a", "a <b>") == [("equal", "a "), ("insert", "<b>")]
