from flask import Blueprint, abort, render_template
from flask_login import login_required

from app.task_runs.queries import get_run

task_runs = Blueprint("task_runs", __name__, url_prefix="/tasks", template_folder="templates")


@task_runs.route("/<int:run_id>")
@login_required
def show(run_id: int):
    run = get_run(run_id)
    if run is None:
        abort(404)
    return render_template("task_runs/show.html", run=run)
