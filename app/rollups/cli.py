import click
from flask.cli import AppGroup

from app.extensions import db
from app.org_units.models import OrgUnit
from app.org_units.queries import get_by_code
from app.task_runs.services import create_run
from tenants import system_scope

rollups_cli = AppGroup("rollups", help="The communes' figures rolled up the tree.")


@rollups_cli.command("rebuild")
@click.option("--unit", "unit_code", help="GSO code of the unit to rebuild below (default: every root)")
@click.option("--now", "inline", is_flag=True, help="Run here and wait, instead of sending it to a worker.")
def rebuild_command(unit_code: str | None, inline: bool) -> None:
    """Recompute every rollup below a unit, level by level, as a task with progress."""
    from tasks import send_after_commit
    from tasks.rollups import rebuild_rollups

    with system_scope("command-line rebuild of rollups"):
        if unit_code:
            unit = get_by_code(unit_code)
            if unit is None:
                raise click.BadParameter(f"no unit with code {unit_code}", param_hint="--unit")
            roots = [unit]
        else:
            roots = list(db.session.execute(db.select(OrgUnit).where(OrgUnit.parent_id.is_(None))
                                            .order_by(OrgUnit.code)).scalars())
        jobs = []
        for unit in roots:
            run = create_run("rebuild_rollups", unit.id, None, unit.code)
            if not inline:
                send_after_commit(rebuild_rollups, run.id, unit.id, task_id=run.celery_id)
            jobs.append((run.id, unit.id, unit.code))
        db.session.commit()
    for run_id, unit_id, code in jobs:
        if inline:
            rebuild_rollups.run(run_id, unit_id)
            with system_scope("command-line rebuild of rollups"):
                from app.task_runs.queries import get_run
                run = get_run(run_id)
                click.echo(f"{code}: run {run_id} {run.state}: {run.message}")
        else:
            click.echo(f"{code}: run {run_id} sent to the workers")
