import click
from flask.cli import AppGroup

from app.extensions import db
from app.org_units.queries import get_by_code
from app.rollups.services import request_rebuild
from app.task_runs.models import RunState
from app.task_runs.queries import get_run
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
        run_id, unit_id, label = run.id, run.unit_id, run.arguments
        db.session.commit()
    if not inline:
        with system_scope("command-line rebuild of rollups"):
            run = get_run(run_id)
            if run.state == RunState.FAILED:  # the broker could not take it
                raise click.ClickException(f"{label}: run {run_id} failed: {run.message}")
        click.echo(f"{label}: run {run_id} sent to the workers; follow it at /tasks/{run_id} "
                   f"or GET /api/v1/tasks/{run_id}")
        return
    from tasks.rollups import rebuild_rollups

    rebuild_rollups.run(run_id, unit_id)
    with system_scope("command-line rebuild of rollups"):
        run = get_run(run_id)
        click.echo(f"{label}: run {run_id} {run.state}: {run.message}")
