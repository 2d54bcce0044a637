"""Building, editing, publishing and copying templates through their services."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.audit.queries import entries_for
from app.extensions import db as _db
from app.plan_templates import content_services, queries, services
from app.plan_templates.models import TemplateIndicator, TemplateStatus
from app.plan_templates.validation import TemplateError, TemplateLocked
from app.rollups.models import RollupState
from app.versioning import StaleVersion
from tenants import system_scope
from tests.factories import make_template

SEED_LIKE = {
    "title": "Triển khai thực hiện công tác bình đẳng giới năm 2024",
    "legal_basis": ["Luật Bình đẳng giới năm 2006", "Công văn số 659/UBND-LĐTBXH"],
    "responsible_bodies": ["Ban chính sách", "Hội LHPN"],
    "report_period_type": "quarter",
    "report_deadline_days": 10,
    "sections": [
        {"heading": "Mục đích yêu cầu", "level": 1, "default_text": "Nâng cao nhận thức năm 2024."},
        {"heading": "Nội dung thực hiện", "level": 1, "editable": False},
        {"heading": "Tuyên truyền nâng cao nhận thức", "level": 2},
        {"heading": "Tổ chức thực hiện", "level": 1},
    ],
    "activities": [{"section_key": "tuyen-truyen-nang-cao-nhan-thuc", "name": "Tuyên truyền trên loa"}],
    "indicators": [
        {"code": "TT01", "name": "Số người được truyền thông", "disaggregation": "sex", "minimum_target": "100"},
        {"code": "NU01", "name": "Số nữ cán bộ"},
        {"code": "CB01", "name": "Tỷ lệ nữ cán bộ", "value_type": "percent", "aggregation": "ratio",
         "numerator_code": "NU01", "denominator_code": "TT01"},
    ],
}


def test_a_whole_template_is_built_from_a_nested_dict(tree, users, db):
    with system_scope("test"):
        template = services.build_template(tree.district, 2024, users["officer"], SEED_LIKE)
        assert template.status == TemplateStatus.DRAFT and template.revision == 1
        assert [section.key for section in template.sections] == [
            "muc-dich-yeu-cau", "noi-dung-thuc-hien", "tuyen-truyen-nang-cao-nhan-thuc", "to-chuc-thuc-hien"]
        assert template.legal_basis_lines == SEED_LIKE["legal_basis"]
        assert template.indicator("TT01").minimum_target == Decimal(100)
        assert [entry.action for entry in entries_for(f"template:{template.id}")] == ["created"]


def test_every_problem_is_reported_at_once(tree, users, db):
    data = {**SEED_LIKE, "title": "", "indicators": [
        {"code": "TT01", "name": "Một"},
        {"code": "tt01", "name": "Hai", "minimum_target": "-5"},
        {"code": "CB01", "name": "Tỷ lệ", "value_type": "percent", "minimum_target": "120"},
        {"code": "RA01", "name": "Tỷ số", "aggregation": "ratio", "numerator_code": "XX99"},
        {"code": "NN01", "name": "Chữ", "minimum_target": "nhiều"},
        {"code": "LN01", "name": "Lớn", "minimum_target": 10 ** 13},  # no target could meet it
    ]}
    with system_scope("test"), pytest.raises(TemplateError) as refused:
        services.build_template(tree.district, 2024, users["officer"], data)
    fields = refused.value.fields
    assert fields["title"] == "This field is required."
    assert fields["indicators.1.code"] == "Another indicator already has the code TT01."
    assert fields["indicators.1.minimum_target"] == "A minimum target cannot be negative."
    assert fields["indicators.2.minimum_target"] == "A percentage is between 0 and 100."
    assert "XX99" in fields["indicators.3.numerator_code"]
    assert fields["indicators.3.denominator_code"] == "A ratio needs the code of its denominator indicator."
    assert fields["indicators.4.minimum_target"] == "Enter a number."
    assert fields["indicators.5.minimum_target"] == "This number is too large."


def test_over_long_text_and_a_content_area_first_are_refused(tree, users, db):
    data = {"title": "x" * 501, "sections": [{"heading": "Tuyên truyền", "level": 2}]}
    with system_scope("test"), pytest.raises(TemplateError) as refused:
        services.build_template(tree.district, 2024, users["officer"], data)
    assert refused.value.fields["title"] == "At most 500 characters (now 501)."
    assert "must come after" in refused.value.fields["sections.0.level"]


def test_a_second_template_for_the_same_year_points_to_a_new_revision(published, tree, users, db):
    with system_scope("test"), pytest.raises(TemplateError) as refused:
        services.create_template(tree.district, 2023, users["officer"], {"title": "Lần hai"})
    assert "new revision" in refused.value.fields["year"]


def test_a_stale_version_changes_nothing(draft, users, db):
    with system_scope("test"):
        read_version = draft.version
        services.update_template(draft, users["officer"], read_version, {"title": "Lần một"})
        db.session.commit()
        with pytest.raises(StaleVersion):
            services.update_template(draft, users["officer"], read_version, {"title": "Lần hai"})
        assert draft.title == "Lần một"


def test_a_published_template_never_changes(published, users, db):
    with system_scope("test"):
        with pytest.raises(TemplateLocked):
            services.update_template(published, users["officer"], published.version, {"title": "Khác"})
        with pytest.raises(TemplateLocked):
            content_services.add_section(published, users["officer"], published.version, {"heading": "Mới"})


def test_publishing_checks_completeness_then_locks(draft, users, db):
    with system_scope("test"):
        empty = services.create_template(draft.unit, 2025, users["officer"], {"title": "Trống"})
        with pytest.raises(TemplateError) as incomplete:
            services.publish(empty, users["officer"], empty.version)
        assert "sections" in incomplete.value.fields
        services.publish(draft, users["officer"], draft.version)
        assert draft.is_published and draft.published_at is not None


def test_two_ratios_naming_each_other_are_refused_and_a_saved_ratio_of_a_ratio_is_not_published(
        draft, tree, users, db):
    data = {**SEED_LIKE, "indicators": [
        {"code": "TT01", "name": "Số người"},
        {"code": "RA01", "name": "Một", "aggregation": "ratio", "numerator_code": "RA02", "denominator_code": "TT01"},
        {"code": "RA02", "name": "Hai", "aggregation": "ratio", "numerator_code": "RA01", "denominator_code": "TT01"},
    ]}
    with system_scope("test"), pytest.raises(TemplateError) as refused:
        services.build_template(tree.district, 2025, users["officer"], data)
    assert refused.value.fields == {
        "indicators.1.numerator_code": "RA02 is a ratio itself: a ratio is computed from two indicators that are entered.",
        "indicators.2.numerator_code": "RA01 is a ratio itself: a ratio is computed from two indicators that are entered."}

    with system_scope("test"):
        # Saved before the rule: the editor's checks never saw it.
        draft.indicators.extend([
            TemplateIndicator(code="RA08", name="Tỷ lệ", position=98, unit_id=draft.unit_id, aggregation="ratio",
                              numerator_code="TR01", denominator_code="TT01"),
            TemplateIndicator(code="RA09", name="Tỷ lệ cũ", position=99, unit_id=draft.unit_id, aggregation="ratio",
                              numerator_code="RA08", denominator_code="TT01")])
        db.session.flush()
        with pytest.raises(TemplateError) as incomplete:
            services.publish(draft, users["officer"], draft.version)
    assert incomplete.value.fields == {
        "indicators.RA09.numerator_code": "RA08 is a ratio itself: a ratio is computed from two indicators that are entered."}
    assert not draft.is_published


def test_only_the_units_officers_may_author(draft, users, db):
    with system_scope("test"):
        for key in ("editor", "province_viewer", "other_district_officer", "district_admin"):
            with pytest.raises(services.TemplateRefused):
                services.update_template(draft, users[key], draft.version, {"title": "Khác"})


def test_a_new_revision_is_a_draft_copy_and_is_reused(published, users, db):
    with system_scope("test"):
        revision = services.new_revision(published, users["officer"])
        assert (revision.revision, revision.status, revision.previous) == (2, TemplateStatus.DRAFT, published)
        assert [indicator.code for indicator in revision.indicators] == ["TT01", "CB01", "TR01"]
        assert services.new_revision(published, users["officer"]) is revision
        services.publish(revision, users["officer"], revision.version)
        assert queries.latest_published(published.unit, 2023) is revision


def test_copy_to_next_year_replaces_the_year(published, users, db):
    with system_scope("test"):
        copy = services.copy_to_year(published, 2024, users["officer"])
        assert (copy.year, copy.revision, copy.status) == (2024, 1, TemplateStatus.DRAFT)
        assert copy.title == "Công tác bình đẳng giới năm 2024"
        assert copy.legal_basis == published.legal_basis
        with pytest.raises(TemplateError, match="new revision"):
            services.copy_to_year(published, 2024, users["officer"])


def test_a_commune_writes_from_its_nearest_supervising_unit(published, tree, db):
    with system_scope("test"):
        province_template = make_template(tree.province, year=2026)
        assert queries.published_for(tree.commune, 2023) == published
        assert queries.published_for(tree.commune, 2026) == province_template
        assert queries.published_for(tree.other_commune, 2023) is None


def test_whether_submitted_reports_count_is_a_yes_or_no_carried_to_revisions_and_copies(published, users, db):
    with system_scope("test"):
        assert published.rollup_includes_submitted is False  # accepted reports only, by default
        revision = services.new_revision(published, users["officer"])
        with pytest.raises(TemplateError) as refused:
            services.update_template(revision, users["officer"], revision.version, {"rollup_includes_submitted": "yes"})
        assert refused.value.fields == {"rollup_includes_submitted": "Say true or false."}
        assert revision.rollup_includes_submitted is False

        services.update_template(revision, users["officer"], revision.version, {"rollup_includes_submitted": True})
        services.publish(revision, users["officer"], revision.version)

        assert revision.rollup_includes_submitted is True
        edited = next(entry for entry in entries_for(f"template:{revision.id}") if entry.action == "edited")
        assert edited.changes == [
            {"field": "rollup_includes_submitted", "before": False, "after": True}]
        assert services.copy_to_year(revision, 2024, users["officer"]).rollup_includes_submitted is True


def _waiting(unit) -> dict[str, bool]:
    """{period: whether newer data waits} of the unit's stored rollups."""
    states = _db.session.execute(select(RollupState).where(RollupState.unit_id == unit.id)).scalars()
    return {state.period: state.stale for state in states}


def test_which_reports_count_changes_on_a_published_template_and_starts_a_rebuild(published, tree, users, db):
    with system_scope("test"):
        run = services.set_counted_reports(published, users["officer"], published.version, True)

        assert published.rollup_includes_submitted is True
        assert (run.name, run.unit_id, run.requested_by_id) == ("rebuild_rollups", tree.district.id,
                                                                 users["officer"].id)
        # Until the rebuild runs, the figures of the district and of the units above it say so.
        marked = {"2023Q1": True, "2023Q2": True, "2023Q3": True, "2023Q4": True, "2023": True}
        assert _waiting(tree.district) == marked and _waiting(tree.province) == marked
        changed = [entry for entry in entries_for(f"template:{published.id}") if entry.action == "counting_changed"]
        assert [entry.changes for entry in changed] == [
            [{"field": "rollup_includes_submitted", "before": False, "after": True}]]


def test_the_same_rule_again_or_on_a_draft_rebuilds_nothing(published, draft, tree, users, db):
    with system_scope("test"):
        assert services.set_counted_reports(published, users["officer"], published.version, False) is None
        assert [entry.action for entry in entries_for(f"template:{published.id}")] == []
        # A draft has no plans yet: nothing counted changes.
        assert services.set_counted_reports(draft, users["officer"], draft.version, True) is None
        assert draft.rollup_includes_submitted is True
        assert _waiting(tree.district) == {}


def test_a_change_of_the_rule_is_refused_when_wrong_stale_or_not_the_authors(published, users, db):
    with system_scope("test"):
        with pytest.raises(TemplateError) as refused:
            services.set_counted_reports(published, users["officer"], published.version, "yes")
        assert refused.value.fields == {"rollup_includes_submitted": "Say true or false."}
        with pytest.raises(StaleVersion):
            services.set_counted_reports(published, users["officer"], published.version - 1, True)
        with pytest.raises(services.TemplateRefused):
            services.set_counted_reports(published, users["other_district_officer"], published.version, True)
        assert published.rollup_includes_submitted is False
