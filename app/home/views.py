from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from app import periods
from app.extensions import db
from app.org_units import queries
from app.org_units.models import Level
from app.org_units.views import sort_arguments
from app.periods import local_today
from app.plans import queries as plan_queries
from app.plans.workflow import REVIEWERS
from app.reminders import queries as reminder_queries
from app.reports import queries as report_queries
from app.reports.pages import period_label
from app.rollups.comparison import period_choices
from app.rollups.queries import figures_snapshot

home = Blueprint("home", __name__, template_folder="templates")
REPORTS_LISTED = 20  # the oldest submissions first; a province-wide admin may have hundreds


@home.route("/")
@figures_snapshot()  # it reads rollups (`period_choices`)
@login_required
def index():
    unit = current_user.unit
    if unit is not None and unit.level == Level.COMMUNE:
        return render_template(
            "home/commune.html", unit=unit, ancestors=queries.ancestors_of(unit),
            plans=plan_queries.plans_of_unit(unit), owed=reminder_queries.owed_by(unit, local_today()),
            period_label=period_label,
        )
    sort, descending = sort_arguments()
    children = queries.children_of(unit, sort, descending)
    return render_template(
        "home/supervisor.html",
        decisions=_decisions() if current_user.role in REVIEWERS else None,
        period_label=period_label,
        unit=unit,
        ancestors=queries.ancestors_of(unit) if unit else [],
        children=children,
        commune_count=queries.count_below(unit, Level.COMMUNE) if unit else None,
        reports_year=_reports_year(unit, children),
        sort=sort,
        descending=descending,
    )


def _decisions() -> dict:
    """What waits for the district's decision in the user's scope: plans to approve or return
    (counted; the plans page lists them), and reports to accept or return."""
    reports, report_count = report_queries.waiting_for_decision(REPORTS_LISTED)
    return {"plans": plan_queries.count_waiting(), "reports": reports, "report_count": report_count}


def _reports_year(unit, children) -> str | None:
    """For the unit that supervises communes (a district, or after 1 July 2025 a province):
    the latest year its communes report for, whose comparison shows each commune's reports
    quarter by quarter."""
    if unit is None or not any(child.level == Level.COMMUNE for child in children):
        return None
    return next((period_id for period_id in period_choices(unit) if periods.is_year(period_id)), None)


@home.route("/healthz")
def health():
    """For the container's health check: the app answers and the database is reachable."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
