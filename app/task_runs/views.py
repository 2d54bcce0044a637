from flask import Blueprint, render_template
from flask_login import login_required

from app.errors import or_404
from app.task_runs.queries import get_run

task_runs = Blueprint("task_runs", __name__, url_prefix="/tasks", template_folder="templates")


@task_runs.route("/<int:run_id>")
@login_required
def show(run_id: int):
    return render_template("task_runs/show.html", run=or_404(get_run(run_id)))
