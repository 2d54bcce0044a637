"""API: /api/v1/plans. Views parse the request, call app.plans.services and commit once.

Every write names the `version` it was based on; a stale one gets 409 with the saved plan in
`error.current`, so the client can merge instead of overwriting. Field names in `error.fields`
follow the JSON the client sends (`document.number`, `sections.<key>`, `targets.<code>.<sex>`).
"""
from collections.abc import Callable

from flask import jsonify, request, url_for
from flask_babel import gettext as _

from app.api.request_body import (
    json_object,
    not_an_object,
    unknown_fields,
    versioned_body_error,
    whole_number,
)
from app.api.serializers import iso
from app.api.views import api, token_required
from app.api.workflow_responses import (
    refused_step,
    save_write,
    stale_version,
    workflow_step,
)
from app.audit.queries import user_names
from app.auth.models import Role
from app.auth.sessions import request_user
from app.errors import api_error, or_404
from app.extensions import db
from app.plan_templates.models import PlanTemplate
from app.plans import queries, services
from app.plans.models import Plan, PlanStatus
from app.plans.serializers import plan_json
from app.plans.services import PlanError
from app.plans.validation import validate_plan_changes
from app.plans.workflow import Action

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
PLAN_CREATOR_ROLES = (Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER)
TEXT_KEYS = ("title", "legal_basis", "introduction", "closing")
# The `document` object of the JSON → the service's field names.
DOCUMENT_KEYS = {
    "number": "document_number", "place": "place", "date": "document_date",
    "signer_authority": "signer_authority", "signer_title": "signer_title",
    "signer_name": "signer_name", "recipients": "recipients",
}
API_FIELD_NAMES = {service: f"document.{key}" for key, service in DOCUMENT_KEYS.items()}
ACTIVITY_FIELD_NAMES = {"section_key": "section"}
# An activity's columns a body may change, by the service's names; and all a body may carry.
ACTIVITY_COLUMNS = ("section_key", "name", "lead_body", "supporting_bodies", "months", "budget_vnd", "funding_source")
ACTIVITY_FIELDS = {"version", *ACTIVITY_FIELD_NAMES.values(), *ACTIVITY_COLUMNS}


# --- shapes -----------------------------------------------------------------------------

def plan_body(plan: Plan) -> dict:
    return {**plan_json(plan), "links": {
        "self": url_for("api.get_plan", plan_id=plan.id),
        "versions": url_for("api.list_plan_versions", plan_id=plan.id),
        "document.docx": url_for("api.plan_document_docx", plan_id=plan.id),
        "document.pdf": url_for("api.plan_document_pdf", plan_id=plan.id),
    }}


def plan_summary(plan: Plan) -> dict:
    return {"id": plan.id, "unit": plan.unit.code, "unit_name": plan.unit.name, "year": plan.year,
            "status": plan.status, "edition": plan.edition, "version": plan.version,
            "submitted_at": iso(plan.submitted_at)}


# --- reading the request ----------------------------------------------------------------

def lines_as_text(value):
    """A list of lines is accepted wherever the plan shows one (legal basis, recipients)."""
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return "\n".join(value)
    return value


def api_fields(fields: dict, names: dict = API_FIELD_NAMES) -> dict:
    return {names.get(name, name): message for name, message in fields.items()}


# --- answering a write ------------------------------------------------------------------

def refusal(action: Action, plan: Plan, user):
    return refused_step(services.require_allowed, action, plan, user)


def stale(plan: Plan):
    return stale_version(_("Someone else changed this plan in the meantime. Nothing was "
                           "saved; the plan as it is now is in `current`."), plan_body(plan))


def save(plan: Plan, write: Callable[[], object], status: int = 200, field_names: dict = API_FIELD_NAMES):
    """Run a service write and commit it, or answer its refusal having changed nothing."""
    return save_write(write, lambda _result: (jsonify(plan_body(plan)), status), lambda: stale(plan),
                      lambda fields: api_fields(fields, field_names))


# --- plans ------------------------------------------------------------------------------

@api.get("/plans")
@token_required
def list_plans():
    errors: dict[str, str] = {}
    args = {name: request.args.get(name, "").strip() for name in ("year", "status", "unit", "page", "per_page")}
    numbers = {name: whole_number(args[name]) for name in ("year", "page", "per_page")}
    for name in ("year", "page", "per_page"):
        if args[name] and not numbers[name]:
            errors[name] = _("Enter a positive whole number.")
    if args["status"] and args["status"] not in {status.value for status in PlanStatus}:
        errors["status"] = _("The status is one of: %(statuses)s.", statuses=", ".join(PlanStatus))
    if errors:
        return api_error(422, fields=errors)
    page = numbers["page"] or 1
    per_page = min(numbers["per_page"] or DEFAULT_PER_PAGE, MAX_PER_PAGE)

    found = queries.page_of_plans(page, per_page, year=numbers["year"],
                                  status=args["status"] or None, unit_code=args["unit"] or None)
    return jsonify({"items": [plan_summary(plan) for plan in found.items],
                    "page": page, "per_page": per_page, "total": found.total})


@api.post("/plans")
@token_required
def create_plan():
    user = request_user()
    if user.role not in PLAN_CREATOR_ROLES or user.unit is None:
        return api_error(403, _("Only the commune's users may create its plan."))
    body = json_object()
    if body is None:
        return not_an_object()
    if unknown := unknown_fields(body, ("template_id",)):  # the text is written once the plan exists
        return unknown
    template_id = whole_number(body.get("template_id"))
    if template_id is None:
        return api_error(422, fields={"template_id": _("Send the number of the template.")})
    # The guard finds only templates of the units above the user's commune.
    template = db.session.execute(
        db.select(PlanTemplate).where(PlanTemplate.id == template_id)).scalar_one_or_none()
    if template is None:
        return api_error(422, fields={"template_id": _("There is no such template for your commune.")})
    return save_write(
        lambda: services.create_plan(template, user.unit, user),
        lambda plan: (jsonify(plan_body(plan)), 201, {"Location": url_for("api.get_plan", plan_id=plan.id)}),
        # Someone created the commune's plan for the year at the same moment.
        duplicate=lambda: api_error(409, _("Your commune already has a plan for %(year)s.", year=template.year)))


@api.get("/plans/<int:plan_id>")
@token_required
def get_plan(plan_id: int):
    return jsonify(plan_body(or_404(queries.get_plan(plan_id))))


def plan_changes(body: dict) -> tuple[dict, dict]:
    """The service's `changes` from a PATCH body, and what is wrong with its shape."""
    changes: dict = {}
    errors: dict[str, str] = {}
    for name, value in body.items():
        if name == "version":
            continue
        if name in TEXT_KEYS:
            changes[name] = lines_as_text(value) if name == "legal_basis" else value
        elif name == "sections":
            changes["sections"] = section_texts(value, errors)
        elif name == "targets":
            changes["targets"] = value
        elif name == "document" and isinstance(value, dict):
            for key, item in value.items():
                if key in DOCUMENT_KEYS:
                    changes[DOCUMENT_KEYS[key]] = lines_as_text(item) if key == "recipients" else item
                else:
                    errors[f"document.{key}"] = _("There is no such field.")
        elif name == "document":
            errors["document"] = _("Send the document details as an object.")
        elif name == "activities":
            errors[name] = _("Change activities through the plan's activities address.")
        else:
            errors[name] = _("This field cannot be changed here.")
    return changes, errors


def section_texts(value, errors: dict) -> dict:
    """Sections as {key: text}, or as the plan shows them: a list of {key, text}."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, list):
        errors["sections"] = _("Send the sections as a list of {key, text}.")
        return {}
    texts = {}
    for position, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            errors[f"sections.{position}"] = _("Each section is an object with key and text.")
        elif item["key"] in texts:  # which of the two was meant is unknown
            errors[f"sections.{item['key']}"] = _("This section is sent twice: send it once.")
        else:
            texts[item["key"]] = item.get("text")
    return texts


@api.patch("/plans/<int:plan_id>")
@token_required
def update_plan(plan_id: int):
    plan, user = or_404(queries.get_plan(plan_id)), request_user()
    if refused := refusal(Action.EDIT, plan, user):
        return refused
    body = json_object()
    if problem := versioned_body_error(body):
        return problem
    changes, errors = plan_changes(body)
    if errors:
        # Report the values' problems too, so the client can fix everything at once.
        try:
            validate_plan_changes(plan, changes)
        except PlanError as error:
            errors = {**api_fields(error.fields), **errors}
        return api_error(422, fields=errors)
    return save(plan, lambda: services.update_plan(plan, user, body["version"], changes))


def transition(plan_id: int, action: Action):
    plan = or_404(queries.get_plan(plan_id))
    return workflow_step(plan, action, services.require_allowed, services.perform,
                         lambda write: save(plan, write))


@api.post("/plans/<int:plan_id>/submit")
@token_required
def submit_plan(plan_id: int):
    return transition(plan_id, Action.SUBMIT)


@api.post("/plans/<int:plan_id>/approve")
@token_required
def approve_plan(plan_id: int):
    return transition(plan_id, Action.APPROVE)


@api.post("/plans/<int:plan_id>/return")
@token_required
def return_plan(plan_id: int):
    return transition(plan_id, Action.RETURN)


@api.post("/plans/<int:plan_id>/amend")
@token_required
def amend_plan(plan_id: int):
    return transition(plan_id, Action.AMEND)


@api.get("/plans/<int:plan_id>/versions")
@token_required
def list_plan_versions(plan_id: int):
    plan = or_404(queries.get_plan(plan_id))
    with_content = request.args.get("content", "").lower() in ("1", "true", "yes")
    names = user_names(version.created_by_id for version in plan.versions)
    items = []
    for version in plan.versions:
        item = {"number": version.number, "edition": version.edition, "status": version.status,
                "created_at": iso(version.created_at),
                "created_by": ({"id": version.created_by_id, "name": names.get(version.created_by_id)}
                               if version.created_by_id else None)}
        if with_content:
            item["content"] = version.content
        items.append(item)
    return jsonify({"items": items})


# --- the document -----------------------------------------------------------------------

def document_file(plan_id: int, extension: str):
    # Imported when a document is asked for, so the API does not load the document writers.
    from app.plans import document

    plan = or_404(queries.get_plan(plan_id))
    render = document.render_docx if extension == "docx" else document.render_pdf
    return document.download(render(plan), document.MIMETYPES[extension], document.document_filename(plan, extension))


@api.get("/plans/<int:plan_id>/document.docx")
@token_required
def plan_document_docx(plan_id: int):
    return document_file(plan_id, "docx")


@api.get("/plans/<int:plan_id>/document.pdf")
@token_required
def plan_document_pdf(plan_id: int):
    return document_file(plan_id, "pdf")


# --- activities -------------------------------------------------------------------------

def activity_write(plan_id: int, activity_id: int | None, write: Callable, status: int = 200):
    """Shared steps of the activity routes: find, refuse, read the body, save.
    `write(plan, activity, user, version, body)` calls the service."""
    plan, user = or_404(queries.get_plan(plan_id)), request_user()
    activity = or_404(queries.get_activity(plan, activity_id)) if activity_id is not None else None
    if refused := refusal(Action.EDIT, plan, user):
        return refused
    body = json_object() if request.method != "DELETE" else (json_object() or dict(request.args))
    if problem := versioned_body_error(body):
        return problem
    if request.method != "DELETE" and (unknown := unknown_fields(body, ACTIVITY_FIELDS)):
        return unknown
    return save(plan, lambda: write(plan, activity, user, body["version"], body), status,
                ACTIVITY_FIELD_NAMES)


def activity_data(activity, body: dict) -> dict:
    """What the activity becomes: its saved values, with those the body sends."""
    saved = {name: getattr(activity, name) for name in ACTIVITY_COLUMNS}
    sent = {("section_key" if name == "section" else name): value for name, value in body.items()}
    return {**saved, **{name: value for name, value in sent.items() if name in saved}}


@api.post("/plans/<int:plan_id>/activities")
@token_required
def add_plan_activity(plan_id: int):
    return activity_write(plan_id, None, lambda plan, _activity, user, version, body:
                          services.add_activity(plan, user, version, body), status=201)


@api.patch("/plans/<int:plan_id>/activities/<int:activity_id>")
@token_required
def update_plan_activity(plan_id: int, activity_id: int):
    return activity_write(plan_id, activity_id, lambda plan, activity, user, version, body:
                          services.update_activity(plan, activity, user, version, activity_data(activity, body)))


@api.delete("/plans/<int:plan_id>/activities/<int:activity_id>")
@token_required
def remove_plan_activity(plan_id: int, activity_id: int):
    return activity_write(plan_id, activity_id, lambda plan, activity, user, version, _body:
                          services.remove_activity(plan, activity, user, version))
