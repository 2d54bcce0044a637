"""JSON API, version 1. Bearer tokens only: no cookies, hence no CSRF token on writes."""
from functools import wraps

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from app.api.openapi import openapi_document
from app.api.serializers import iso, org_unit_json, task_run_json, user_json
from app.auth import services as auth_services
from app.auth.sessions import bearer_token, request_user
from app.errors import api_error, or_404
from app.extensions import csrf, db
from app.json_bodies import why_unreadable
from app.org_units import queries as org_unit_queries
from app.task_runs.queries import get_run

api = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(api)


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not request_user().is_authenticated:
            return api_error(401)
        return view(*args, **kwargs)

    return wrapped


@api.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@api.post("/auth/token")
def create_token():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error(400, why_unreadable() or _("Send a JSON object with a username and a password."))
    fields = {
        name: _("This field is required.")
        for name in ("username", "password")
        if not isinstance(body.get(name), str) or not body.get(name)
    }
    if fields:
        return api_error(422, fields=fields)
    try:
        user = auth_services.authenticate(body["username"], body["password"], request.remote_addr)
    except auth_services.TooManyAttempts:
        return api_error(429)
    if user is None:
        db.session.commit()
        return api_error(401, _("Wrong username or password."))
    issued = auth_services.issue_token(user)
    db.session.commit()
    return jsonify({"token": issued.token, "expires_at": iso(issued.expires_at)}), 201


@api.delete("/auth/token")
@token_required
def revoke_token():
    auth_services.revoke_token(bearer_token())
    db.session.commit()
    return "", 204


@api.get("/me")
@token_required
def me():
    return jsonify(user_json(request_user()))


@api.get("/org-units")
@token_required
def list_org_units():
    """Children of `parent`; without it, the user's own unit (or the roots, for an admin)."""
    parent_code = request.args.get("parent")
    if parent_code is None:
        user = request_user()
        units = [user.unit] if user.unit else org_unit_queries.children_of(None)
    else:
        parent = or_404(org_unit_queries.get_by_code(parent_code))
        units = org_unit_queries.children_of(parent)
    return jsonify({"items": [org_unit_json(unit) for unit in units]})


@api.get("/org-units/<code>")
@token_required
def get_org_unit(code: str):
    return jsonify(org_unit_json(or_404(org_unit_queries.get_by_code(code))))


@api.get("/tasks/<int:run_id>")
@token_required
def get_task(run_id: int):
    return jsonify(task_run_json(or_404(get_run(run_id))))


# The feature modules attach their routes to `api`; imported last, as they import it from here.
from app.api import dispatches, plan_templates, plans, reports, rollups  # noqa: E402, F401
