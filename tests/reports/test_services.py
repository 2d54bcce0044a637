"""Writing a progress report through its services."""
import unicodedata
from datetime import datetime
from decimal import Decimal

import pytest

from app.plans.services import TransitionRefused
from app.reports import services
from app.reports.models import ReportStatus
from app.reports.validation import ReportError
from app.rollups.models import RollupState
from tenants import system_scope
from tests.factories import (
    add_ratio,
    approve_plan,
    figure_saved_before_a_rule,
    make_plan,
    make_template,
)


def test_a_report_is_written_for_one_of_the_plans_periods(plan, users, db):
    with system_scope("test"):
        report = services.create_report(plan, "2023Q3", users["editor"])
        assert [row.activity for row in report.activities] == plan.activities
        with pytest.raises(ReportError) as second:
            services.create_report(plan, "2023Q3", users["editor"])
        assert set(second.value.fields) == {"period"}
        with pytest.raises(ReportError) as outside:
            services.create_report(plan, "2024Q1", users["editor"])
        assert set(outside.value.fields) == {"period"}


def test_no_report_on_a_plan_not_yet_approved(tree, users, db):
    with system_scope("test"):
        draft = make_plan(make_template(tree.district), tree.commune, users["editor"])
        with pytest.raises(ReportError) as refused:
            services.create_report(draft, "2023Q1", users["editor"])
        assert set(refused.value.fields) == {"plan"}


def test_values_are_checked_and_a_far_value_only_warns(plan, users, db):
    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        with pytest.raises(ReportError) as refused:
            _save(report, users["editor"], ("TT01", None, 50), ("TT01", "female", 60), ("CB01", None, 120),
                  ("TR01", None, "nhiều"))
        assert set(refused.value.fields) == {"values.TT01.female", "values.CB01.total", "values.TR01.total"}
        assert report.values == []

        warnings = _save(report, users["editor"], ("TR01", None, 5000))
        assert len(warnings) == 1 and report.values[0].value == 5000


def test_the_assessment_is_saved_in_nfc_and_logged_and_a_too_long_one_changes_nothing(plan, users, db):
    from app.audit.queries import entries_for

    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        services.update_report(report, users["editor"], report.version, {
            "assessment": unicodedata.normalize("NFD", "  Kiến nghị: hỗ trợ kinh phí.\n ")})
        assert report.assessment == "Kiến nghị: hỗ trợ kinh phí."
        assert unicodedata.is_normalized("NFC", report.assessment)
        edit = entries_for(services.subject(report))[0]  # the newest
        assert edit.changes == [{"field": "assessment", "before": "", "after": "Kiến nghị: hỗ trợ kinh phí."}]

        for refused_text in ("x" * 20_001, ["not", "text"]):
            with pytest.raises(ReportError) as refused:
                services.update_report(report, users["editor"], report.version, {
                    "assessment": refused_text, "values": [{"indicator": "TR01", "sex": None, "value": 5}]})
            assert set(refused.value.fields) == {"assessment"}
            assert report.assessment == "Kiến nghị: hỗ trợ kinh phí." and report.values == []


def test_the_document_number_is_saved_and_logged_and_one_on_two_lines_is_refused(plan, users, db):
    from app.audit.queries import entries_for

    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        services.update_report(report, users["editor"], report.version, {"document_number": " 12/BC-UBND "})
        assert report.document_number == "12/BC-UBND"
        edit = entries_for(services.subject(report))[0]  # the newest
        assert edit.changes == [{"field": "document_number", "before": "", "after": "12/BC-UBND"}]

        for refused_number in ("12/\nBC-UBND", "1" * 65, 12):
            with pytest.raises(ReportError) as refused:
                services.update_report(report, users["editor"], report.version, {
                    "document_number": refused_number, "values": [{"indicator": "TR01", "sex": None, "value": 5}]})
            assert set(refused.value.fields) == {"document_number"}
            assert report.document_number == "12/BC-UBND" and report.values == []


def _values_of(report) -> dict:
    return {(row.indicator.code, row.sex): row.value for row in report.values}


def _save(report, user, *figures):
    """Save (indicator code, sex, value) figures as a form or the API sends them."""
    return services.update_report(report, user, report.version, {"values": [
        {"indicator": code, "sex": sex, "value": value} for code, sex, value in figures]})


def _enter(report, user, **figures):
    """Save totals, by indicator code."""
    return _save(report, user, *[(code, None, value) for code, value in figures.items()])


def test_men_and_women_add_up_to_the_total(plan, users, db):
    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        with pytest.raises(ReportError) as refused:
            _save(report, users["editor"], ("TT01", None, 50), ("TT01", "male", 20), ("TT01", "female", 20))
        assert set(refused.value.fields) == {"values.TT01.total"}
        _save(report, users["editor"], ("TT01", "male", 20), ("TT01", "female", 20))
        assert _values_of(report)[("TT01", None)] == 40


def test_the_total_and_one_sex_give_the_other(plan, users, db):
    """So that the district's figures for men and for women add up to its total too."""
    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        _save(report, users["editor"], ("TT01", None, 50), ("TT01", "female", 20))
        assert {key: value for key, value in _values_of(report).items() if key[0] == "TT01"} == {
            ("TT01", None): 50, ("TT01", "female"): 20, ("TT01", "male"): 30}


def test_one_sex_alone_is_refused_and_nothing_is_saved(plan, users, db):
    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        with pytest.raises(ReportError) as men_only:
            _save(report, users["editor"], ("TT01", "male", 5), ("TR01", None, 7))
        assert men_only.value.fields == {
            "values.TT01.female": "Vui lòng nhập cả số liệu của nữ: tổng bằng nam cộng nữ."}
        with pytest.raises(ReportError) as women_only:
            _save(report, users["editor"], ("TT01", "female", 5))
        assert set(women_only.value.fields) == {"values.TT01.male"}
        assert _values_of(report) == {}


def test_men_alone_saved_before_the_rule_hold_the_submission_until_the_women_are_entered(plan, users, db):
    """Such figures would leave the district's men and women short of its total."""
    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        figure_saved_before_a_rule(report, "TT01", "male", 5)
        with pytest.raises(ReportError) as refused:
            services.perform(report, "submit", users["leader"], report.version)
        assert refused.value.message == "Cần bổ sung một số số liệu trước khi gửi báo cáo."
        assert refused.value.fields == {
            "values.TT01.female": "Vui lòng nhập cả số liệu của nữ: tổng bằng nam cộng nữ."}
        assert report.status == ReportStatus.DRAFT
        assert _values_of(report) == {("TT01", "male"): 5}

        _save(report, users["editor"], ("TT01", "female", 7))
        services.perform(report, "submit", users["leader"], report.version)
        assert report.status == ReportStatus.SUBMITTED
        assert _values_of(report) == {("TT01", "male"): 5, ("TT01", "female"): 7, ("TT01", None): 12}


def test_a_ratio_is_computed_from_its_numerator_and_denominator(ratio_plan, users, db):
    with system_scope("test"):
        report = services.create_report(ratio_plan, "2023Q1", users["editor"])
        _enter(report, users["editor"], HS02=5, HS01=15)
        assert _values_of(report)[("TL01", None)] == Decimal("33.33")
        _enter(report, users["editor"], HS01=20)
        assert _values_of(report)[("TL01", None)] == Decimal("25.00")
        _enter(report, users["editor"], HS02=None, HS01=None)
        assert ("TL01", None) not in _values_of(report)


def test_a_ratio_is_not_typed_and_its_parts_make_a_percentage(ratio_plan, users, db):
    with system_scope("test"):
        report = services.create_report(ratio_plan, "2023Q1", users["editor"])
        with pytest.raises(ReportError) as typed:
            _enter(report, users["editor"], TL01=40)
        assert "Số học sinh nữ" in typed.value.fields["values.TL01.total"]
        with pytest.raises(ReportError) as above:
            _enter(report, users["editor"], HS02=30, HS01=20)
        assert set(above.value.fields) == {"values.HS02.total"}
        with pytest.raises(ReportError) as by_zero:
            _enter(report, users["editor"], HS02=3, HS01=0)
        assert set(by_zero.value.fields) == {"values.HS01.total"}
        # One part alone: the other is asked for, so that the ratio and its parts come from one period.
        with pytest.raises(ReportError) as alone:
            _enter(report, users["editor"], HS02=3)
        assert alone.value.fields == {"values.HS01.total": (
            "Vui lòng nhập cả Số học sinh: Tỷ lệ học sinh nữ được tính từ Số học sinh nữ và Số học sinh.")}
        assert report.values == []


def test_a_ratio_of_0_to_0_has_no_value_and_the_commune_is_told(tree, users, db):
    """Of a ratio by sex, the warning names the sex whose figures are 0, once."""
    with system_scope("test"):
        template = add_ratio(make_template(tree.district, year=2024), by_sex=True)
        plan = approve_plan(make_plan(template, tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        report = services.create_report(plan, "2024Q1", users["editor"])
        warnings = _save(report, users["editor"], ("HS01", "male", 10), ("HS01", "female", 0),
                         ("HS02", "male", 0), ("HS02", "female", 0))
        assert [str(warning) for warning in warnings] == [
            "Tỷ lệ học sinh nữ của nữ không có giá trị trong kỳ này: Số học sinh của nữ bằng 0."]
        assert {key: value for key, value in _values_of(report).items() if key[0] == "TL01"} == {
            ("TL01", None): 0, ("TL01", "male"): 0}

        warnings = _save(report, users["editor"], ("HS01", "male", 0))
        assert [str(warning) for warning in warnings] == [
            "Tỷ lệ học sinh nữ không có giá trị trong kỳ này: Số học sinh bằng 0."]
        assert not any(code == "TL01" for code, _sex in _values_of(report))


def test_submitting_marks_the_rollups_above_as_waiting_and_a_late_report_is_late(plan, users, tree, db):
    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        services.perform(report, "submit", users["leader"], report.version)
        assert report.status == ReportStatus.SUBMITTED
        assert report.late  # 2023Q1 ended long before today
        waiting = set(db.session.execute(db.select(RollupState.unit_id, RollupState.period)).all())
        assert {(tree.district.id, "2023Q1"), (tree.district.id, "2023"), (tree.province.id, "2023Q1")} <= waiting
        assert not any(unit_id == tree.commune.id for unit_id, _period in waiting)  # its figures are read live

        with pytest.raises(TransitionRefused):
            services.perform(report, "submit", users["leader"], report.version)
        services.perform(report, "accept", users["officer"], report.version)
        with pytest.raises(TransitionRefused) as after_acceptance:
            services.perform(report, "submit", users["leader"], report.version)
        assert after_acceptance.value.status == 409


@pytest.mark.parametrize(("submitted_at_utc", "late"), [
    (datetime(2023, 4, 10, 16, 59), False),  # 23:59 on 10 April in Việt Nam: 2023Q1's deadline, still on time
    (datetime(2023, 4, 10, 17, 1), True),  # 00:01 on 11 April in Việt Nam, though still 10 April in UTC
])
def test_a_report_is_late_by_the_deadline_day_in_viet_nam(plan, users, db, monkeypatch, submitted_at_utc, late):
    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        monkeypatch.setattr("app.plans.services.utcnow", lambda: submitted_at_utc)
        services.perform(report, "submit", users["leader"], report.version)
        assert report.late is late


@pytest.mark.parametrize(("first_submitted_at_utc", "late"), [
    (datetime(2023, 4, 5, 3, 0), False),  # before 2023Q1's deadline, 10 April
    (datetime(2023, 4, 12, 3, 0), True),
])
def test_a_returned_report_sent_again_after_the_deadline_is_late_only_if_first_sent_late(
        plan, users, db, monkeypatch, first_submitted_at_utc, late):
    """The district's return asks for corrections: it does not move the commune's deadline."""
    with system_scope("test"):
        report = services.create_report(plan, "2023Q1", users["editor"])
        monkeypatch.setattr("app.plans.services.utcnow", lambda: first_submitted_at_utc)
        services.perform(report, "submit", users["leader"], report.version)
        monkeypatch.setattr("app.plans.services.utcnow", lambda: datetime(2023, 4, 20, 3, 0))
        services.perform(report, "return", users["officer"], report.version, comment="Bổ sung số liệu TR01.")
        monkeypatch.setattr("app.plans.services.utcnow", lambda: datetime(2023, 4, 25, 3, 0))
        services.perform(report, "submit", users["leader"], report.version)
        assert report.status == ReportStatus.SUBMITTED and report.late is late


def test_approving_a_plan_asks_for_the_completeness_above_it(tree, users, db):
    with system_scope("test"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        approve_plan(plan, users["editor"], users["leader"], users["officer"])
        waiting = set(db.session.execute(db.select(RollupState.unit_id, RollupState.period)).all())
    assert {(tree.district.id, f"2023Q{quarter}") for quarter in range(1, 5)} <= waiting
