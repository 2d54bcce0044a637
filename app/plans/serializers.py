"""The plan as JSON: the API's shape, and the frozen content of a version."""
from decimal import Decimal

from app.plans.models import Plan


def number_json(value: Decimal | None):
    """Whole numbers as ints, others as floats: `120`, not `"120.00"`."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def plan_content(plan: Plan) -> dict:
    """What a version freezes: the text, the figures and the document details."""
    return {
        "title": plan.title,
        "legal_basis": plan.legal_basis_lines,
        "introduction": plan.introduction,
        "closing": plan.closing,
        "sections": [
            {"key": section.key, "level": section.level, "heading": section.heading,
             "text": section.text, "editable": section.editable}
            for section in plan.sections
        ],
        "activities": [
            {"id": activity.id, "section": activity.section_key, "name": activity.name,
             "lead_body": activity.lead_body, "supporting_bodies": activity.supporting_bodies,
             "months": activity.month_list, "budget_vnd": activity.budget_vnd,
             "funding_source": activity.funding_source}
            for activity in plan.activities
        ],
        "targets": [
            {"indicator": target.indicator.code, "sex": target.sex, "value": number_json(target.value)}
            for target in sorted(plan.targets, key=lambda t: (t.indicator.position, t.sex or ""))
        ],
        "document": {
            "number": plan.document_number,
            "place": plan.place,
            "date": plan.document_date.isoformat() if plan.document_date else None,
            "signer_authority": plan.signer_authority,
            "signer_title": plan.signer_title,
            "signer_name": plan.signer_name,
            "recipients": plan.recipient_lines,
        },
    }


def plan_json(plan: Plan) -> dict:
    return {
        "id": plan.id,
        "unit": plan.unit.code,
        "year": plan.year,
        "template_id": plan.template_id,
        "edition": plan.edition,
        "status": plan.status,
        "version": plan.version,
        "return_comment": plan.return_comment or None,
        **plan_content(plan),
    }
