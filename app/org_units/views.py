from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.auth.models import Role
from app.auth.permissions import roles_required
from app.errors import or_404
from app.extensions import db
from app.org_units import queries
from app.org_units.models import Level, OrgUnit
from app.plans import queries as plan_queries
from app.task_runs.services import create_run
from tasks import send_after_commit

org_units = Blueprint("org_units", __name__, url_prefix="/units", template_folder="templates")


def sort_arguments() -> tuple[str, bool]:
    sort = request.args.get("sort", "name")
    return (sort if sort in queries.SORTABLE_COLUMNS else "name"), request.args.get("order") == "desc"


@org_units.route("/<code>")
@login_required
def show(code: str):
    unit = or_404(queries.get_by_code(code))
    sort, descending = sort_arguments()
    return render_template(
        "org_units/show.html",
        unit=unit,
        ancestors=queries.ancestors_of(unit),
        children=queries.children_of(unit, sort, descending),
        sort=sort,
        descending=descending,
        may_import=may_reimport(unit),
        # A commune's own page lists its plans (those the reader may see: the guard limits them).
        plans=plan_queries.plans_of_unit(unit) if unit.level == Level.COMMUNE else [],
    )


def may_reimport(unit: OrgUnit) -> bool:
    """Re-importing the official list: a platform admin anywhere, a district's user admin for it."""
    if current_user.has_role(Role.ADMIN):
        return unit.level in (Level.PROVINCE, Level.DISTRICT)
    return (
        current_user.has_role(Role.DISTRICT_ADMIN)
        and unit.level == Level.DISTRICT
        and unit.id == current_user.unit_id
    )


@org_units.route("/<code>/import", methods=["POST"])
@roles_required(Role.ADMIN, Role.DISTRICT_ADMIN)
def reimport(code: str):
    from tasks.org_units import import_org_units

    unit = or_404(queries.get_by_code(code))
    if not may_reimport(unit):
        abort(403)
    province_code, district_code = (
        (unit.code, None) if unit.level == Level.PROVINCE else (None, unit.code)
    )
    run = create_run("import_org_units", unit.id, current_user.id, unit.code)
    send_after_commit(import_org_units, run.id, province_code, district_code, task_id=run.celery_id)
    db.session.commit()
    return redirect(url_for("task_runs.show", run_id=run.id))
