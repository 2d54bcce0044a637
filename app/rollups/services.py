"""Writing rollups. A report's submission, acceptance or return calls `request_refresh`,
which marks the rollups of every unit above the commune as waiting for newer data and sends
one task, after the commit, that recomputes them bottom-up (`refresh_ancestors`). A commune's
own figures are read from its reports when needed (app/rollups/commune_figures.py), so only
the units above it are written. `request_rebuild` asks for a rebuild of a whole subtree
(app/rollups/rebuild.py). The SQL is in app/rollups/engine.py and completeness.py,
PostgreSQL's locks and planner settings in locks.py and planner.py; everything runs in the
caller's transaction (the task commits once), so a worker killed midway leaves the last
committed rows, and the redelivered task computes them again."""
import functools
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import DateTime, Integer, String, bindparam, select

from app import periods
from app.database import utcnow
from app.extensions import db
from app.org_units.models import OrgUnit
from app.org_units.queries import ancestors_of
from app.rollups import commune_figures, completeness, engine, locks, planner, queries
from app.task_runs import services as runs
from app.task_runs.models import TaskRun
from tenants import system_scope


def affected_periods(*period_ids: str) -> list[str]:
    """The periods and their years (a period's figures also count in its year): the shorter
    periods first, then the years, each in order."""
    found = set(period_ids) | {str(periods.parse(period_id).year) for period_id in period_ids}
    return sorted(found, key=lambda period_id: (periods.is_year(period_id), period_id))


def request_refresh(unit: OrgUnit, *period_ids: str) -> None:
    """Mark the rollups of the commune's ancestors for the periods (and their years) as
    waiting, and send a refresh per period after the commit. The marks are written across
    tenants: a commune leader's submission makes the district's figures out of date. (Ask for
    every period of one transaction in one call: the locks are then taken in one order.)"""
    from tasks import send_after_commit
    from tasks.rollups import refresh_rollups

    _mark_waiting(ancestors_of(unit), period_ids, "a commune's report makes the rollups above it out of date")
    for period_id in period_ids:
        send_after_commit(refresh_rollups, unit.id, period_id)


RESENT_PER_TICK = 500  # the oldest first; a long outage is caught up over a few ticks


def resend_overdue_refreshes(now: datetime | None = None) -> int:
    """Send again, after the commit, the refreshes of the rollups still waiting
    ROLLUP_OVERDUE_SECONDS after they were asked for: their refresh never ran (the broker was
    down when it was sent, or restarted without it). A refresh that is only slow is computed
    twice, which gives the same rows. Returns how many were sent."""
    from tasks import send_after_commit
    from tasks.rollups import refresh_rollups

    asked_before = (now or utcnow()) - timedelta(seconds=current_app.config["ROLLUP_OVERDUE_SECONDS"])
    overdue = queries.overdue_refreshes(asked_before, RESENT_PER_TICK)
    for commune_id, period_id in overdue:
        send_after_commit(refresh_rollups, commune_id, period_id)
    return len(overdue)


def request_rebuild(unit: OrgUnit | None, requested_by_id: int | None, period_ids=(), send: bool = True) -> TaskRun:
    """A run of `rebuild.rebuild` at and below the unit (None: the whole tree), sent to the workers
    after the commit unless the caller runs it (`send`). With `period_ids`, the rollups of the
    unit and of the units above it for those periods (and their years) are marked as waiting
    first, as a report's requests mark them: what they count has changed."""
    from tasks import send_after_commit
    from tasks.rollups import rebuild_rollups

    if unit is not None and period_ids:
        _mark_waiting([*ancestors_of(unit), unit], period_ids, "what the rollups count has changed")
    unit_id = unit.id if unit is not None else None
    run = runs.create_run("rebuild_rollups", unit_id, requested_by_id, unit.code if unit is not None else "all")
    if send:
        send_after_commit(rebuild_rollups, run.id, unit_id, task_id=run.celery_id)
    return run


def _mark_waiting(chain: list[OrgUnit], period_ids, reason: str) -> None:
    """Mark the rollups of the units of `chain` (from the root down) for the periods and their
    years as waiting, each locked first (`_units_and_periods`). Written across tenants (`reason`
    says why)."""
    with system_scope(reason):
        locks.lock(*locks.REBUILD_LOCK, shared=True)
        pairs = _units_and_periods(chain, period_ids)
        now = utcnow()  # after the locks
        for unit_id, period_id in pairs:
            completeness.mark_requested(unit_id, period_id, now)
        db.session.flush()


def _units_and_periods(ancestors: list[OrgUnit], period_ids) -> list[tuple[int, str]]:
    """The units × periods that reports of `period_ids` change, each locked (PostgreSQL)
    before it is marked or computed, until the commit. One order for every transaction (the
    rebuild's lock, shared, which the caller took first; then the shorter periods, then the
    years, each bottom-up) means
    that two of them never wait for each other in a circle: a plan's approval asking for its
    four quarters and a refresh of one quarter take the year's locks last, and neither writes
    while a rebuild's step writes whole levels.

    The lock is what makes the stale flag true: a refresh waits for a request still being
    committed, then reads its report; a request made while a refresh runs waits for the
    refresh's commit, and its time, taken after the lock, is later than the refresh's."""
    chain = [ancestor.id for ancestor in reversed(ancestors)]
    pairs = [(unit_id, period_id) for period_id in affected_periods(*period_ids) for unit_id in chain]
    for unit_id, period_id in pairs:
        locks.lock(unit_id, period_id)
    return pairs


# --- computing -------------------------------------------------------------------------------

@functools.cache
def _refresh_statements(dialect_name: str) -> dict:
    """The statements of a refresh, built once with bound parameters: building them anew cost
    more than running them."""
    unit_id, period = bindparam("b_unit_id", type_=Integer), bindparam("b_period", type_=String)
    now, year = bindparam("b_now", type_=DateTime), bindparam("b_year", type_=Integer)
    period_type, year_prefix = bindparam("b_period_type", type_=String), bindparam("b_year_prefix", type_=String)
    states = engine.states

    def this_unit(column):
        return column == unit_id

    def this_period(column):
        return column == period

    def in_year(column):
        return column.like(year_prefix)

    def children(child):
        return child.c.parent_id == unit_id

    def upsert(rows):
        return completeness.upsert_states(rows, dialect_name)

    def rows_from_communes(is_year: bool):
        rows = commune_figures.commune_period_rows(children, in_year if is_year else this_period, is_year)
        return engine.insert_rows(engine.aggregated_rows(rows.subquery("commune_rows"), now))

    def state_from_communes(is_year: bool):
        return upsert(completeness.communes_parent_states(now, children, period, is_year, year, period_type))

    return {
        "delete": engine.delete_rows(this_unit, this_period),
        "rows_from_communes": rows_from_communes(False),
        "year_rows_from_communes": rows_from_communes(True),
        "state_from_communes": state_from_communes(False),
        "year_state_from_communes": state_from_communes(True),
        "parent_rows": engine.insert_parent_rows(now, children, this_period),
        "parent_states": upsert(completeness.parent_states(now, children, this_period)),
        "mark_computed": states.update().where(states.c.unit_id == unit_id, states.c.period == period)
        .values(computed_at=now),
    }


def _run(name: str, unit_id: int, period_id: str, now: datetime) -> None:
    statements = _refresh_statements(db.session.get_bind().dialect.name)
    period = periods.parse(period_id)
    db.session.execute(statements[name], {
        "b_unit_id": unit_id, "b_period": period_id, "b_now": now, "b_year": period.year,
        "b_year_prefix": f"{period.year}%", "b_period_type": period.type})


def compute_unit(unit: OrgUnit, period_id: str, now: datetime | None = None, of_communes: bool = False) -> None:
    """The unit's rows and completeness for the period: aggregated from its communes'
    reports when its children are communes (`of_communes`), otherwise from its children's
    rows. Call it bottom-up, after the units below."""
    now = now or utcnow()
    _run("delete", unit.id, period_id, now)
    if of_communes:
        year = periods.is_year(period_id)
        _run("year_rows_from_communes" if year else "rows_from_communes", unit.id, period_id, now)
        _run("year_state_from_communes" if year else "state_from_communes", unit.id, period_id, now)
    else:
        _run("parent_rows", unit.id, period_id, now)
        _run("parent_states", unit.id, period_id, now)
    _run("mark_computed", unit.id, period_id, now)  # also when nothing below it is counted


def refresh_ancestors(commune_id: int, period_id: str) -> None:
    """Recompute each unit above the commune, for the period and its year: its district from
    the district's communes, then each unit above from its children.

    On PostgreSQL every unit × period is locked first (`_units_and_periods`), so two refreshes
    meeting at a district compute it one after the other, the second from the first's
    committed figures. `now` is taken after the locks and before anything is read: a request
    made while this runs is marked later than `computed_at`, so the unit shows as stale until
    the next run."""
    # The rebuild's lock before the units are read: a rebuild of the whole tree holds it while
    # it waits for the units' table (`engine.rows_replaced`), so the other order deadlocks.
    locks.lock(*locks.REBUILD_LOCK, shared=True)
    commune = db.session.execute(select(OrgUnit).where(OrgUnit.id == commune_id)).scalar_one_or_none()
    if commune is None:
        return
    ancestors = ancestors_of(commune)
    if not ancestors:
        return
    planner.plan_as_written()
    with planner.planned_once_per_connection():
        pairs = _units_and_periods(ancestors, [period_id])
        now = utcnow()
        district = ancestors[-1].id  # ancestors_of lists the root first
        units = {ancestor.id: ancestor for ancestor in ancestors}
        for unit_id, period_id_ in pairs:
            compute_unit(units[unit_id], period_id_, now, of_communes=unit_id == district)
    db.session.flush()
