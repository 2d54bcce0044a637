"""Reads of schedules and dispatches; the tenant guard limits them to the reader's subtree (a
commune never sees its district's reports, a province sees its districts')."""
from datetime import timedelta

from sqlalchemy import or_
from sqlalchemy.orm import joinedload, selectinload

from app import periods
from app.database import utcnow
from app.dispatches.models import Dispatch, DispatchFile, ReportSchedule
from app.extensions import db
from app.org_units.models import OrgUnit
from app.rollups.models import RollupState
from app.task_runs.models import RunState, TaskRun

# A send's run still unfinished this long after it was asked for lost its worker: the page stops
# waiting for it, and offers to send again (a second send never sends twice).
SENDING_RUN_PATIENCE = timedelta(minutes=10)


def schedules() -> list[ReportSchedule]:
    statement = db.select(ReportSchedule).options(
        joinedload(ReportSchedule.unit), joinedload(ReportSchedule.template)).order_by(ReportSchedule.id)
    return list(db.session.execute(statement).scalars())


def active_schedules() -> list[ReportSchedule]:
    """What beat looks at, with the templates its due times read."""
    return list(db.session.execute(db.select(ReportSchedule).options(joinedload(ReportSchedule.template))
                                   .where(ReportSchedule.active)).scalars())


def active_schedules_of(template_id: int, period_type: str) -> list[ReportSchedule]:
    return list(db.session.execute(db.select(ReportSchedule).where(
        ReportSchedule.active, ReportSchedule.template_id == template_id, ReportSchedule.period_type == period_type,
    ).order_by(ReportSchedule.id)).scalars())


def get_schedule(schedule_id: int) -> ReportSchedule | None:
    # A query, not session.get(): the identity map would skip the tenant guard.
    return db.session.execute(db.select(ReportSchedule).where(ReportSchedule.id == schedule_id)).scalar_one_or_none()


def get_dispatch(dispatch_id: int) -> Dispatch | None:
    return db.session.execute(db.select(Dispatch).where(Dispatch.id == dispatch_id)).scalar_one_or_none()


def dispatches(unit: OrgUnit | None = None, period: str | None = None) -> list[Dispatch]:
    """Newest first, with their files' names and checksums (not their content)."""
    statement = db.select(Dispatch).options(
        joinedload(Dispatch.unit), joinedload(Dispatch.schedule), selectinload(Dispatch.files)
    ).order_by(Dispatch.created_at.desc(), Dispatch.id.desc())
    if unit is not None:
        statement = statement.where(Dispatch.unit_id == unit.id)
    if period:
        statement = statement.where(Dispatch.period == period)
    return list(db.session.execute(statement).scalars())


def file_of(dispatch: Dispatch, name: str) -> DispatchFile | None:
    return db.session.execute(db.select(DispatchFile).options(joinedload(DispatchFile.dispatch)).where(
        DispatchFile.dispatch_id == dispatch.id, DispatchFile.name == name)).scalar_one_or_none()


def _district_states(dispatch: Dispatch) -> tuple:
    """The district's rollup states of the dispatch's period and of its year."""
    return (RollupState.unit_id == dispatch.unit_id,
            RollupState.period.in_([dispatch.period, str(periods.parse(dispatch.period).year)]))


def figures_changed_since_built(dispatch: Dispatch) -> bool:
    """Whether the district's figures for the dispatch's period (or its year) were computed
    again, or asked to be, after its files were built: a report accepted or returned since."""
    if dispatch.prepared_at is None:
        return False
    return db.session.execute(db.select(db.exists().where(
        *_district_states(dispatch),
        or_(RollupState.computed_at > dispatch.prepared_at, RollupState.requested_at > dispatch.prepared_at)))).scalar()


def figures_waiting(dispatch: Dispatch) -> bool:
    """Whether the district's figures for the dispatch's period (or its year) are asked to be
    computed and not yet computed: a report accepted or returned a moment ago."""
    return db.session.execute(db.select(db.exists().where(
        *_district_states(dispatch), RollupState.requested_at.is_not(None),
        or_(RollupState.computed_at.is_(None), RollupState.requested_at > RollupState.computed_at)))).scalar()


def sending_run(dispatch: Dispatch) -> TaskRun | None:
    """The run of the last "send" of the dispatch while it goes on: what its page shows."""
    if not dispatch.task_id:
        return None
    return db.session.execute(db.select(TaskRun).where(
        TaskRun.celery_id == dispatch.task_id, TaskRun.state.in_([RunState.QUEUED, RunState.RUNNING]),
        TaskRun.created_at > utcnow() - SENDING_RUN_PATIENCE)).scalar_one_or_none()
