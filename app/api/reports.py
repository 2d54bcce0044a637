"""API: progress reports, /api/v1/plans/<id>/reports and /api/v1/reports. Views parse the
request, call app.reports.services and commit once, as app/api/plans.py does.

Every write names the `version` it was based on; a stale one gets 409 with the saved report
in `error.current`. Field names in `error.fields` follow the JSON the client sends
(`values.<code>.<total|male|female>`, `activities.<activity id>.<progress|note|budget_spent>`).
"""
from collections.abc import Callable

from flask import jsonify, url_for
from flask_babel import gettext as _

from app import periods
from app.api.request_body import (
    json_object,
    not_an_object,
    unknown_fields,
    versioned_body_error,
)
from app.api.serializers import iso
from app.api.views import api, token_required
from app.api.workflow_responses import (
    refused_step,
    save_write,
    stale_version,
    workflow_step,
)
from app.auth.sessions import request_user
from app.errors import api_error, or_404
from app.plans import queries as plan_queries
from app.plans.document import MIMETYPES, download
from app.plans.serializers import number_json
from app.reports import document as report_document
from app.reports import queries as report_queries
from app.reports import services
from app.reports.models import Report, ReportStatus
from app.reports.validation import saved_values_problems
from app.reports.workflow import REPORT_CREATORS, ReportAction, state_allows

SEX_ORDER = {None: 0, "male": 1, "female": 2}
# A period is closed once its report has reached the district.
SENT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


# --- shapes -----------------------------------------------------------------------------

def report_summary(report: Report) -> dict:
    return {"id": report.id, "period": report.period, "status": report.status, "late": report.late,
            "version": report.version, "submitted_at": iso(report.submitted_at),
            "decided_at": iso(report.decided_at),
            "links": {"self": url_for("api.get_report", report_id=report.id)}}


def report_json(report: Report) -> dict:
    values = sorted(report.values, key=lambda row: (row.indicator.position, SEX_ORDER.get(row.sex, 3)))
    activities = sorted(report.activities, key=lambda row: (row.activity.position, row.activity_id))
    return {
        "id": report.id, "plan": report.plan_id, "unit": report.unit.code, "period": report.period,
        "status": report.status, "late": report.late, "version": report.version,
        "submitted_at": iso(report.submitted_at), "decided_at": iso(report.decided_at),
        "return_comment": report.return_comment or None,
        "values": [{"indicator": row.indicator.code, "sex": row.sex, "value": number_json(row.value)}
                   for row in values],
        "activities": [{"activity": row.activity_id, "name": row.activity.name, "progress": row.progress,
                        "note": row.note, "budget_spent": row.budget_spent_vnd} for row in activities],
        "assessment": report.assessment, "document_number": report.document_number,
        "incomplete": incomplete(report),
        "links": {"self": url_for("api.get_report", report_id=report.id),
                  "plan": url_for("api.get_plan", plan_id=report.plan_id),
                  "document.docx": url_for("api.report_document_docx", report_id=report.id),
                  "document.pdf": url_for("api.report_document_pdf", report_id=report.id)},
    }


def incomplete(report: Report) -> dict[str, str]:
    """While the report can be submitted: its saved figures that hold the submission (saved
    before a rule they break, such as one sex alone), by field, as the submission's 422 names
    them, so that a client learns of them when it opens the report."""
    if not state_allows(ReportAction.SUBMIT, report.status):
        return {}
    return {field: str(message) for field, message in saved_values_problems(report).items()}


# --- answering a write ------------------------------------------------------------------

def refusal(action: ReportAction, report: Report, user):
    return refused_step(services.require_allowed, action, report, user)


def stale(report: Report):
    return stale_version(_("Someone else changed this report in the meantime. Nothing was "
                           "saved; the report as it is now is in `current`."), report_json(report))


def saved(report: Report, result):
    """The saved report, with the warnings of an edit (what update_report returns) if any."""
    body = report_json(report)
    if isinstance(result, list):
        body["warnings"] = [str(warning) for warning in result]
    return jsonify(body)


def save(report: Report, write: Callable[[], object]):
    """Run a service write and commit it, or answer its refusal having changed nothing."""
    return save_write(write, lambda result: saved(report, result), lambda: stale(report))


# --- a plan's reports -------------------------------------------------------------------

@api.get("/plans/<int:plan_id>/reports")
@token_required
def list_plan_reports(plan_id: int):
    """Each period the plan reports on, with its state and its report (or null)."""
    plan = or_404(plan_queries.get_plan(plan_id))
    reports = report_queries.readable_reports_by_period(plan)
    deadline_days = plan.template.report_deadline_days
    today = periods.local_today()
    items = []
    for period in services.expected_periods(plan):
        report = reports.get(period.id)
        sent = report is not None and report.status in SENT_STATUSES
        items.append({"period": period.id, "state": period.state(today, deadline_days, sent),
                      "deadline": period.deadline(deadline_days).isoformat(),
                      "report": report_summary(report) if report else None})
    return jsonify({"items": items})


@api.post("/plans/<int:plan_id>/reports")
@token_required
def create_report(plan_id: int):
    plan, user = or_404(plan_queries.get_plan(plan_id)), request_user()
    # The role is refused before the body is read, as on every write.
    if user.role not in REPORT_CREATORS:
        return api_error(403, _("Only the commune's users may write its reports."))
    body = json_object()
    if body is None:
        return not_an_object()
    if unknown := unknown_fields(body, ("period",)):  # figures are written once the report exists
        return unknown
    period_id = body.get("period")
    if not isinstance(period_id, str) or not periods.is_period(period_id):
        return api_error(422, fields={"period": _("Send a period such as 2023Q3, 2023S1, 2023 or 202304.")})
    period_id = period_id.strip()
    return save_write(
        lambda: services.create_report(plan, period_id, user),
        lambda report: (jsonify(report_json(report)), 201, {"Location": url_for("api.get_report", report_id=report.id)}),
        # Someone created the report for this period at the same moment: answered as if it were
        # there before.
        duplicate=lambda: api_error(422, fields={"period": _("There is already a report for %(period)s.",
                                                             period=period_id)}))


# --- one report -------------------------------------------------------------------------

@api.get("/reports/<int:report_id>")
@token_required
def get_report(report_id: int):
    return jsonify(report_json(or_404(report_queries.get_report(report_id))))


def report_changes(body: dict) -> tuple[dict, dict]:
    changes = {name: body[name] for name in services.VALIDATORS if name in body}
    errors = {name: _("This field cannot be changed here.")
              for name in body if name != "version" and name not in services.VALIDATORS}
    return changes, errors


@api.patch("/reports/<int:report_id>")
@token_required
def update_report(report_id: int):
    report, user = or_404(report_queries.get_report(report_id)), request_user()
    if refused := refusal(ReportAction.EDIT, report, user):
        return refused
    body = json_object()
    if problem := versioned_body_error(body):
        return problem
    changes, errors = report_changes(body)
    if errors:
        return api_error(422, fields=errors)
    return save(report, lambda: services.update_report(report, user, body["version"], changes))


def transition(report_id: int, action: ReportAction):
    report = or_404(report_queries.get_report(report_id))
    return workflow_step(report, action, services.require_allowed, services.perform,
                         lambda write: save(report, write))


@api.post("/reports/<int:report_id>/submit")
@token_required
def submit_report(report_id: int):
    return transition(report_id, ReportAction.SUBMIT)


@api.post("/reports/<int:report_id>/accept")
@token_required
def accept_report(report_id: int):
    return transition(report_id, ReportAction.ACCEPT)


@api.post("/reports/<int:report_id>/return")
@token_required
def return_report(report_id: int):
    return transition(report_id, ReportAction.RETURN)


# --- the document -----------------------------------------------------------------------

def document_file(report_id: int, extension: str):
    report = or_404(report_queries.get_report(report_id))
    render = report_document.render_docx if extension == "docx" else report_document.render_pdf
    return download(render(report), MIMETYPES[extension], report_document.document_filename(report, extension))


@api.get("/reports/<int:report_id>/document.docx")
@token_required
def report_document_docx(report_id: int):
    return document_file(report_id, "docx")


@api.get("/reports/<int:report_id>/document.pdf")
@token_required
def report_document_pdf(report_id: int):
    return document_file(report_id, "pdf")
