"""Reads for the report pages. The tenant guard limits every query to the user's scope, so a
report outside it is simply not found."""
from app.extensions import db
from app.plans.models import Plan
from app.reports.models import Report


def get_report(report_id: int) -> Report | None:
    # A query, not session.get(): the identity map would skip the tenant guard.
    return db.session.execute(db.select(Report).where(Report.id == report_id)).scalar_one_or_none()


def reports_by_period(plan: Plan) -> dict[str, Report]:
    """The plan's reports, by period id."""
    reports = db.session.execute(db.select(Report).where(Report.plan_id == plan.id)).scalars()
    return {report.period: report for report in reports}
