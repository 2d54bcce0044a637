"""Writing schedules and dispatches; services flush, the request or the task commits.

A dispatch goes preparing → prepared (its files built) → sending → sent, or → failed (and
back to sending when retried). Sending is claimed by one conditional UPDATE, committed before
the e-mail leaves: a second tick, a retried task or a worker that died after sending finds it
claimed and sends nothing, so a report never goes twice."""
import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from app import periods
from app.audit import services as audit
from app.database import utcnow
from app.dispatches import due, queries
from app.dispatches.models import (
    Dispatch,
    DispatchFile,
    DispatchState,
    FileFormat,
    ReportSchedule,
    SendMode,
    split_emails,
)
from app.dispatches.validation import ScheduleError, validate_schedule
from app.extensions import db
from app.i18n import format_moment, in_every_language
from app.plan_templates.models import PeriodType, PlanTemplate
from app.plan_templates.queries import may_author
from app.plans.validation import clean_text
from app.task_runs import services as runs
from app.task_runs.models import TaskRun

CONTENT_TYPES = {
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SENDABLE = (DispatchState.PREPARED.value, DispatchState.FAILED.value)
# A send takes seconds (the SMTP timeout is 30 s); one claimed this long ago was interrupted.
SENDING_TIMEOUT = timedelta(minutes=10)


class DispatchRefused(Exception):
    """A step the dispatch's state or the user's role does not allow; `status` 403 or 409."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message, self.status = message, status


def _require_author(user, template: PlanTemplate) -> None:
    if not may_author(user, template.unit):
        raise DispatchRefused(_("Only the district's office may schedule its reports."), 403)


# --- schedules -------------------------------------------------------------------------------

def _refuse_a_second_sender(template: PlanTemplate, fields: dict, besides: ReportSchedule | None = None) -> None:
    """Two active schedules of one template and period type sending to the same address would
    e-mail it each report twice: the second is refused, naming the first."""
    if not fields["active"]:
        return
    addresses = {email.lower() for email in split_emails(fields["recipient_emails"])}
    for other in queries.active_schedules_of(template.id, fields["period_type"]):
        if other is not besides and (shared := sorted(addresses & {email.lower() for email in other.emails})):
            raise ScheduleError({"recipient_emails": _(
                "The schedule sending these reports to %(office)s already sends them to %(emails)s: change that "
                "one instead.", office=other.recipient_name, emails=", ".join(shared))})


def create_schedule(template: PlanTemplate, data: dict, user) -> ReportSchedule:
    _require_author(user, template)
    fields = validate_schedule(template, data)
    _refuse_a_second_sender(template, fields)
    schedule = ReportSchedule(unit_id=template.unit_id, template=template, **fields)
    db.session.add(schedule)
    db.session.flush()
    audit.record(template.unit_id, audit.subject_of("schedule", schedule.id), "create", user)
    return schedule


def update_schedule(schedule: ReportSchedule, data: dict, user) -> ReportSchedule:
    _require_author(user, schedule.template)
    fields = validate_schedule(schedule.template, data)
    _refuse_a_second_sender(schedule.template, fields, besides=schedule)
    for name, value in fields.items():
        setattr(schedule, name, value)
    db.session.flush()
    audit.record(schedule.unit_id, audit.subject_of("schedule", schedule.id), "update", user)
    return schedule


# --- dispatches ------------------------------------------------------------------------------

def _new_dispatch(schedule: ReportSchedule, period_id: str) -> Dispatch | None:
    """The dispatch, or None when one exists already (the unique key decides, not a read)."""
    try:
        with db.session.begin_nested():
            dispatch = Dispatch(unit_id=schedule.unit_id, schedule=schedule, period=period_id)
            db.session.add(dispatch)
    except IntegrityError:
        return None
    return dispatch


def prepare_due(schedules: list[ReportSchedule], now: datetime | None = None) -> list[Dispatch]:
    """A dispatch for every due period of the active schedules that has none yet; a tick that
    comes late (beat was down) catches up on every period it missed."""
    now = now or utcnow()
    existing = {(dispatch.schedule_id, dispatch.period) for dispatch in db.session.execute(
        db.select(Dispatch).where(Dispatch.schedule_id.in_([schedule.id for schedule in schedules]))).scalars()}
    created = []
    for schedule in schedules:
        if not schedule.active:
            continue
        for period_id in due.due_periods(schedule, now):
            if (schedule.id, period_id) not in existing and (dispatch := _new_dispatch(schedule, period_id)):
                created.append(dispatch)
    db.session.flush()
    return created


def dispatch_now(schedule: ReportSchedule, period_id: str, user) -> Dispatch:
    """The officer's "send now": the period's dispatch, made if missing; it is then built (if
    not yet) and sent through the same tasks as beat's."""
    _require_author(user, schedule.template)
    if period_id not in [period.id for period in periods.periods_of_year(schedule.template.year,
                                                                         schedule.period_type)]:
        raise DispatchRefused(_("This schedule sends %(type)s reports of %(year)s.",
                                type=PeriodType(schedule.period_type).label.lower(), year=schedule.template.year), 422)
    dispatch = _new_dispatch(schedule, period_id) or db.session.execute(db.select(Dispatch).where(
        Dispatch.schedule_id == schedule.id, Dispatch.period == period_id)).scalar_one()
    if dispatch.state == DispatchState.SENT:
        raise DispatchRefused(_("This report was sent on %(when)s; it is never sent twice.",
                                when=format_moment(dispatch.sent_at)))
    if dispatch.state == DispatchState.SENDING or queries.sending_run(dispatch) is not None:
        # A second "send" while the first is built or waits for the figures would only fail.
        raise DispatchRefused(_("This report is being sent."))
    db.session.flush()
    audit.record(dispatch.unit_id, audit.subject_of("dispatch", dispatch.id), "send_now", user)
    return dispatch


def start_sending(dispatch: Dispatch, user) -> TaskRun:
    """The run the officer (or the API client) follows while the report is built and sent."""
    run = runs.create_run("send_dispatch", dispatch.unit_id, getattr(user, "id", None), str(dispatch.id))
    dispatch.task_id = run.celery_id
    db.session.flush()
    return run


def update_narrative(dispatch: Dispatch, narrative: str, user) -> Dispatch:
    """The officer's paragraphs; the Word file is built again from them."""
    _require_author(user, dispatch.schedule.template)
    if dispatch.state not in SENDABLE:
        raise DispatchRefused(_("Only a prepared report can be changed."))
    errors: dict[str, str] = {}
    text = clean_text(narrative, 20_000, "narrative", errors)
    if errors:
        raise ScheduleError(errors)
    dispatch.narrative = text
    dispatch.state = DispatchState.PREPARING
    db.session.flush()
    audit.record(dispatch.unit_id, audit.subject_of("dispatch", dispatch.id), "edit_narrative", user)
    return dispatch


@dataclass(frozen=True)
class BuiltFile:
    name: str
    content_type: str
    content: bytes


def file_name(dispatch: Dispatch, file_format: FileFormat) -> str:
    return f"bao-cao-{dispatch.unit.code}-{dispatch.period}.{file_format.value}"


def attach_files(dispatch: Dispatch, built: list[BuiltFile], now: datetime | None = None) -> None:
    """Replace the dispatch's files (a rebuild after a crash starts over) and mark it prepared."""
    dispatch.files.clear()
    db.session.flush()
    for file in built:
        dispatch.files.append(DispatchFile(
            unit_id=dispatch.unit_id, name=file.name, content_type=file.content_type, content=file.content,
            size=len(file.content), sha256=hashlib.sha256(file.content).hexdigest()))
    dispatch.state = DispatchState.PREPARED
    dispatch.prepared_at = now or utcnow()
    dispatch.error_messages = {}
    db.session.flush()


def claim_for_sending(dispatch_id: int) -> bool:
    """Prepared or failed → sending, in one statement; False when someone else has it (or it
    went already). The caller commits before sending."""
    result = db.session.execute(
        update(Dispatch).where(Dispatch.id == dispatch_id, Dispatch.state.in_(SENDABLE))
        .values(state=DispatchState.SENDING.value, attempts=Dispatch.attempts + 1, error_messages={},
                sending_since=utcnow())
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def mark_sent(dispatch: Dispatch, now: datetime | None = None) -> None:
    dispatch.state = DispatchState.SENT
    dispatch.sent_at = now or utcnow()
    dispatch.error_messages = {}
    db.session.flush()
    audit.record(dispatch.unit_id, audit.subject_of("dispatch", dispatch.id), "sent")


def is_interrupted(dispatch: Dispatch, now: datetime | None = None) -> bool:
    """Claimed for sending long ago and never finished: the worker died before or after the
    e-mail left, which nothing here can tell."""
    return (dispatch.state == DispatchState.SENDING and dispatch.sending_since is not None
            and (now or utcnow()) - dispatch.sending_since > SENDING_TIMEOUT)


def release_interrupted(dispatch: Dispatch, user) -> None:
    """The officer, having checked with the recipient that nothing arrived, allows sending
    again; until then an interrupted report is never sent a second time."""
    _require_author(user, dispatch.schedule.template)
    if not is_interrupted(dispatch):
        raise DispatchRefused(_("Only a report whose sending was interrupted can be released."))
    mark_failed(dispatch, _l("Sending was interrupted; the office released it to be sent again."))
    audit.record(dispatch.unit_id, audit.subject_of("dispatch", dispatch.id), "release_interrupted", user)


def mark_failed(dispatch: Dispatch, why) -> None:
    """Kept as built; the failure (a lazy string: each reader reads it in their language) is
    shown and the send is retried (the same claim)."""
    dispatch.state = DispatchState.FAILED
    dispatch.error_messages = in_every_language(why)
    db.session.flush()


def sends_automatically(dispatch: Dispatch) -> bool:
    """An automatic schedule sends what beat prepares, once built; files built again for new
    paragraphs wait for the officer's "send"."""
    return dispatch.schedule.mode == SendMode.AUTOMATIC and dispatch.prepared_at is None
