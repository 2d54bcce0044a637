"""Rollup tasks: thin, they take ids and call app.rollups.services and rebuild."""
from celery import shared_task
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.org_units.models import OrgUnit
from app.rollups import rebuild, services
from app.task_runs import services as runs
from app.task_runs.queries import get_run
from tenants import system_scope


# A deadlock or a lock wait that timed out (SQLite: "database is locked") undoes the whole
# transaction; running it again is safe.
@shared_task(name="tasks.rollups.refresh_rollups", autoretry_for=(OperationalError,),
             retry_backoff=1, retry_jitter=True, max_retries=5)
def refresh_rollups(unit_id: int, period: str) -> None:
    """Recompute the rollups of a commune and every unit above it for the period and its year."""
    with system_scope("rollups aggregate every commune below a unit"):
        services.refresh_ancestors(unit_id, period)
        db.session.commit()


@shared_task(name="tasks.rollups.resend_overdue_refreshes")
def resend_overdue_refreshes() -> int:
    """Beat: send again the refreshes that never ran; the number sent."""
    with system_scope("rollups waiting anywhere in the tree"):
        sent = services.resend_overdue_refreshes()
        db.session.commit()  # sends them
    return sent


@shared_task(name="tasks.rollups.rebuild_rollups")
def rebuild_rollups(run_id: int, unit_id: int | None) -> None:
    """Recompute every rollup below a unit (None: the whole tree), level by level, committing each level so that the
    run shows real progress; a run delivered again after a crash starts over."""
    with system_scope("a rebuild recomputes every unit below one"):
        run = get_run(run_id)
        if run is None:
            return
        with runs.failure_recorded(run_id):
            unit = None if unit_id is None else db.session.execute(
                db.select(OrgUnit).where(OrgUnit.id == unit_id)).scalar_one()
            rebuild.rebuild(unit, run, after_step=db.session.commit)
            db.session.commit()
