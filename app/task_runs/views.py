from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.errors import or_404
from app.task_runs.models import RunState, TaskRun
from app.task_runs.queries import get_run

task_runs = Blueprint("task_runs", __name__, url_prefix="/tasks", template_folder="templates")


def outcome_link(run: TaskRun) -> tuple[str, str] | None:
    """Where a finished run's work shows, as (address, label): the figures a rebuild computed,
    the units an import updated, the report sent. A run's page is otherwise a dead end."""
    if run.state != RunState.DONE:
        return None
    if run.name == "rebuild_rollups" and run.unit is not None:
        return url_for("rollups.compare", unit=run.unit.code), _("See the figures of %(unit)s", unit=run.unit.name)
    if run.name == "import_org_units" and run.unit is not None:
        return url_for("org_units.show", code=run.unit.code), _("See %(unit)s", unit=run.unit.name)
    if run.name == "send_dispatch" and run.arguments.isdigit():
        return url_for("dispatches.show", dispatch_id=int(run.arguments)), _("See the report")
    return None


@task_runs.route("/<int:run_id>")
@login_required
def show(run_id: int):
    run = or_404(get_run(run_id))
    return render_template("task_runs/show.html", run=run, outcome=outcome_link(run))
