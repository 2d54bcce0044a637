"""API: the communes' figures rolled up at a unit, /api/v1/rollups, and asking the workers to
rebuild them, /api/v1/rollups/refresh.

A user reads the rollups of any unit of their subtree, with each child's value beside the
total. Above their home unit (a commune comparing itself with its district) they read the
unit's own totals only: the rows are read across tenants for that, and `children` stays empty,
so a commune never sees the other communes' figures.
"""
from collections import defaultdict

from flask import jsonify, request, url_for
from flask_babel import gettext as _

from app import periods
from app.api.request_body import json_object, not_an_object, unknown_fields
from app.api.serializers import iso
from app.api.views import api, token_required
from app.auth.models import Role
from app.auth.sessions import request_user
from app.errors import api_error, or_404
from app.extensions import db
from app.org_units import queries as org_unit_queries
from app.org_units.models import OrgUnit
from app.plans.serializers import number_json
from app.rollups import comparison, queries
from app.rollups import services as rollups
from app.rollups.models import TOTAL, Rollup, RollupState, target_of_value
from app.task_runs.services import UNSENT
from tasks import was_refused
from tenants import current_scope, system_scope

REFRESHERS = (Role.DISTRICT_OFFICER, Role.DISTRICT_ADMIN, Role.ADMIN)


def in_subtree(unit: OrgUnit) -> bool:
    scope = current_scope()
    return scope is not None and scope.may_write(unit.id)


# --- shapes -----------------------------------------------------------------------------

def rollup_json(unit: OrgUnit, period_id: str, rows: list[Rollup], state: RollupState | None,
                children: list[tuple[OrgUnit, Rollup]], stale: bool, counted: queries.Counted | None) -> dict:
    by_key: dict[tuple[str, str], dict[str, object]] = defaultdict(dict)
    for child, row in children:
        by_key[(row.indicator_code, row.sex)][child.code] = number_json(row.value)
    indicators = [
        {"indicator": row.indicator_code, "sex": None if row.sex == TOTAL else row.sex,
         "value": number_json(row.value), "target": number_json(target_of_value(row)), "reporting": row.reporting,
         "children": by_key.get((row.indicator_code, row.sex), {})}
        for row in rows
    ]
    return {
        "unit": unit.code, "period": period_id,
        "computed_at": iso(state.computed_at) if state else None,
        "stale": stale or state is None,
        "counted": counted.value if counted else None,
        "completeness": {"expected": state.expected if state else 0, "received": state.received if state else 0,
                         "on_time": state.on_time if state else 0},
        "indicators": indicators,
    }


# --- routes -----------------------------------------------------------------------------

@api.get("/rollups")
@queries.figures_snapshot()
@token_required
def get_rollups():
    user = request_user()
    period_id = request.args.get("period", "").strip()
    code = request.args.get("unit", "").strip()
    errors = {}
    if not periods.is_period(period_id):
        errors["period"] = _("Send a period such as 2023Q3, 2023S1, 2023 or 202304.")
    if not code and user.unit is None:
        errors["unit"] = _("Send the code of a unit.")
    if errors:
        return api_error(422, fields=errors)
    unit = or_404(org_unit_queries.get_by_code(code)) if code else user.unit
    if period_id not in (choices := comparison.period_choices(unit)):
        # Nothing is computed for such a period, nor ever will be: not an empty answer still waiting.
        return api_error(422, fields={"period": _(
            "There are no figures or expected reports for %(asked)s here; its periods are %(periods)s.",
            asked=period_id, periods=", ".join(choices)) if choices else _(
            "There are no figures or expected reports for %(asked)s here.", asked=period_id)})
    if in_subtree(unit):
        rows, state = queries.rollup_rows(unit, period_id), queries.state_of(unit, period_id)
        children = queries.children_rows(unit, period_id)
    else:
        # An ancestor the user may name (its header shows it): its totals, without its children.
        with system_scope("a unit compares its own figures with the total above it"):
            rows, state = queries.rollup_rows(unit, period_id), queries.state_of(unit, period_id)
        children = []
    return jsonify(rollup_json(unit, period_id, rows, state, children, queries.waiting_below(unit, period_id),
                               queries.counted_below(unit, periods.parse(period_id).year)))


@api.post("/rollups/refresh")
@token_required
def refresh_rollups():
    """Rebuild every rollup of a unit's subtree, in the background; follow the task's progress."""
    user = request_user()
    if user.role not in REFRESHERS:
        return api_error(403, _("Only the district's office may rebuild the figures."))
    body = json_object()
    if body is None:
        return not_an_object()
    if unknown := unknown_fields(body, ("unit",)):  # a rebuild takes every period: none is chosen
        return unknown
    code = body.get("unit")
    if code is None and user.unit is not None:  # not sent: the user's own unit ({} or "" is no code)
        code = user.unit.code
    if not isinstance(code, str) or not code:
        return api_error(422, fields={"unit": _("Send the code of a unit.")})
    unit = or_404(org_unit_queries.get_by_code(code))
    if not in_subtree(unit):
        return api_error(403, _("You may rebuild the figures of your own unit and the units below it only."))

    run = rollups.request_rebuild(unit, user.id)
    db.session.commit()
    if was_refused(run.celery_id):
        return api_error(503, str(UNSENT))
    url = url_for("api.get_task", run_id=run.id)
    return jsonify({"task_id": run.id, "links": {"task": url}}), 202, {"Location": url}
