"""API: the district office's reports to the province. /api/v1/report-schedules (list,
create), /api/v1/dispatches (list by unit and period; POST = "send now", 202 with the run to
follow at /api/v1/tasks/{id}), one dispatch, and its files. Views parse, call
app.dispatches.services and commit once; the tenant guard scopes every read."""
import io

from flask import jsonify, request, send_file, url_for
from flask_babel import gettext as _

from app import periods
from app.api.request_body import (
    json_object,
    not_an_object,
    unknown_fields,
    whole_number,
)
from app.api.serializers import iso
from app.api.views import api, token_required
from app.api.workflow_responses import save_write
from app.auth.models import Role
from app.auth.sessions import request_user
from app.dispatches import queries, services
from app.dispatches.models import Dispatch, ReportSchedule
from app.errors import api_error, or_404
from app.extensions import db
from app.org_units.queries import get_by_code
from app.plan_templates.queries import get_template
from app.task_runs.services import UNSENT
from tasks import send_after_commit, was_refused
from tasks.dispatches import build_dispatch

WRITERS = (Role.DISTRICT_OFFICER, Role.ADMIN)
READERS = (*WRITERS, Role.DISTRICT_ADMIN, Role.PROVINCE_VIEWER)
SCHEDULE_FIELDS = ("template", "period_type", "days_after_deadline", "recipient_name", "recipient_emails", "formats",
                   "mode", "active")


def schedule_json(schedule: ReportSchedule) -> dict:
    return {"id": schedule.id, "unit": schedule.unit.code, "template": schedule.template_id,
            "period_type": schedule.period_type, "days_after_deadline": schedule.days_after_deadline,
            "recipient_name": schedule.recipient_name, "recipient_emails": schedule.emails,
            "formats": [file_format.value for file_format in schedule.format_list], "mode": schedule.mode,
            "active": schedule.active}


def dispatch_json(dispatch: Dispatch) -> dict:
    return {
        "id": dispatch.id, "unit": dispatch.unit.code, "schedule": dispatch.schedule_id, "period": dispatch.period,
        "state": dispatch.state, "error": dispatch.error or None, "attempts": dispatch.attempts,
        "created_at": iso(dispatch.created_at), "prepared_at": iso(dispatch.prepared_at), "sent_at": iso(dispatch.sent_at),
        "files": [{"name": file.name, "content_type": file.content_type, "size": file.size, "sha256": file.sha256,
                   "links": {"self": url_for("api.get_dispatch_file", dispatch_id=dispatch.id, name=file.name)}}
                  for file in dispatch.files],
        "links": {"self": url_for("api.get_dispatch", dispatch_id=dispatch.id)},
    }


def _refused_role(roles) -> object | None:
    if not request_user().has_role(*roles):
        return api_error(403, _("Only the district's office and the province read or send these reports."))
    return None


def _refusal(refused: services.DispatchRefused):
    db.session.rollback()
    if refused.status == 422:
        return api_error(422, refused.message, {"period": refused.message})
    return api_error(refused.status, refused.message)


@api.get("/report-schedules")
@token_required
def list_report_schedules():
    if refused := _refused_role(READERS):
        return refused
    return jsonify({"items": [schedule_json(schedule) for schedule in queries.schedules()]})


@api.post("/report-schedules")
@token_required
def create_report_schedule():
    if refused := _refused_role(WRITERS):
        return refused
    body = json_object()
    if body is None:
        return not_an_object()
    if unknown := unknown_fields(body, SCHEDULE_FIELDS):
        return unknown  # a misspelt "activ" would leave the schedule active, unseen
    template_id = whole_number(body.get("template"))
    template = get_template(template_id, request_user()) if template_id is not None else None
    # A draft changes until it is published: a schedule sends the figures of a published one.
    if template is None or not template.is_published:
        return api_error(422, fields={"template": _("Send the id of a published template of your unit.")})
    try:
        return save_write(lambda: services.create_schedule(template, body, request_user()),
                          lambda schedule: (jsonify(schedule_json(schedule)), 201))
    except services.DispatchRefused as refused:
        return _refusal(refused)


@api.get("/dispatches")
@token_required
def list_dispatches():
    if refused := _refused_role(READERS):
        return refused
    code, period_id = request.args.get("unit", "").strip(), request.args.get("period", "").strip()
    if period_id and not periods.is_period(period_id):
        return api_error(422, fields={"period": _("Send a period such as 2023Q3, 2023S1, 2023 or 202304.")})
    unit = or_404(get_by_code(code)) if code else None
    return jsonify({"items": [dispatch_json(dispatch) for dispatch in queries.dispatches(unit, period_id or None)]})


@api.post("/dispatches")
@token_required
def send_dispatch_now():
    """Build (if needed) and send one period's report of a schedule; 202 with the run."""
    if refused := _refused_role(WRITERS):
        return refused
    body = json_object()
    if body is None:
        return not_an_object()
    if unknown := unknown_fields(body, ("schedule", "period")):
        return unknown
    schedule_id = whole_number(body.get("schedule"))
    schedule = queries.get_schedule(schedule_id) if schedule_id is not None else None
    if schedule is None:
        return api_error(422, fields={"schedule": _("Send the id of one of your schedules.")})
    period_id = body.get("period")
    if not isinstance(period_id, str) or not periods.is_period(period_id):
        return api_error(422, fields={"period": _("Send a period such as 2023Q3, 2023S1, 2023 or 202304.")})
    try:
        dispatch = services.dispatch_now(schedule, period_id, request_user())
    except services.DispatchRefused as refused:
        return _refusal(refused)
    run = services.start_sending(dispatch, request_user())
    send_after_commit(build_dispatch, dispatch.id, True, run.id, task_id=run.celery_id)
    db.session.commit()
    if was_refused(run.celery_id):
        return api_error(503, str(UNSENT))
    return jsonify({"task_id": run.id, "dispatch": dispatch.id,
                    "links": {"task": url_for("api.get_task", run_id=run.id),
                              "dispatch": url_for("api.get_dispatch", dispatch_id=dispatch.id)}}), 202


@api.get("/dispatches/<int:dispatch_id>")
@token_required
def get_dispatch(dispatch_id: int):
    if refused := _refused_role(READERS):
        return refused
    return jsonify(dispatch_json(or_404(queries.get_dispatch(dispatch_id))))


@api.get("/dispatches/<int:dispatch_id>/files/<name>")
@token_required
def get_dispatch_file(dispatch_id: int, name: str):
    if refused := _refused_role(READERS):
        return refused
    dispatch = or_404(queries.get_dispatch(dispatch_id))
    file = or_404(queries.file_of(dispatch, name))
    return send_file(io.BytesIO(file.content), mimetype=file.content_type, as_attachment=True,
                     download_name=file.name, etag=file.sha256)
