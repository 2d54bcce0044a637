"""API: /api/v1/templates. Communes read published templates; district officers (and admins)
create and publish them."""
from flask import jsonify, request, url_for
from flask_babel import gettext as _

from app.api.request_body import (
    json_object,
    not_an_object,
    unknown_fields,
    versioned_body_error,
)
from app.api.serializers import iso
from app.api.views import api, token_required
from app.auth.models import Role
from app.auth.sessions import request_user
from app.database import storable_int
from app.errors import api_error, or_404
from app.extensions import db
from app.org_units.queries import get_by_code
from app.plan_templates import queries, services
from app.plan_templates.models import PlanTemplate
from app.plans.serializers import number_json
from app.versioning import CONFLICTS

# JSON names that differ from the model's, both ways (also for the field names of errors).
ACTIVITY_NAMES = {"section": "section_key"}
INDICATOR_NAMES = {"unit": "measure_unit", "numerator": "numerator_code", "denominator": "denominator_code"}


def template_summary_json(template: PlanTemplate) -> dict:
    return {
        "id": template.id, "unit": template.unit.code, "year": template.year, "revision": template.revision,
        "status": template.status, "version": template.version, "title": template.title,
        "published_at": iso(template.published_at),
    }


def template_json(template: PlanTemplate) -> dict:
    return {
        **template_summary_json(template),
        "legal_basis": template.legal_basis_lines,
        "introduction": template.introduction,
        "closing": template.closing,
        "responsible_bodies": template.responsible_body_list,
        "recipients": [line.strip() for line in template.recipients.splitlines() if line.strip()],
        "report_period_type": template.report_period_type,
        "report_deadline_days": template.report_deadline_days,
        "rollup_includes_submitted": template.rollup_includes_submitted,
        "sections": [{"key": section.key, "level": section.level, "heading": section.heading,
                      "guidance": section.guidance, "default_text": section.default_text,
                      "editable": section.editable} for section in template.sections],
        "activities": [{"section": activity.section_key, "name": activity.name, "lead_body": activity.lead_body}
                       for activity in template.activities],
        "indicators": [{
            "code": indicator.code, "name": indicator.name, "unit": indicator.measure_unit,
            "value_type": indicator.value_type, "aggregation": indicator.aggregation,
            "numerator": indicator.numerator_code, "denominator": indicator.denominator_code,
            "disaggregation": indicator.disaggregation, "time_aggregation": indicator.time_aggregation,
            "minimum_target": number_json(indicator.minimum_target),
        } for indicator in template.indicators],
    }


def _renamed(items, names: dict) -> list:
    if not isinstance(items, list):
        return items
    return [{names.get(key, key): value for key, value in item.items()} if isinstance(item, dict) else item
            for item in items]


def _model_shape(body: dict) -> dict:
    data = {key: value for key, value in body.items() if key not in ("unit", "year")}
    for name, names in (("activities", ACTIVITY_NAMES), ("indicators", INDICATOR_NAMES)):
        if name in data:
            data[name] = _renamed(data[name], names)
    return data


def _json_field(field: str) -> str:
    """`indicators.0.measure_unit` → `indicators.0.unit`, as the client sent it."""
    parts = field.split(".")
    names = {"activities": ACTIVITY_NAMES, "indicators": INDICATOR_NAMES}.get(parts[0])
    if names and len(parts) == 3:
        reverse = {model: json for json, model in names.items()}
        parts[2] = reverse.get(parts[2], parts[2])
    return ".".join(parts)


def _error(error: services.TemplateError):
    fields = {_json_field(name): message for name, message in error.fields.items() if name}
    return api_error(error.status, error.message, fields or None)


@api.get("/templates")
@token_required
def list_templates():
    year = request.args.get("year", type=storable_int)
    templates = queries.visible_templates(request_user(), year=year)
    return jsonify({"items": [template_summary_json(template) for template in templates]})


@api.post("/templates")
@token_required
def create_template():
    user = request_user()
    if not user.has_role(*queries.AUTHOR_ROLES):
        return api_error(403)
    body = json_object()
    if body is None:
        return not_an_object()
    unit = user.unit
    if user.has_role(Role.ADMIN) and body.get("unit") is not None:
        unit = get_by_code(str(body["unit"]))
        if unit is None:
            return api_error(422, fields={"unit": _("There is no unit with this code.")})
    if unit is None:
        return api_error(422, fields={"unit": _("Name the unit by its code.")})
    try:
        template = services.build_template(unit, body.get("year"), user, _model_shape(body))
    except services.TemplateRefused as refused:
        return api_error(403, refused.message)
    except services.TemplateError as error:
        db.session.rollback()
        return _error(error)
    db.session.commit()
    return jsonify(template_json(template)), 201


@api.get("/templates/<int:template_id>")
@token_required
def get_template(template_id: int):
    return jsonify(template_json(or_404(queries.get_template(template_id, request_user()))))


def _template_write(template_id: int, write, answer=lambda template, result: jsonify(template_json(template)),
                    fields: tuple[str, ...] | None = None):
    """An author's write to a template: `write(template, user, body)` calls the service and
    `answer(template, its result)` gives the response. The body is a JSON object with the
    `version` read, and a change (`fields`, what it may change) nothing else beside it."""
    user = request_user()
    if not user.has_role(*queries.AUTHOR_ROLES):
        return api_error(403)
    template = or_404(queries.get_template(template_id, user))
    body = json_object()
    if problem := versioned_body_error(body):
        return problem
    if fields is not None and (unknown := unknown_fields(body, ("version", *fields))):
        return unknown
    try:
        result = write(template, user, body)
    except services.TemplateRefused as refused:
        return api_error(403, refused.message)
    except CONFLICTS:
        db.session.rollback()
        return api_error(409, _("Someone else changed this template in the meantime."))
    except services.TemplateError as error:
        db.session.rollback()
        return _error(error)
    db.session.commit()
    return answer(template, result)


@api.post("/templates/<int:template_id>/publish")
@token_required
def publish_template(template_id: int):
    return _template_write(template_id, lambda template, user, body: services.publish(template, user, body["version"]))


@api.patch("/templates/<int:template_id>")
@token_required
def update_template(template_id: int):
    """Which reports the rollups count (`rollup_includes_submitted`), the one setting a
    published template may change; a change on a published template starts a rebuild of its
    unit's rollups, whose task the answer names (`rebuild`)."""
    def answer(template: PlanTemplate, run):
        rebuild = None if run is None else {"task_id": run.id,
                                            "links": {"task": url_for("api.get_task", run_id=run.id)}}
        return jsonify({**template_json(template), "rebuild": rebuild})

    return _template_write(template_id, lambda template, user, body: services.set_counted_reports(
        template, user, body["version"], body.get(services.COUNTING_FIELD)), answer, (services.COUNTING_FIELD,))
