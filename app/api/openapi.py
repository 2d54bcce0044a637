"""The OpenAPI 3 description of /api/v1. A test keeps it in step with the app's routes."""

ERROR = {"$ref": "#/components/schemas/Error"}


def _responses(ok_status: str, ok_schema: dict | None, *errors: int) -> dict:
    responses = {ok_status: {"description": "Success"}}
    if ok_schema is not None:
        responses[ok_status]["content"] = {"application/json": {"schema": ok_schema}}
    for status in errors:
        responses[str(status)] = {
            "description": "Error",
            "content": {"application/json": {"schema": ERROR}},
        }
    return responses


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _items(name: str) -> dict:
    return {"type": "object", "properties": {"items": {"type": "array", "items": _ref(name)}},
            "required": ["items"]}


SECURED = [{"bearerAuth": []}]

PATHS = {
    "/api/v1/openapi.json": {
        "get": {"summary": "This document", "security": [],
                "responses": _responses("200", {"type": "object"})},
    },
    "/api/v1/auth/token": {
        "post": {
            "summary": "Exchange a username and password for a bearer token",
            "security": [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Credentials")}}},
            "responses": _responses("201", _ref("Token"), 400, 401, 422, 429),
        },
        "delete": {
            "summary": "Revoke the token sent with this request",
            "security": SECURED,
            "responses": _responses("204", None, 401),
        },
    },
    "/api/v1/me": {
        "get": {"summary": "The token's user", "security": SECURED,
                "responses": _responses("200", _ref("User"), 401)},
    },
    "/api/v1/org-units": {
        "get": {
            "summary": "Units under a parent (default: the user's own unit)",
            "security": SECURED,
            "parameters": [{"name": "parent", "in": "query", "required": False,
                            "description": "GSO code of the parent unit",
                            "schema": {"type": "string"}}],
            "responses": _responses("200", _items("OrgUnit"), 401, 404),
        },
    },
    "/api/v1/org-units/{code}": {
        "get": {
            "summary": "One unit by its GSO code",
            "security": SECURED,
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": _responses("200", _ref("OrgUnit"), 401, 404),
        },
    },
    "/api/v1/templates": {
        "get": {
            "summary": "Templates the user may see (communes: published ones only), newest year first",
            "security": SECURED,
            "parameters": [{"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}],
            "responses": _responses("200", _items("TemplateSummary"), 401),
        },
        "post": {
            "summary": "Create a draft template (district officers; `unit` for an admin only)",
            "security": SECURED,
            "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Template")}}},
            "responses": _responses("201", _ref("Template"), 400, 401, 403, 422),
        },
    },
    "/api/v1/templates/{template_id}": {
        "get": {
            "summary": "One template with its sections, activities and indicators",
            "security": SECURED,
            "parameters": [{"name": "template_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": _responses("200", _ref("Template"), 401, 404),
        },
    },
    "/api/v1/templates/{template_id}/publish": {
        "post": {
            "summary": "Publish a complete draft template; it never changes afterwards",
            "security": SECURED,
            "parameters": [{"name": "template_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"version": {"type": "integer"}}, "required": ["version"]}}}},
            "responses": _responses("200", _ref("Template"), 401, 403, 404, 409, 422),
        },
    },
    "/api/v1/tasks/{run_id}": {
        "get": {
            "summary": "State and progress of a background task",
            "security": SECURED,
            "parameters": [{"name": "run_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": _responses("200", _ref("TaskRun"), 401, 404),
        },
    },
}

SCHEMAS = {
    "TemplateSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "unit": {"type": "string", "example": "402"},
            "year": {"type": "integer"}, "revision": {"type": "integer"},
            "status": {"type": "string", "enum": ["draft", "published"]}, "version": {"type": "integer"},
            "title": {"type": "string"},
            "published_at": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
    "Template": {
        "allOf": [_ref("TemplateSummary"), {"type": "object", "properties": {
            "legal_basis": {"type": "array", "items": {"type": "string"}},
            "introduction": {"type": "string"}, "closing": {"type": "string"},
            "responsible_bodies": {"type": "array", "items": {"type": "string"}},
            "recipients": {"type": "array", "items": {"type": "string"}},
            "report_period_type": {"type": "string", "enum": ["year", "six_months", "quarter", "month"]},
            "report_deadline_days": {"type": "integer"},
            "sections": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}, "level": {"type": "integer", "enum": [1, 2]},
                "heading": {"type": "string"}, "guidance": {"type": "string"},
                "default_text": {"type": "string"}, "editable": {"type": "boolean"}}}},
            "activities": {"type": "array", "items": {"type": "object", "properties": {
                "section": {"type": "string"}, "name": {"type": "string"}, "lead_body": {"type": "string"}}}},
            "indicators": {"type": "array", "items": {"type": "object", "properties": {
                "code": {"type": "string", "example": "TT01"}, "name": {"type": "string"},
                "unit": {"type": "string"},
                "value_type": {"type": "string", "enum": ["integer", "decimal", "percent", "boolean"]},
                "aggregation": {"type": "string",
                                "enum": ["sum", "average", "min", "max", "count_true", "ratio"]},
                "numerator": {"type": "string", "nullable": True},
                "denominator": {"type": "string", "nullable": True},
                "disaggregation": {"type": "string", "enum": ["none", "sex"]},
                "time_aggregation": {"type": "string", "enum": ["sum", "last"]},
                "minimum_target": {"type": "number", "nullable": True}}}},
        }}],
    },
    "Error": {
        "type": "object",
        "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        }, "required": ["code", "message"]}},
        "required": ["error"],
    },
    "Credentials": {
        "type": "object",
        "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
        "required": ["username", "password"],
    },
    "Token": {
        "type": "object",
        "properties": {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}},
        "required": ["token", "expires_at"],
    },
    "OrgUnit": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "example": "16204"},
            "name": {"type": "string", "example": "Xã Bình Lương"},
            "short_name": {"type": "string"},
            "division_type": {"type": "string"},
            "level": {"type": "string", "enum": ["province", "district", "commune"]},
            "parent": {"type": "string", "nullable": True},
        },
        "required": ["code", "name", "level"],
    },
    "User": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "username": {"type": "string"},
            "full_name": {"type": "string"},
            "role": {"type": "string"},
            "unit": {"allOf": [_ref("OrgUnit")], "nullable": True},
            "locale": {"type": "string", "enum": ["vi", "en"]},
        },
    },
    "TaskRun": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "state": {"type": "string", "enum": ["queued", "running", "done", "failed"]},
            "progress": {"type": "object", "properties": {
                "done": {"type": "integer"}, "total": {"type": "integer"}, "percent": {"type": "integer"}}},
            "message": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
            "finished_at": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
}


# --- Plans (app/api/plans.py) ---------------------------------------------------------------

_PLAN_ID = {"name": "plan_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ACTIVITY_ID = {"name": "activity_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _json_body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def _plan_write(summary: str, body: str, ok_status: str = "200", *errors: int) -> dict:
    """A write answering the plan; its 409 carries the saved plan when the version was stale."""
    responses = _responses(ok_status, _ref("Plan"), 400, 401, 403, 404, 422, *errors)
    responses["409"] = {"description": "Stale version (the saved plan is in error.current), or "
                                       "not allowed in the plan's state",
                        "content": {"application/json": {"schema": _ref("PlanConflict")}}}
    return {"summary": summary, "security": SECURED, "parameters": [_PLAN_ID],
            "requestBody": _json_body(body), "responses": responses}


def _plan_document(kind: str, mimetype: str) -> dict:
    responses = _responses("200", None, 401, 404)
    responses["200"]["content"] = {mimetype: {"schema": {"type": "string", "format": "binary"}}}
    return {"get": {"summary": f"The plan as an official document ({kind})", "security": SECURED,
                    "parameters": [_PLAN_ID], "responses": responses}}


PATHS.update({
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
            "responses": _responses("200", _ref("PlanPage"), 401, 422),
        },
        "post": {
            "summary": "Create the user's commune's plan from a published template",
            "security": SECURED,
            "requestBody": _json_body("NewPlan"),
            "responses": _responses("201", _ref("Plan"), 400, 401, 403, 409, 422),
        },
    },
    "/api/v1/plans/{plan_id}": {
        "get": {"summary": "One plan", "security": SECURED, "parameters": [_PLAN_ID],
                "responses": _responses("200", _ref("Plan"), 401, 404)},
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
            "parameters": [_PLAN_ID, {"name": "content", "in": "query", "description": "1 to include each version's content",
                                      "schema": {"type": "string", "enum": ["0", "1"]}}],
            "responses": _responses("200", _items("PlanVersion"), 401, 404),
        },
    },
    "/api/v1/plans/{plan_id}/document.docx": _plan_document(
        "Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "/api/v1/plans/{plan_id}/document.pdf": _plan_document("PDF", "application/pdf"),
    "/api/v1/plans/{plan_id}/activities": {
        "post": _plan_write("Add an activity", "ActivityChanges", "201"),
    },
    "/api/v1/plans/{plan_id}/activities/{activity_id}": {
        "patch": {**_plan_write("Change an activity (fields not sent stay as they are)", "ActivityChanges"),
                  "parameters": [_PLAN_ID, _ACTIVITY_ID]},
        "delete": {**_plan_write("Remove an activity", "Transition"),
                   "parameters": [_PLAN_ID, _ACTIVITY_ID,
                                  {"name": "version", "in": "query", "schema": {"type": "integer"},
                                   "description": "The plan's version, when the request has no body"}],
                   "requestBody": {"required": False,
                                   "content": {"application/json": {"schema": _ref("Transition")}}}},
    },
})

_TEXT = {"type": "string"}
_LINES = {"oneOf": [{"type": "array", "items": _TEXT}, _TEXT]}
_DOCUMENT = {
    "type": "object",
    "properties": {
        "number": {"type": "string", "example": "45/KH-UBND"},
        "place": {"type": "string", "example": "Bình Lương"},
        "date": {"type": "string", "format": "date", "nullable": True},
        "signer_authority": {"type": "string", "example": "TM. ỦY BAN NHÂN DÂN"},
        "signer_title": {"type": "string", "example": "CHỦ TỊCH"},
        "signer_name": _TEXT,
        "recipients": {"type": "array", "items": _TEXT},
    },
}
_TARGET = {
    "type": "object",
    "properties": {
        "indicator": {"type": "string", "example": "TT01"},
        "sex": {"type": "string", "enum": ["male", "female"], "nullable": True},
        "value": {"type": "number", "nullable": True, "description": "null removes the target"},
    },
    "required": ["indicator", "value"],
}
_ACTIVITY = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "section": {"type": "string", "description": "key of a content area"},
        "name": _TEXT, "lead_body": _TEXT, "supporting_bodies": _TEXT,
        "months": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 12}},
        "budget_vnd": {"type": "integer", "nullable": True},
        "funding_source": _TEXT,
    },
}
_STATUS = {"type": "string", "enum": ["draft", "submitted", "approved", "returned"]}

SCHEMAS.update({
    "NewPlan": {"type": "object", "properties": {"template_id": {"type": "integer"}}, "required": ["template_id"]},
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
            "title": _TEXT,
            "legal_basis": {"type": "array", "items": _TEXT},
            "introduction": _TEXT,
            "closing": _TEXT,
            "sections": {"type": "array", "items": {"type": "object", "properties": {
                "key": _TEXT, "level": {"type": "integer"}, "heading": _TEXT, "text": _TEXT,
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
            "id": {"type": "integer"}, "unit": _TEXT, "unit_name": _TEXT, "year": {"type": "integer"},
            "status": _STATUS, "edition": {"type": "integer"}, "version": {"type": "integer"},
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
    "PlanPage": {
        "type": "object",
        "properties": {"items": {"type": "array", "items": _ref("PlanSummary")},
                       "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"}},
        "required": ["items", "page", "per_page", "total"],
    },
    "PlanChanges": {
        "type": "object",
        "description": "Only the fields sent change; everything is checked before anything is saved.",
        "properties": {
            "version": {"type": "integer"},
            "title": _TEXT, "legal_basis": _LINES, "introduction": _TEXT, "closing": _TEXT,
            "sections": {"oneOf": [
                {"type": "array", "items": {"type": "object", "properties": {"key": _TEXT, "text": _TEXT},
                                            "required": ["key", "text"]}},
                {"type": "object", "additionalProperties": _TEXT}]},
            "targets": {"type": "array", "items": _TARGET},
            "document": {**_DOCUMENT, "properties": {**_DOCUMENT["properties"], "recipients": _LINES}},
        },
        "required": ["version"],
    },
    "ActivityChanges": {
        "type": "object",
        "properties": {**_ACTIVITY["properties"], "version": {"type": "integer"},
                       "months": {"oneOf": [_ACTIVITY["properties"]["months"], _TEXT]}},
        "required": ["version"],
    },
    "Transition": {
        "type": "object",
        "properties": {"version": {"type": "integer"},
                       "comment": {"type": "string", "description": "required to return a plan"}},
        "required": ["version"],
    },
    "PlanVersion": {
        "type": "object",
        "properties": {
            "number": {"type": "integer"}, "edition": {"type": "integer"}, "status": _STATUS,
            "created_at": {"type": "string", "format": "date-time"},
            "created_by": {"type": "object", "nullable": True,
                           "properties": {"id": {"type": "integer"}, "name": _TEXT}},
            "content": {"type": "object", "description": "with ?content=1: the plan as it was submitted"},
        },
    },
    "PlanConflict": {
        "type": "object",
        "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string", "enum": ["conflict", "stale_version"]},
            "message": _TEXT,
            "current": _ref("Plan"),
        }, "required": ["code", "message"]}},
        "required": ["error"],
    },
})


# --- Reports and rollups (app/api/reports.py, app/api/rollups.py) ---------------------------

_REPORT_ID = {"name": "report_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_REPORT_STATUS = {"type": "string", "enum": ["draft", "submitted", "accepted", "returned"]}
_SEX = {"type": "string", "enum": ["male", "female"], "nullable": True, "description": "null for the total"}
_NUMBER = {"type": "number", "nullable": True}
_PERIOD = {"type": "string", "example": "2023Q3", "description": "DHIS2 period id: 2023, 2023S1, 2023Q3, 202304"}


def _report_write(summary: str, body: str) -> dict:
    """A write answering the report; its 409 carries the saved report when the version was stale."""
    responses = _responses("200", _ref("Report"), 400, 401, 403, 404, 422)
    responses["409"] = {"description": "Stale version (the saved report is in error.current), or "
                                       "not allowed in the report's state",
                        "content": {"application/json": {"schema": _ref("ReportConflict")}}}
    return {"summary": summary, "security": SECURED, "parameters": [_REPORT_ID],
            "requestBody": _json_body(body), "responses": responses}


PATHS.update({
    "/api/v1/plans/{plan_id}/reports": {
        "get": {"summary": "Each period the plan reports on, with its state, deadline and report",
                "security": SECURED, "parameters": [_PLAN_ID],
                "responses": _responses("200", _items("ReportPeriod"), 401, 404)},
        "post": {"summary": "Start the report of one of the plan's periods (commune users; approved plans)",
                 "security": SECURED, "parameters": [_PLAN_ID], "requestBody": _json_body("NewReport"),
                 "responses": _responses("201", _ref("Report"), 400, 401, 403, 404, 409, 422)},
    },
    "/api/v1/reports/{report_id}": {
        "get": {"summary": "One report", "security": SECURED, "parameters": [_REPORT_ID],
                "responses": _responses("200", _ref("Report"), 401, 404)},
        "patch": _report_write("Change the report's values or activities (the answer has `warnings`)",
                               "ReportChanges"),
    },
    "/api/v1/reports/{report_id}/submit": {"post": _report_write("Submit the report (commune leader)", "Transition")},
    "/api/v1/reports/{report_id}/accept": {"post": _report_write("Accept the report (district officer)", "Transition")},
    "/api/v1/reports/{report_id}/return": {
        "post": _report_write("Return the report to the commune, with a comment (district officer)", "Transition")},
    "/api/v1/rollups": {
        "get": {
            "summary": "A unit's rolled-up figures for a period, with its children's values",
            "security": SECURED,
            "parameters": [
                {"name": "unit", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "GSO code (default: the user's unit). Above the user's unit: totals only"},
                {"name": "period", "in": "query", "required": True, "schema": _PERIOD},
            ],
            "responses": _responses("200", _ref("Rollup"), 401, 404, 422),
        },
    },
    "/api/v1/rollups/refresh": {
        "post": {
            "summary": "Rebuild the rollups of a unit's subtree in the background (district office)",
            "security": SECURED,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"unit": {"type": "string", "description": "default: the user's unit"}}}}}},
            "responses": _responses("202", _ref("TaskStarted"), 400, 401, 403, 404, 422),
        },
    },
})

_REPORT_VALUE = {"type": "object", "properties": {
    "indicator": {"type": "string", "example": "TT01"}, "sex": _SEX,
    "value": {"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True,
              "description": "null removes the value"}},
    "required": ["indicator", "value"]}
_PROGRESS = {"type": "string", "enum": ["not_started", "in_progress", "done", "cancelled"]}

SCHEMAS.update({
    "NewReport": {"type": "object", "properties": {"period": _PERIOD}, "required": ["period"]},
    "ReportSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "period": _PERIOD, "status": _REPORT_STATUS, "late": {"type": "boolean"},
            "version": {"type": "integer"},
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
            "decided_at": {"type": "string", "format": "date-time", "nullable": True},
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "ReportPeriod": {
        "type": "object",
        "properties": {
            "period": _PERIOD,
            "state": {"type": "string", "enum": ["open", "due", "late", "closed"]},
            "deadline": {"type": "string", "format": "date"},
            "report": {"allOf": [_ref("ReportSummary")], "nullable": True},
        },
        "required": ["period", "state", "deadline", "report"],
    },
    "Report": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "plan": {"type": "integer"},
            "unit": {"type": "string", "example": "16204"}, "period": _PERIOD,
            "status": _REPORT_STATUS, "late": {"type": "boolean"},
            "version": {"type": "integer", "description": "send it back with every write"},
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
            "decided_at": {"type": "string", "format": "date-time", "nullable": True},
            "return_comment": {"type": "string", "nullable": True},
            "values": {"type": "array", "items": {"type": "object", "properties": {
                "indicator": _TEXT, "sex": _SEX, "value": {"type": "number"}}}},
            "activities": {"type": "array", "items": {"type": "object", "properties": {
                "activity": {"type": "integer"}, "name": _TEXT, "progress": _PROGRESS, "note": _TEXT,
                "budget_spent": {"type": "integer", "nullable": True}}}},
            "warnings": {"type": "array", "items": _TEXT,
                         "description": "in the answer to a PATCH: values that look wrong but were saved"},
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "required": ["id", "plan", "unit", "period", "status", "version", "values", "activities"],
    },
    "ReportChanges": {
        "type": "object",
        "description": "Only what is sent changes; everything is checked before anything is saved.",
        "properties": {
            "version": {"type": "integer"},
            "values": {"type": "array", "items": _REPORT_VALUE},
            "activities": {"type": "array", "items": {"type": "object", "properties": {
                "activity": {"type": "integer"}, "progress": _PROGRESS, "note": _TEXT,
                "budget_spent": {"type": "integer", "nullable": True}}, "required": ["activity"]}},
        },
        "required": ["version"],
    },
    "ReportConflict": {
        "type": "object",
        "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string", "enum": ["conflict", "stale_version"]},
            "message": _TEXT,
            "current": _ref("Report"),
        }, "required": ["code", "message"]}},
        "required": ["error"],
    },
    "Rollup": {
        "type": "object",
        "properties": {
            "unit": {"type": "string", "example": "402"}, "period": _PERIOD,
            "computed_at": {"type": "string", "format": "date-time", "nullable": True},
            "stale": {"type": "boolean", "description": "newer data is waiting, or never computed"},
            "completeness": {"type": "object", "properties": {
                "expected": {"type": "integer"}, "received": {"type": "integer"}, "on_time": {"type": "integer"}}},
            "indicators": {"type": "array", "items": {"type": "object", "properties": {
                "indicator": _TEXT, "sex": _SEX, "value": _NUMBER, "target": _NUMBER,
                "reporting": {"type": "integer", "description": "communes that reported a value"},
                "children": {"type": "object", "additionalProperties": _NUMBER,
                             "description": "child unit code → its value (empty above the user's unit)"}}}},
        },
        "required": ["unit", "period", "computed_at", "stale", "completeness", "indicators"],
    },
    "TaskStarted": {
        "type": "object",
        "properties": {"task_id": {"type": "integer"},
                       "links": {"type": "object", "properties": {"task": _TEXT}}},
        "required": ["task_id"],
    },
})


# --- Reports to the province (app/api/dispatches.py) ----------------------------------------

_DISPATCH_ID = {"name": "dispatch_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_PERIOD_TYPE = {"type": "string", "enum": ["year", "six_months", "quarter", "month"],
                "description": "the template's reporting period, or the year"}
_FORMATS = {"type": "array", "items": {"type": "string", "enum": ["xlsx", "docx"]}, "minItems": 1}
_SEND_MODE = {"type": "string", "enum": ["review", "automatic"],
              "description": "review: prepared for the officer to send; automatic: sent once prepared"}
_DISPATCH_STATE = {"type": "string", "enum": ["preparing", "prepared", "sending", "sent", "failed"]}
_DATE_TIME = {"type": "string", "format": "date-time", "nullable": True}
_FILE_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

PATHS.update({
    "/api/v1/report-schedules": {
        "get": {"summary": "The schedules of reports to the province the user may see (district office, province)",
                "security": SECURED, "responses": _responses("200", _items("Schedule"), 401, 403)},
        "post": {"summary": "Schedule a published template's reports to the province (district officer)",
                 "security": SECURED, "requestBody": _json_body("ScheduleInput"),
                 "responses": _responses("201", _ref("Schedule"), 400, 401, 403, 422)},
    },
    "/api/v1/dispatches": {
        "get": {
            "summary": "The reports prepared or sent to the province, newest first",
            "security": SECURED,
            "parameters": [
                {"name": "unit", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "GSO code of the unit whose reports are listed"},
                {"name": "period", "in": "query", "required": False, "schema": _PERIOD},
            ],
            "responses": _responses("200", _items("Dispatch"), 401, 403, 404, 422),
        },
        "post": {
            "summary": "Send one period's report of a schedule now: built if need be, then sent in the "
                       "background (follow the task); a report is never sent twice (409)",
            "security": SECURED,
            "requestBody": _json_body("DispatchRequest"),
            "responses": _responses("202", _ref("DispatchStarted"), 400, 401, 403, 409, 422),
        },
    },
    "/api/v1/dispatches/{dispatch_id}": {
        "get": {"summary": "One report to the province, with its files and their SHA-256",
                "security": SECURED, "parameters": [_DISPATCH_ID],
                "responses": _responses("200", _ref("Dispatch"), 401, 403, 404)},
    },
    "/api/v1/dispatches/{dispatch_id}/files/{name}": {
        "get": {
            "summary": "A file of the report, as it was (or will be) sent",
            "security": SECURED,
            "parameters": [_DISPATCH_ID, {"name": "name", "in": "path", "required": True, "schema": _TEXT,
                                          "example": "bao-cao-402-2023Q3.xlsx"}],
            "responses": {**_responses("200", None, 401, 403, 404), "200": {
                "description": "The file (its ETag is its SHA-256)",
                "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in _FILE_TYPES}}},
        },
    },
})

SCHEMAS.update({
    "ScheduleInput": {
        "type": "object",
        "description": "Everything is checked before anything is saved; the errors come by field.",
        "properties": {
            "template": {"type": "integer", "description": "id of a published template of the user's unit"},
            "period_type": _PERIOD_TYPE,
            "days_after_deadline": {"type": "integer", "minimum": 0, "maximum": 365, "default": 5,
                                    "description": "after the communes' reporting deadline (07:00, Viet Nam time)"},
            "recipient_name": {"type": "string", "example": "Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa"},
            "recipient_emails": {"oneOf": [{"type": "array", "items": {"type": "string", "format": "email"}},
                                           {"type": "string", "description": "separated by commas"}]},
            "formats": {"oneOf": [_FORMATS, {"type": "string", "example": "xlsx,docx"}]},
            "mode": {**_SEND_MODE, "default": "review"},
            "active": {"type": "boolean", "default": True},
        },
        "required": ["template", "period_type", "recipient_name", "recipient_emails", "formats"],
    },
    "Schedule": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "unit": {"type": "string", "example": "402"},
            "template": {"type": "integer"},
            "period_type": _PERIOD_TYPE,
            "days_after_deadline": {"type": "integer"},
            "recipient_name": _TEXT,
            "recipient_emails": {"type": "array", "items": {"type": "string", "format": "email"}},
            "formats": _FORMATS,
            "mode": _SEND_MODE,
            "active": {"type": "boolean"},
        },
        "required": ["id", "unit", "template", "period_type", "days_after_deadline", "recipient_name",
                     "recipient_emails", "formats", "mode", "active"],
    },
    "DispatchFile": {
        "type": "object",
        "properties": {
            "name": {"type": "string", "example": "bao-cao-402-2023Q3.xlsx"},
            "content_type": {"type": "string", "enum": list(_FILE_TYPES)},
            "size": {"type": "integer", "description": "bytes"},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "links": {"type": "object", "properties": {"self": _TEXT}},
        },
        "required": ["name", "content_type", "size", "sha256", "links"],
    },
    "Dispatch": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "unit": {"type": "string", "example": "402"},
            "schedule": {"type": "integer"},
            "period": _PERIOD,
            "state": _DISPATCH_STATE,
            "error": {"type": "string", "nullable": True, "description": "why the last attempt failed"},
            "attempts": {"type": "integer", "description": "times sending was attempted"},
            "created_at": {"type": "string", "format": "date-time"},
            "prepared_at": _DATE_TIME,
            "sent_at": _DATE_TIME,
            "files": {"type": "array", "items": _ref("DispatchFile")},
            "links": {"type": "object", "properties": {"self": _TEXT}},
        },
        "required": ["id", "unit", "schedule", "period", "state", "attempts", "files", "links"],
    },
    "DispatchRequest": {
        "type": "object",
        "properties": {"schedule": {"type": "integer"},
                       "period": {**_PERIOD, "description": "a period of the schedule's type in its template's year"}},
        "required": ["schedule", "period"],
    },
    "DispatchStarted": {
        "type": "object",
        "properties": {
            "task_id": {"type": "integer", "description": "follow it at /api/v1/tasks/{task_id}"},
            "dispatch": {"type": "integer"},
            "links": {"type": "object", "properties": {"task": _TEXT, "dispatch": _TEXT}},
        },
        "required": ["task_id", "dispatch", "links"],
    },
})


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kế hoạch API", "version": "1"},
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": SECURED,
    }
