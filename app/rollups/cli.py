import click
from flask.cli import AppGroup

from app.extensions import db
from app.org_units.queries import get_by_code
from app.rollups.services import request_rebuild
from app.task_runs.queries import get_run
from app.task_runs.services import UNSENT
from tasks import was_refused
from tenants import system_scope

rollups_cli = AppGroup("rollups", help="The communes' figures rolled up the tree.")


@rollups_cli.command("rebuild")
@click.option("--unit", "unit_code", help="GSO code of the unit to rebuild below (default: the whole tree)")
@click.option("--now", "inline", is_flag=True, help="Run here and wait, instead of sending it to a worker.")
def rebuild_command(unit_code: str | None, inline: bool) -> None:
    """Recompute every rollup below a unit, level by level, as a task with progress."""
    with system_scope("command-line rebuild of rollups"):
        unit = None
        if unit_code:
            unit = get_by_code(unit_code)
            if unit is None:
                raise click.BadParameter(f"no unit with code {unit_code}", param_hint="--unit")
        run = request_rebuild(unit, None, send=not inline)
        run_id, unit_id, label, celery_id = run.id, run.unit_id, run.arguments, run.celery_id
        db.session.commit()
    if not inline:
        if was_refused(celery_id):
            raise click.ClickException(f"{label}: run {run_id} failed: {UNSENT}")
        click.echo(f"{label}: run {run_id} sent to the workers; follow it at /tasks/{run_id} "
                   f"or GET /api/v1/tasks/{run_id}")
        return
    from tasks.rollups import rebuild_rollups

    rebuild_rollups.run(run_id, unit_id)
    with system_scope("command-line rebuild of rollups"):
        run = get_run(run_id)
        click.echo(f"{label}: run {run_id} {run.state}: {run.message}")
