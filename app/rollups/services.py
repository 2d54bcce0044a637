"""Writing rollups. A report's submission, acceptance or return calls `request_refresh`,
which marks the rollups of the commune and every unit above it as waiting for newer data
and sends one task, after the commit, that recomputes them bottom-up (`refresh_ancestors`)."""
from app import periods
from app.database import utcnow
from app.extensions import db
from app.org_units.models import OrgUnit
from app.org_units.queries import ancestors_of
from app.rollups.models import RollupState
from tenants import system_scope


def affected_periods(period_id: str) -> list[str]:
    """A period's figures also count in its year."""
    year = str(periods.parse(period_id).year)
    return [period_id] if period_id == year else [period_id, year]


def request_refresh(unit: OrgUnit, period_id: str) -> None:
    """Mark the rollups of `unit` and its ancestors for the period (and the year) as waiting,
    and send the refresh after the commit. The marks are written across tenants: a commune
    leader's submission makes the district's figures out of date."""
    from tasks.rollups import refresh_rollups

    now = utcnow()
    with system_scope("a commune's report makes the rollups above it out of date"):
        unit_ids = [ancestor.id for ancestor in ancestors_of(unit)] + [unit.id]
        for period_id_ in affected_periods(period_id):
            states = {state.unit_id: state for state in db.session.execute(
                db.select(RollupState).where(RollupState.unit_id.in_(unit_ids),
                                             RollupState.period == period_id_)).scalars()}
            for unit_id in unit_ids:
                state = states.get(unit_id) or RollupState(unit_id=unit_id, period=period_id_)
                state.requested_at = now
                db.session.add(state)
        db.session.flush()
    from tasks import send_after_commit

    send_after_commit(refresh_rollups, unit.id, period_id)
