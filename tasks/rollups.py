"""Rollup tasks: thin, they take ids and call app.rollups.services."""
from celery import shared_task

from app.extensions import db
from app.rollups import services
from tenants import system_scope


@shared_task(name="tasks.rollups.refresh_rollups")
def refresh_rollups(unit_id: int, period: str) -> None:
    """Recompute the rollups of a commune and every unit above it for the period and its year."""
    with system_scope("rollups aggregate every commune below a unit"):
        services.refresh_ancestors(unit_id, period)
        db.session.commit()
