"""The demo's progress reports: 2023Q1–Q3 on the approved plans, mostly accepted, some
waiting, returned, late or missing; Bình Lương's 2023Q3 is left for the walk-through."""
from collections import Counter

from sqlalchemy import func

from app import periods
from app.audit.models import AuditEntry
from app.demo.reports import STORY
from app.extensions import db as _db
from app.org_units.queries import children_of, get_by_code
from app.plans.models import Plan
from app.reports import services as report_services
from app.reports.models import Report, ReportActivity, ReportStatus, ReportValue
from app.rollups.models import Rollup
from tenants import system_scope
from tests.demo.test_demo_plans import _log, _plan, _user


def _reports() -> list[Report]:
    return list(_db.session.execute(_db.select(Report).order_by(Report.id)).scalars())


def _reports_of(code: str) -> dict[str, Report]:
    return {report.period: report for report in _reports() if report.unit.code == code}


def test_most_reports_are_accepted_some_wait_some_were_returned(demo):
    statuses = Counter(report.status for report in _reports())
    assert set(statuses) == {ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.RETURNED}
    assert statuses[ReportStatus.ACCEPTED] > len(_reports()) * 2 / 3
    assert 2 <= statuses[ReportStatus.SUBMITTED] <= 3
    assert 2 <= statuses[ReportStatus.RETURNED] <= 3
    assert all(report.return_comment for report in _reports() if report.status == ReportStatus.RETURNED)


def test_every_approved_plan_has_reports_and_some_periods_are_missing(demo):
    plans = [plan for commune in children_of(get_by_code("402"))
             if (plan := _plan(commune.code)) is not None]
    reportable = [plan for plan in plans if report_services.is_reportable(plan)]
    assert len(reportable) >= 10
    periods_by_commune = {plan.unit.code: sorted(_reports_of(plan.unit.code)) for plan in reportable}
    assert all(periods_by_commune.values()), "every approved plan has at least its 2023Q1 report"
    assert ["2023Q1"] in periods_by_commune.values(), "one commune has neither Q2 nor Q3"
    assert sum(found == ["2023Q1", "2023Q2"] for found in periods_by_commune.values()) >= 2
    assert not any(_reports_of(plan.unit.code) for plan in plans if not report_services.is_reportable(plan))


def test_reports_carry_every_indicator_and_activity(demo):
    report = _reports_of("16195")["2023Q2"]  # Cát Vân
    template = report.plan.template
    for indicator in template.indicators:
        for sex in (None, "male", "female") if indicator.by_sex else (None,):
            assert report.value(indicator.id, sex) is not None, (indicator.code, sex)
    tt02 = template.indicator("TT02")
    assert report.value(tt02.id, None).value == (
        report.value(tt02.id, "male").value + report.value(tt02.id, "female").value)
    cb01, cb02, cb03 = (report.value(template.indicator(code).id, None).value
                        for code in ("CB01", "CB02", "CB03"))
    assert abs(cb01 - 100 * cb02 / cb03) < 0.01
    assert len(report.activities) == len(report.plan.activities)
    assert {row.progress for row in report.activities} - {"not_started"}


def test_activities_progress_by_their_months_and_their_spending_is_the_budget_spent(demo):
    reports = _reports_of("16195")  # Cát Vân
    progress = {period: {row.activity.name: row.progress for row in report.activities}
                for period, report in reports.items()}
    training = "Tập huấn nâng cao năng lực cho cán bộ xã, thôn phụ trách công tác bình đẳng giới"  # in June
    loudspeakers = "Tuyên truyền về bình đẳng giới trên hệ thống loa phát thanh của xã"  # 3, 6, 9, 11

    assert [progress[period][training] for period in ("2023Q1", "2023Q2", "2023Q3")] == [
        "not_started", "done", "done"]
    assert [progress[period][loudspeakers] for period in ("2023Q1", "2023Q2", "2023Q3")] == [
        "in_progress", "in_progress", "in_progress"]
    for report in reports.values():
        spent = sum(row.budget_spent_vnd or 0 for row in report.activities)
        assert spent > 0
        assert report.value(report.plan.template.indicator("KP01").id, None).value == spent


def test_binh_luong_has_q1_and_q2_accepted_and_writes_q3(demo):
    reports = _reports_of("16204")
    assert {period: report.status for period, report in reports.items()} == {
        "2023Q1": ReportStatus.ACCEPTED, "2023Q2": ReportStatus.ACCEPTED}
    kp01 = reports["2023Q2"].plan.template.indicator("KP01")
    # Bình Lương's spending is what its activities spent in the quarter.
    assert reports["2023Q2"].value(kp01.id, None).value == sum(
        row.budget_spent_vnd or 0 for row in reports["2023Q2"].activities)
    plan = _plan("16204")
    report = report_services.create_report(plan, "2023Q3", _user("binhluong.editor"))
    assert report.status == ReportStatus.DRAFT


def test_most_reports_are_on_time_and_a_few_late(demo):
    submitted = _reports()
    late = [report for report in submitted if report.late]
    assert 3 <= len(late) < len(submitted) / 3
    for report in submitted:
        period = periods.parse(report.period)
        deadline = period.deadline(report.plan.template.report_deadline_days)
        assert report.submitted_at.date() > period.end
        assert (report.submitted_at.date() > deadline) == report.late
        if report.status != ReportStatus.SUBMITTED:
            assert report.decided_at > report.submitted_at


def test_a_reports_log_tells_the_story_of_its_dates(demo):
    for report in _reports():
        entries = _log(f"report:{report.id}")
        when = {entry.action: entry.created_at for entry in entries}
        assert when["created"] == report.created_at
        assert report.created_at < when["edited"] < when["submit"] == report.submitted_at
        if report.decided_at is not None:
            assert when.get("accept", when.get("return")) == report.decided_at
        assert [entry.created_at for entry in entries] == sorted(entry.created_at for entry in entries)


def test_the_story_names_only_communes_with_approved_plans(demo):
    for code in STORY:
        assert report_services.is_reportable(_plan(code)), code


def _counts() -> dict[str, int]:
    return {model.__name__: _db.session.execute(_db.select(func.count()).select_from(model)).scalar_one()
            for model in (Plan, Report, ReportValue, ReportActivity, AuditEntry, Rollup)}


def test_loading_twice_adds_no_report(demo):
    from app.demo.services import load_demo

    before = _counts()
    with system_scope("demo loaded again"):
        load_demo()
        _db.session.commit()
    assert _counts() == before


def test_the_district_has_rollups_for_2023q1(demo):
    district = get_by_code("402")
    rows = list(_db.session.execute(_db.select(Rollup).where(
        Rollup.unit_id == district.id, Rollup.period == "2023Q1")).scalars())
    assert rows and any(row.reporting > 0 for row in rows)


def test_loading_the_demo_queues_no_refresh_the_rebuild_already_did(db, monkeypatch):
    from app.auth import services as auth_services
    from app.demo.services import load_demo
    from tasks.rollups import refresh_rollups
    from tests.demo.conftest import cached_hash

    sent = []
    monkeypatch.setattr(refresh_rollups, "apply_async", lambda *args, **kwargs: sent.append(args))
    monkeypatch.setattr(auth_services, "hash_password", cached_hash)
    with system_scope("demo test data"):
        load_demo()
        db.session.commit()
        assert _db.session.execute(_db.select(func.count()).select_from(Rollup)).scalar_one() > 0
    assert sent == []
