"""Reads for the report pages. The tenant guard limits every query to the user's scope, so a
report outside it is simply not found."""
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.plans.models import Plan
from app.plans.queries import drafts_hidden
from app.reports.models import Report, ReportStatus


def get_report(report_id: int) -> Report | None:
    # A query, not session.get(): the identity map would skip the tenant guard.
    statement = db.select(Report).where(Report.id == report_id)
    if drafts_hidden():
        statement = statement.where(Report.status != ReportStatus.DRAFT)
    return db.session.execute(statement).scalar_one_or_none()


def has_report(plan: Plan, period_id: str) -> bool:
    return db.session.execute(
        db.select(Report.id).where(Report.plan_id == plan.id, Report.period == period_id)).first() is not None


def reports_by_period(plan: Plan) -> dict[str, Report]:
    """The plan's reports, by period id."""
    reports = db.session.execute(db.select(Report).where(Report.plan_id == plan.id)).scalars()
    return {report.period: report for report in reports}


def readable_reports_by_period(plan: Plan) -> dict[str, Report]:
    """`reports_by_period`, without the drafts a province viewer does not read: a plan's list
    of reports as its reader may open them."""
    reports = reports_by_period(plan)
    if drafts_hidden():
        return {period: report for period, report in reports.items() if report.status != ReportStatus.DRAFT}
    return reports


def waiting_for_decision(limit: int) -> tuple[list[Report], int]:
    """The submitted reports in the user's scope, which the district accepts or returns: the
    `limit` submitted longest ago, with their communes, and how many there are."""
    submitted = db.select(Report).where(Report.status == ReportStatus.SUBMITTED)
    count = db.session.execute(submitted.with_only_columns(db.func.count(Report.id))).scalar_one()
    oldest = submitted.options(joinedload(Report.unit)).order_by(Report.submitted_at, Report.id).limit(limit)
    return list(db.session.execute(oldest).scalars()), count
