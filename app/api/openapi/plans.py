"""Plans (app/api/plans.py)."""
from app.api.openapi.parts import (
    DOCX,
    PDF,
    PLAN_ID,
    SECURED,
    TEXT,
    conflict,
    document_file,
    json_body,
    list_of,
    ref,
    responses,
    versioned_write,
)

_ACTIVITY_ID = {"name": "activity_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _plan_write(summary: str, body: str, ok_status: str = "200", *errors: int) -> dict:
    return versioned_write("plan", "Plan", summary, body, PLAN_ID, ok_status, *errors)


PATHS = {
    "/api/v1/plans": {
        "get": {
            "summary": "The plans the user may see, newest year first",
            "security": SECURED,
            "parameters": [
                {"name": "year", "in": "query", "schema": {"type": "integer"}},
                {"name": "status", "in": "query",
                 "schema": {"type": "string", "enum": ["draft", "submitted", "approved", "returned"]}},
                {"name": "unit", "in": "query", "description": "GSO code of the commune", "schema": {"type": "string"}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                {"name": "per_page", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
            ],
            "responses": responses("200", ref("PlanPage"), 401, 422),
        },
        "post": {
            "summary": "Create the user's commune's plan from a published template",
            "security": SECURED,
            "requestBody": json_body("NewPlan"),
            "responses": responses("201", ref("Plan"), 400, 401, 403, 409, 422),
        },
    },
    "/api/v1/plans/{plan_id}": {
        "get": {"summary": "One plan", "security": SECURED, "parameters": [PLAN_ID],
                "responses": responses("200", ref("Plan"), 401, 404)},
        "patch": _plan_write("Change the plan's text, targets or document details", "PlanChanges"),
    },
    "/api/v1/plans/{plan_id}/submit": {"post": _plan_write("Submit the plan (commune leader)", "Transition")},
    "/api/v1/plans/{plan_id}/approve": {"post": _plan_write("Approve the plan (district officer)", "Transition")},
    "/api/v1/plans/{plan_id}/return": {
        "post": _plan_write("Return the plan to the commune, with a comment (district officer)", "Transition")},
    "/api/v1/plans/{plan_id}/amend": {
        "post": _plan_write("Reopen an approved plan as a new edition", "Transition")},
    "/api/v1/plans/{plan_id}/versions": {
        "get": {
            "summary": "The versions kept at each submission, oldest first",
            "security": SECURED,
            "parameters": [PLAN_ID, {"name": "content", "in": "query", "description": "1 to include each version's content",
                                      "schema": {"type": "string", "enum": ["0", "1"]}}],
            "responses": responses("200", list_of("PlanVersion"), 401, 404),
        },
    },
    "/api/v1/plans/{plan_id}/document.docx": document_file("The plan as an official document (Word)", DOCX, PLAN_ID),
    "/api/v1/plans/{plan_id}/document.pdf": document_file("The plan as an official document (PDF)", PDF, PLAN_ID),
    "/api/v1/plans/{plan_id}/activities": {
        "post": _plan_write("Add an activity", "ActivityChanges", "201"),
    },
    "/api/v1/plans/{plan_id}/activities/{activity_id}": {
        "patch": {**_plan_write("Change an activity (fields not sent stay as they are)", "ActivityChanges"),
                  "parameters": [PLAN_ID, _ACTIVITY_ID]},
        "delete": {**_plan_write("Remove an activity", "Removal"),
                   "parameters": [PLAN_ID, _ACTIVITY_ID,
                                  {"name": "version", "in": "query", "schema": {"type": "integer"},
                                   "description": "The plan's version, when the request has no body"}],
                   "requestBody": {"required": False,
                                   "content": {"application/json": {"schema": ref("Removal")}}}},
    },
}

_LINES = {"oneOf": [{"type": "array", "items": TEXT}, TEXT]}
_DOCUMENT = {
    "type": "object",
    "properties": {
        "number": {"type": "string", "example": "45/KH-UBND"},
        "place": {"type": "string", "example": "Bình Lương"},
        "date": {"type": "string", "format": "date", "nullable": True},
        "signer_authority": {"type": "string", "example": "TM. ỦY BAN NHÂN DÂN"},
        "signer_title": {"type": "string", "example": "CHỦ TỊCH"},
        "signer_name": TEXT,
        "recipients": {"type": "array", "items": TEXT},
    },
}
_TARGET = {
    "type": "object",
    "properties": {
        "indicator": {"type": "string", "example": "TT01"},
        "sex": {"type": "string", "enum": ["male", "female"], "nullable": True},
        "value": {"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True,
                  "description": "null, or an empty string as a form sends, removes the target; text is read "
                                 "as the request's language writes numbers (Accept-Language, else the user's)"},
    },
    "required": ["indicator", "value"],
}
_ACTIVITY = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "section": {"type": "string", "description": "key of a content area"},
        "name": TEXT, "lead_body": TEXT, "supporting_bodies": TEXT,
        "months": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}},
        "budget_vnd": {"type": "integer", "nullable": True},
        "funding_source": TEXT,
    },
}
_STATUS = {"type": "string", "enum": ["draft", "submitted", "approved", "returned"]}

SCHEMAS = {
    "NewPlan": {"type": "object", "properties": {"template_id": {"type": "integer"}}, "required": ["template_id"],
                "additionalProperties": False},
    "Plan": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "unit": {"type": "string", "example": "16204"},
            "year": {"type": "integer"},
            "template_id": {"type": "integer"},
            "edition": {"type": "integer"},
            "status": _STATUS,
            "version": {"type": "integer", "description": "send it back with every write"},
            "return_comment": {"type": "string", "nullable": True},
            "title": TEXT,
            "legal_basis": {"type": "array", "items": TEXT},
            "introduction": TEXT,
            "closing": TEXT,
            "sections": {"type": "array", "items": {"type": "object", "properties": {
                "key": TEXT, "level": {"type": "integer"}, "heading": TEXT, "text": TEXT,
                "editable": {"type": "boolean"}}}},
            "activities": {"type": "array", "items": _ACTIVITY},
            "targets": {"type": "array", "items": _TARGET},
            "document": _DOCUMENT,
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "required": ["id", "unit", "year", "status", "version", "sections", "activities", "targets", "document"],
    },
    "PlanSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "unit": TEXT, "unit_name": TEXT, "year": {"type": "integer"},
            "status": _STATUS, "edition": {"type": "integer"}, "version": {"type": "integer"},
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
    "PlanPage": {
        "type": "object",
        "properties": {"items": {"type": "array", "items": ref("PlanSummary")},
                       "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"}},
        "required": ["items", "page", "per_page", "total"],
    },
    "PlanChanges": {
        "type": "object",
        "description": "Only the fields sent change; everything is checked before anything is saved.",
        "properties": {
            "version": {"type": "integer"},
            "title": TEXT, "legal_basis": _LINES, "introduction": TEXT, "closing": TEXT,
            "sections": {"oneOf": [
                {"type": "array", "items": {"type": "object", "properties": {"key": TEXT, "text": TEXT},
                                            "required": ["key", "text"]}},
                {"type": "object", "additionalProperties": TEXT}],
                "description": "A section's key sent twice in the list answers 422."},
            "targets": {"type": "array", "items": _TARGET,
                        "description": "By sex, the total is men plus women: men and women give the total (when it is not "
                                       "sent), the total and one sex the other, and one sex alone answers 422; a "
                                       "total sent that is not men plus women answers 422. A figure "
                                       "(indicator and sex) sent twice answers 422."},
            "document": {**_DOCUMENT, "properties": {**_DOCUMENT["properties"], "recipients": _LINES}},
        },
        "required": ["version"],
        "additionalProperties": False,
    },
    "ActivityChanges": {
        "type": "object",
        "properties": {**{name: field for name, field in _ACTIVITY["properties"].items() if name != "id"},
                       "version": {"type": "integer"},
                       "months": {"oneOf": [_ACTIVITY["properties"]["months"], TEXT]}},
        "required": ["version"],
        "additionalProperties": False,
    },
    "Transition": {
        "type": "object",
        "properties": {"version": {"type": "integer"},
                       "comment": {"type": "string", "description": "required to return a plan"}},
        "required": ["version"],
        "additionalProperties": False,
    },
    "Removal": {"type": "object", "properties": {"version": {"type": "integer"}}, "required": ["version"]},
    "PlanVersion": {
        "type": "object",
        "properties": {
            "number": {"type": "integer"}, "edition": {"type": "integer"}, "status": _STATUS,
            "created_at": {"type": "string", "format": "date-time"},
            "created_by": {"type": "object", "nullable": True,
                           "properties": {"id": {"type": "integer"}, "name": TEXT}},
            "content": {"type": "object", "description": "with ?content=1: the plan as it was submitted"},
        },
    },
    "PlanConflict": conflict("Plan"),
}
