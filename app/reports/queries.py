"""Reads for the report pages. The tenant guard limits every query to the user's scope, so a
report outside it is simply not found."""
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.plans.models import Plan
from app.reports.models import Report, ReportStatus


def get_report(report_id: int) -> Report | None:
    # A query, not session.get(): the identity map would skip the tenant guard.
    return db.session.execute(db.select(Report).where(Report.id == report_id)).scalar_one_or_none()


def reports_by_period(plan: Plan) -> dict[str, Report]:
    """The plan's reports, by period id."""
    reports = db.session.execute(db.select(Report).where(Report.plan_id == plan.id)).scalars()
    return {report.period: report for report in reports}


def waiting_for_decision(limit: int) -> tuple[list[Report], int]:
    """The submitted reports in the user's scope, which the district accepts or returns: the
    `limit` submitted longest ago, with their communes, and how many there are."""
    submitted = db.select(Report).where(Report.status == ReportStatus.SUBMITTED)
    count = db.session.execute(submitted.with_only_columns(db.func.count(Report.id))).scalar_one()
    oldest = submitted.options(joinedload(Report.unit)).order_by(Report.submitted_at, Report.id).limit(limit)
    return list(db.session.execute(oldest).scalars()), count
