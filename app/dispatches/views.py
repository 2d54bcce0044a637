"""The district office's reports to the province: its schedules, the reports prepared and sent
("sent reports"), one report's page (files, paragraphs, send), and the files themselves.

Writes are the office's (district officers, admins); a province viewer reads the reports of
the districts below it; commune users have no business here (403)."""
import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app import periods
from app.auth.models import Role
from app.auth.permissions import roles_required
from app.dispatches import queries, services
from app.dispatches.due import due_at
from app.dispatches.forms import ConfirmForm, NarrativeForm, ScheduleForm, SendNowForm
from app.dispatches.models import DispatchState, SendMode
from app.dispatches.validation import ScheduleError, period_types_of
from app.errors import or_404
from app.extensions import db
from app.forms import options
from app.plan_templates.models import PeriodType
from app.plan_templates.queries import get_template, may_author, visible_templates
from app.reports.pages import period_label
from app.task_runs.services import UNSENT
from tasks import send_after_commit, was_refused
from tasks.dispatches import build_dispatch

dispatches = Blueprint("dispatches", __name__, url_prefix="/dispatches", template_folder="templates")

WRITERS = (Role.DISTRICT_OFFICER, Role.ADMIN)
READERS = (*WRITERS, Role.DISTRICT_ADMIN, Role.PROVINCE_VIEWER)
SERVICE_CHECKED_CHOICES = ("period_type", "formats", "mode")


def _refused(refused: services.DispatchRefused, back: str):
    db.session.rollback()
    if refused.status == 403:
        abort(403)
    flash(refused.message, "danger")
    return redirect(back)


@dispatches.route("")
@roles_required(*READERS)
def index():
    found = queries.dispatches()
    schedules = queries.schedules()
    return render_template("dispatches/index.html", dispatches=found, schedules=schedules,
                           may_write=current_user.has_role(*WRITERS), send_form=SendNowForm(formdata=None),
                           periods_of=lambda schedule: periods.periods_of_year(schedule.template.year,
                                                                               schedule.period_type),
                           due_at=due_at, period_label=period_label, type_labels=dict(PeriodType.choices()))


def _schedulable_templates():
    return [template for template in visible_templates(current_user)
            if template.is_published and may_author(current_user, template.unit)]


def _schedule_form(schedule=None) -> ScheduleForm:
    form = ScheduleForm(obj=schedule) if request.method == "GET" and schedule else ScheduleForm()
    templates = [schedule.template] if schedule else _schedulable_templates()
    form.template_id.choices = options((template.id, f"{template.unit.name} · {template.year} · {template.title}")
                                        for template in templates)
    # Every period type of the templates offered (the page does not change the list when the
    # officer picks another template); the service says which ones the chosen template has.
    kinds = dict.fromkeys(kind for template in templates for kind in period_types_of(template))
    form.period_type.choices = options((kind, PeriodType(kind).label) for kind in kinds or ["quarter", "year"])
    for name in SERVICE_CHECKED_CHOICES:
        getattr(form, name).validate_choice = False
    if schedule and request.method == "GET":
        form.formats.data = [file_format.value for file_format in schedule.format_list]
    return form


def _submitted(form: ScheduleForm) -> bool:
    """Posted with its CSRF token and a template of the list. The other fields are the
    service's to check (validation.py, shared with the API): it finds every problem at once and
    names each in the user's language."""
    return request.method == "POST" and form.validate_on_submit()


def _schedule_data(form: ScheduleForm) -> dict:
    return {"period_type": form.period_type.data, "days_after_deadline": form.days_after_deadline.data,
            "recipient_name": form.recipient_name.data, "recipient_emails": form.recipient_emails.data,
            "formats": form.formats.data, "mode": form.mode.data, "active": bool(form.active.data)}


def _save_schedule(form: ScheduleForm, write, schedule=None):
    try:
        saved = write()
    except services.DispatchRefused as refused:
        return _refused(refused, url_for(".index"))
    except ScheduleError as error:
        db.session.rollback()
        for name, message in error.fields.items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
        return render_template("dispatches/schedule.html", form=form, schedule=schedule), 422
    db.session.commit()
    flash(_("The schedule was saved."), "success")
    return redirect(url_for(".index", _anchor=f"schedule-{saved.id}"))


@dispatches.route("/schedules/new", methods=["GET", "POST"])
@roles_required(*WRITERS)
def new_schedule():
    form = _schedule_form()
    if not form.template_id.choices:
        flash(_("Publish a template first: a schedule sends the figures of a template's reports."), "warning")
        return redirect(url_for(".index"))
    if _submitted(form):
        template = or_404(get_template(form.template_id.data, current_user))
        return _save_schedule(form, lambda: services.create_schedule(template, _schedule_data(form), current_user))
    status = 422 if request.method == "POST" else 200
    return render_template("dispatches/schedule.html", form=form, schedule=None), status


@dispatches.route("/schedules/<int:schedule_id>/edit", methods=["GET", "POST"])
@roles_required(*WRITERS)
def edit_schedule(schedule_id: int):
    schedule = or_404(queries.get_schedule(schedule_id))
    form = _schedule_form(schedule)
    form.template_id.data = schedule.template_id
    if _submitted(form):
        return _save_schedule(form, lambda: services.update_schedule(schedule, _schedule_data(form), current_user),
                              schedule)
    status = 422 if request.method == "POST" else 200
    return render_template("dispatches/schedule.html", form=form, schedule=schedule), status


@dispatches.route("/schedules/<int:schedule_id>/send-now", methods=["POST"])
@roles_required(*WRITERS)
def send_now(schedule_id: int):
    """Build (if needed) and send one period's report, through the same tasks as beat's."""
    schedule = or_404(queries.get_schedule(schedule_id))
    form = SendNowForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        dispatch = services.dispatch_now(schedule, form.period.data or "", current_user)
    except services.DispatchRefused as refused:
        return _refused(refused, url_for(".index"))
    return _sent_in_background(dispatch, _("The report is being prepared and sent."))


def _sent_in_background(dispatch, started: str):
    """Build (if needed) and send after the commit, with a run to follow; the page says it
    started, or that the workers could not be reached (the report stays as it was)."""
    run = services.start_sending(dispatch, current_user)
    send_after_commit(build_dispatch, dispatch.id, True, run.id, task_id=run.celery_id)
    db.session.commit()
    if was_refused(run.celery_id):
        flash(str(UNSENT), "danger")
    else:
        flash(started, "info")
    return redirect(url_for(".show", dispatch_id=dispatch.id))


@dispatches.route("/<int:dispatch_id>")
@roles_required(*READERS)
def show(dispatch_id: int):
    dispatch = or_404(queries.get_dispatch(dispatch_id))
    return _show_page(dispatch, NarrativeForm(formdata=None, narrative=dispatch.narrative))


def _show_page(dispatch, narrative_form: NarrativeForm, narrative_error: str = "", status: int = 200):
    interrupted = services.is_interrupted(dispatch)
    run = queries.sending_run(dispatch)  # while a send goes on, the page follows it
    working = (dispatch.state in (DispatchState.PREPARING, DispatchState.SENDING) or run is not None) and not interrupted
    sendable = dispatch.state in services.SENDABLE and run is None
    return render_template("dispatches/show.html", dispatch=dispatch, working=working, narrative_form=narrative_form,
                           narrative_error=narrative_error,
                           confirm_form=ConfirmForm(formdata=None), period_label=period_label,
                           may_write=current_user.has_role(*WRITERS) and may_author(current_user, dispatch.unit),
                           sendable=sendable, run=run, review=dispatch.schedule.mode == SendMode.REVIEW,
                           progress=_progress(dispatch), interrupted=interrupted,
                           figures_changed=sendable and queries.figures_changed_since_built(dispatch)), status


def _progress(dispatch) -> int:
    """The page's bar: building, then sending, then done."""
    return {DispatchState.PREPARING: 25, DispatchState.PREPARED: 50, DispatchState.SENDING: 75,
            DispatchState.SENT: 100, DispatchState.FAILED: 50}[dispatch.state_enum]


@dispatches.route("/<int:dispatch_id>/narrative", methods=["POST"])
@roles_required(*WRITERS)
def edit_narrative(dispatch_id: int):
    dispatch = or_404(queries.get_dispatch(dispatch_id))
    form = NarrativeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.update_narrative(dispatch, form.narrative.data or "", current_user)
    except services.DispatchRefused as refused:
        return _refused(refused, url_for(".show", dispatch_id=dispatch.id))
    except ScheduleError as error:
        db.session.rollback()
        # The page again with what was typed: a redirect would lose paragraphs 20,000 characters long.
        return _show_page(dispatch, form, error.fields["narrative"], status=422)
    send_after_commit(build_dispatch, dispatch.id)
    db.session.commit()
    flash(_("The paragraphs were saved; the Word file is being built again."), "success")
    return redirect(url_for(".show", dispatch_id=dispatch.id))


@dispatches.route("/<int:dispatch_id>/send", methods=["POST"])
@roles_required(*WRITERS)
def send(dispatch_id: int):
    dispatch = or_404(queries.get_dispatch(dispatch_id))
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.dispatch_now(dispatch.schedule, dispatch.period, current_user)
    except services.DispatchRefused as refused:
        return _refused(refused, url_for(".show", dispatch_id=dispatch.id))
    return _sent_in_background(dispatch, _("The report is being sent."))


@dispatches.route("/<int:dispatch_id>/release", methods=["POST"])
@roles_required(*WRITERS)
def release(dispatch_id: int):
    dispatch = or_404(queries.get_dispatch(dispatch_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.release_interrupted(dispatch, current_user)
    except services.DispatchRefused as refused:
        return _refused(refused, url_for(".show", dispatch_id=dispatch.id))
    db.session.commit()
    flash(_("The report may be sent again."), "info")
    return redirect(url_for(".show", dispatch_id=dispatch.id))


@dispatches.route("/<int:dispatch_id>/files/<name>")
@roles_required(*READERS)
def download(dispatch_id: int, name: str):
    dispatch = or_404(queries.get_dispatch(dispatch_id))
    file = or_404(queries.file_of(dispatch, name))
    return send_file(io.BytesIO(file.content), mimetype=file.content_type, as_attachment=True,
                     download_name=file.name, etag=file.sha256)
