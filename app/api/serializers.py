"""JSON shapes of the API's objects."""
from app.auth.models import User
from app.org_units.models import OrgUnit
from app.task_runs.models import TaskRun


def iso(value) -> str | None:
    return value.isoformat() + "Z" if value else None


def org_unit_json(unit: OrgUnit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "division_type": unit.division_type,
        "level": unit.level,
        "parent": unit.ancestor_codes[-1] if unit.ancestor_codes else None,
    }


def user_json(user: User) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "unit": org_unit_json(user.unit) if user.unit else None,
        "locale": user.locale,
    }


def task_run_json(run: TaskRun) -> dict:
    return {
        "id": run.id,
        "name": run.name,
        "state": run.state,
        "progress": {"done": run.done, "total": run.total, "percent": run.percent},
        "message": run.message,
        "created_at": iso(run.created_at),
        "finished_at": iso(run.finished_at),
    }
