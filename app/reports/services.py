"""Every write to a progress report: creation for an expected period, figures and activities,
and the workflow. Each write checks the version the writer read, records itself in the audit
log and flushes; the request or task commits. Submissions, acceptances and returns ask for
the rollups above the commune to be refreshed once the transaction commits."""
from flask_babel import gettext as _

from app import periods
from app.audit import services as audit
from app.database import utcnow
from app.extensions import db
from app.plans.models import Plan, PlanStatus
from app.plans.services import TransitionRefused, apply_figures, workflow_transition
from app.reports import queries
from app.reports.models import Report, ReportActivity, ReportValue
from app.reports.validation import (
    ReportError,
    saved_values_problems,
    validate_activities,
    validate_assessment,
    validate_document_number,
    validate_values,
)
from app.reports.workflow import REPORT_CREATORS, TRANSITIONS, ReportAction
from app.rollups.services import request_refresh
from app.versioning import check_version

__all__ = ["ReportError", "TransitionRefused", "expected_periods", "create_report", "update_report", "perform"]

# What an edit may change, each checked by its own function before anything is saved.
VALIDATORS = {"values": validate_values, "activities": validate_activities, "assessment": validate_assessment,
              "document_number": validate_document_number}
# The report's own texts among them, each saved as it is checked.
TEXTS = ("assessment", "document_number")


def subject(report: Report) -> str:
    return audit.subject_of("report", report.id)


def expected_periods(plan: Plan) -> list[periods.Period]:
    """The periods the plan's template asks reports for, in its year."""
    return periods.periods_of_year(plan.year, plan.template.report_period_type)


def is_reportable(plan: Plan) -> bool:
    """Reports are written on an approved plan, also while an amendment of it is drafted."""
    return plan.status == PlanStatus.APPROVED or any(
        version.status == PlanStatus.APPROVED for version in plan.versions)


def create_report(plan: Plan, period_id: str, user=None) -> Report:
    if user is not None and user.role not in REPORT_CREATORS:
        raise TransitionRefused(_("Only the commune's users may write its reports."), status=403)
    if not is_reportable(plan):
        raise ReportError({"plan": _("Reports are written on an approved plan; this one is not approved yet.")})
    expected = {period.id for period in expected_periods(plan)}
    if period_id not in expected:
        raise ReportError({"period": _("Choose one of the plan's periods: %(periods)s.",
                                       periods=", ".join(sorted(expected)))})
    if queries.has_report(plan, period_id):  # or one being created at this moment: the unique key refuses it
        raise ReportError({"period": _("There is already a report for %(period)s.", period=period_id)})
    report = Report(plan=plan, unit_id=plan.unit_id, period=period_id)
    report.activities = [ReportActivity(activity=activity, unit_id=plan.unit_id) for activity in plan.activities]
    db.session.add(report)
    db.session.flush()
    audit.record(plan.unit_id, subject(report), "created", user,
                 [{"field": "period", "before": None, "after": period_id}])
    return report


def require_allowed(action: ReportAction, report: Report, user) -> None:
    """Refuse (403 for the role, 409 for the state) what the workflow table does not allow."""
    transition = TRANSITIONS[action]
    if user.role not in transition.roles:
        raise TransitionRefused(_("Your role may not do this."), status=403)
    if report.status not in transition.from_states:
        raise TransitionRefused(_("This cannot be done while the report is “%(status)s”.",
                                  status=report.status_enum.label))


def update_report(report: Report, user, expected_version, changes: dict) -> list[str]:
    """Apply `values` ([{indicator, sex, value}]), `activities` ([{activity, progress, note,
    budget_spent}]) and the `TEXTS`. Everything is checked first; returns the warnings."""
    require_allowed(ReportAction.EDIT, report, user)
    check_version(report, expected_version)
    if not isinstance(changes, dict):
        raise ReportError({"": _("Send a JSON object.")})
    checked, problems = {}, {}
    for name, validate in VALIDATORS.items():
        if name in changes:
            try:
                checked[name] = validate(report, changes[name])
            except ReportError as error:
                problems.update(error.fields)
    if problems:
        raise ReportError(problems)

    values, warnings = checked.get("values", ({}, []))
    recorded = (apply_figures(values, report.values, report.value, ReportValue, report.unit_id, "value")
                + _apply_activities(report, checked.get("activities", {})))
    recorded += audit.apply_changes(report, checked, TEXTS)
    if recorded:
        report.updated_at = utcnow()  # raises the version even when only child rows changed
        db.session.flush()
        audit.record(report.unit_id, subject(report), "edited", user, recorded)
    return warnings


def _apply_activities(report: Report, activities: dict) -> list[dict]:
    return [change for activity_id, fields in activities.items()
            for change in audit.apply_changes(report.progress_of(activity_id), fields, fields,
                                              f"activity:{activity_id}:")]


def _require_complete(report: Report) -> None:
    """No figures that break a rule go up to the district (`saved_values_problems`)."""
    if problems := saved_values_problems(report):
        raise ReportError(problems, message=_("Some figures must be completed before the report is submitted."))


def perform(report: Report, action: ReportAction | str, user, expected_version, comment: str = "") -> Report:
    """submit (late if first submitted after the period's deadline), accept, or return with a comment."""
    action = ReportAction(action)
    with workflow_transition(report, action, user, expected_version, comment, require_allowed=require_allowed,
                             transitions=TRANSITIONS, audit_subject=subject,
                             ready=_require_complete if action == ReportAction.SUBMIT else None) as (comment, now):
        if action == ReportAction.SUBMIT:
            if report.submitted_at is None:
                # The first submission meets the deadline or not: a return asks for corrections,
                # and sending them after the deadline does not make a report late. The deadline is
                # a day in Việt Nam: at 01:00 there it is still yesterday in UTC.
                deadline = periods.parse(report.period).deadline(report.plan.template.report_deadline_days)
                report.late = periods.local_today(now) > deadline
            report.submitted_at = now
            report.return_comment = ""
        else:
            report.decided_at = now
            if action == ReportAction.RETURN:
                report.return_comment = comment
    request_refresh(report.unit, report.period)
    return report
