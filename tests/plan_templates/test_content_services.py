"""Adding, changing, moving and removing a draft template's sections and indicators."""
import unicodedata

import pytest

from app.plan_templates import content_services
from app.plan_templates.validation import TemplateError
from tenants import system_scope


def test_decomposed_text_is_stored_composed_and_markup_kept_as_text(draft, users, db):
    decomposed = unicodedata.normalize("NFD", "Bình đẳng giới <script>alert(1)</script>")
    with system_scope("test"):
        section = content_services.add_section(draft, users["officer"], draft.version, {"heading": decomposed, "level": 1})
        db.session.commit()
        assert section.heading == unicodedata.normalize("NFC", decomposed)
        assert section.key == "binh-dang-gioi-script-alert-1-script"


def test_sections_are_added_moved_and_removed(draft, users, db):
    officer = users["officer"]
    with system_scope("test"):
        content_services.add_section(draft, officer, draft.version, {"heading": "Kinh phí", "level": 1})
        kinh_phi = draft.sections[-1]
        content_services.move_section(draft, kinh_phi, officer, draft.version, -1)
        assert [section.key for section in draft.sections][-2:] == ["kinh-phi", "to-chuc"]
        content_services.remove_section(draft, kinh_phi, officer, draft.version)
        assert "kinh-phi" not in [section.key for section in draft.sections]


def test_an_area_with_activities_or_a_move_that_leaves_an_area_first_is_refused(draft, users, db):
    officer = users["officer"]
    with system_scope("test"):
        with pytest.raises(TemplateError, match="activities"):
            content_services.remove_section(draft, draft.sections[2], officer, draft.version)
        content_services.move_section(draft, draft.sections[2], officer, draft.version, -1)
        assert [section.key for section in draft.sections][:2] == ["muc-dich", "tuyen-truyen"]
        with pytest.raises(TemplateError, match="must come after"):
            content_services.move_section(draft, draft.sections[1], officer, draft.version, -1)


def test_indicator_code_must_be_unique_and_a_ratio_names_existing_codes(draft, users, db):
    officer = users["officer"]
    with system_scope("test"):
        with pytest.raises(TemplateError) as duplicate:
            content_services.add_indicator(draft, officer, draft.version, {"code": "TT01", "name": "Lặp"})
        assert duplicate.value.fields == {"code": "Another indicator already has the code TT01."}
        with pytest.raises(TemplateError) as ratio:
            content_services.add_indicator(draft, officer, draft.version, {
                "code": "RA01", "name": "Tỷ số", "aggregation": "ratio",
                "numerator_code": "TT01", "denominator_code": "ZZ01"})
        assert set(ratio.value.fields) == {"denominator_code"}
        indicator = content_services.add_indicator(draft, officer, draft.version, {
            "code": "ra01", "name": "Tỷ số", "aggregation": "ratio",
            "numerator_code": "tr01", "denominator_code": "TT01"})
        assert (indicator.code, indicator.numerator_code) == ("RA01", "TR01")
        with pytest.raises(TemplateError, match="RA01"):
            content_services.remove_indicator(draft, draft.indicator("TR01"), officer, draft.version)


def test_a_ratio_is_computed_from_entered_indicators_never_from_a_ratio(draft, users, db):
    officer = users["officer"]
    with system_scope("test"):
        content_services.add_indicator(draft, officer, draft.version, {
            "code": "RA01", "name": "Tỷ lệ", "aggregation": "ratio", "numerator_code": "TR01", "denominator_code": "TT01"})
        with pytest.raises(TemplateError) as of_a_ratio:
            content_services.add_indicator(draft, officer, draft.version, {
                "code": "RA02", "name": "Tỷ lệ của tỷ lệ", "aggregation": "ratio",
                "numerator_code": "RA01", "denominator_code": "TT01"})
        assert of_a_ratio.value.fields == {
            "numerator_code": "RA01 is a ratio itself: a ratio is computed from two indicators that are entered."}
        with pytest.raises(TemplateError) as part_made_a_ratio:
            content_services.update_indicator(draft, draft.indicator("TR01"), officer, draft.version, {
                "code": "TR01", "name": "Tỷ lệ", "aggregation": "ratio", "numerator_code": "TT01",
                "denominator_code": "TT01"})
        assert "RA01" in part_made_a_ratio.value.fields["aggregation"]
        assert draft.indicator("TR01").aggregation == "sum"
