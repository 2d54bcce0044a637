"""Sign-in, the user, org units, templates and background tasks (app/api/views.py,
app/api/plan_templates.py)."""
from app.api.openapi.parts import SECURED, list_of, ref, responses

PATHS = {
    "/api/v1/openapi.json": {
        "get": {"summary": "This document", "security": [],
                "responses": responses("200", {"type": "object"})},
    },
    "/api/v1/auth/token": {
        "post": {
            "summary": "Exchange a username and password for a bearer token",
            "security": [],
            "requestBody": {"required": True, "content": {"application/json": {"schema": ref("Credentials")}}},
            "responses": responses("201", ref("Token"), 400, 401, 422, 429),
        },
        "delete": {
            "summary": "Revoke the token sent with this request",
            "security": SECURED,
            "responses": responses("204", None, 401),
        },
    },
    "/api/v1/me": {
        "get": {"summary": "The token's user", "security": SECURED,
                "responses": responses("200", ref("User"), 401)},
    },
    "/api/v1/org-units": {
        "get": {
            "summary": "Units under a parent (default: the user's own unit)",
            "security": SECURED,
            "parameters": [{"name": "parent", "in": "query", "required": False,
                            "description": "GSO code of the parent unit",
                            "schema": {"type": "string"}}],
            "responses": responses("200", list_of("OrgUnit"), 401, 404),
        },
    },
    "/api/v1/org-units/{code}": {
        "get": {
            "summary": "One unit by its GSO code",
            "security": SECURED,
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": responses("200", ref("OrgUnit"), 401, 404),
        },
    },
    "/api/v1/templates": {
        "get": {
            "summary": "Templates the user may see (communes: published ones only), newest year first",
            "security": SECURED,
            "parameters": [{"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}],
            "responses": responses("200", list_of("TemplateSummary"), 401),
        },
        "post": {
            "summary": "Create a draft template (district officers; `unit` for an admin only)",
            "security": SECURED,
            "requestBody": {"required": True, "content": {"application/json": {"schema": ref("Template")}}},
            "responses": responses("201", ref("Template"), 400, 401, 403, 422),
        },
    },
    "/api/v1/templates/{template_id}": {
        "get": {
            "summary": "One template with its sections, activities and indicators",
            "security": SECURED,
            "parameters": [{"name": "template_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": responses("200", ref("Template"), 401, 404),
        },
        "patch": {
            "summary": "Change which reports the rollups count, the one setting a published template may "
                       "change; on a published template the rollups of its unit are rebuilt (`rebuild`)",
            "security": SECURED,
            "parameters": [{"name": "template_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": ref("CountingChange")}}},
            "responses": responses("200", ref("TemplateCountingChanged"), 400, 401, 403, 404, 409, 422),
        },
    },
    "/api/v1/templates/{template_id}/publish": {
        "post": {
            "summary": "Publish a complete draft template; it never changes afterwards",
            "security": SECURED,
            "parameters": [{"name": "template_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"version": {"type": "integer"}}, "required": ["version"]}}}},
            "responses": responses("200", ref("Template"), 401, 403, 404, 409, 422),
        },
    },
    "/api/v1/tasks/{run_id}": {
        "get": {
            "summary": "State and progress of a background task",
            "security": SECURED,
            "parameters": [{"name": "run_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": responses("200", ref("TaskRun"), 401, 404),
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
    "CountingChange": {
        "type": "object",
        "properties": {"version": {"type": "integer"}, "rollup_includes_submitted": {"type": "boolean"}},
        "required": ["version", "rollup_includes_submitted"],
        "additionalProperties": False,
    },
    "TemplateCountingChanged": {
        "allOf": [ref("Template"), {"type": "object", "properties": {"rebuild": {
            "allOf": [ref("TaskStarted")], "nullable": True,
            "description": "the rebuild of the rollups of the template's unit; null when nothing changed "
                           "or the template is a draft"}}}],
    },
    "Template": {
        "allOf": [ref("TemplateSummary"), {"type": "object", "properties": {
            "legal_basis": {"type": "array", "items": {"type": "string"}},
            "introduction": {"type": "string"}, "closing": {"type": "string"},
            "responsible_bodies": {"type": "array", "items": {"type": "string"}},
            "recipients": {"type": "array", "items": {"type": "string"}},
            "report_period_type": {"type": "string", "enum": ["year", "six_months", "quarter", "month"]},
            "report_deadline_days": {"type": "integer"},
            "rollup_includes_submitted": {
                "type": "boolean", "description": "Whether the rollups count submitted reports before they "
                                                  "are accepted (default: accepted only)."},
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
            "unit": {"allOf": [ref("OrgUnit")], "nullable": True},
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
            "message": {"type": "string", "description": (
                "The last step done, the outcome or the error, in the language of this request")},
            "created_at": {"type": "string", "format": "date-time"},
            "finished_at": {"type": "string", "format": "date-time", "nullable": True},
        },
    },
}
