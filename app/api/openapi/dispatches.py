"""Reports to the province (app/api/dispatches.py)."""
from app.api.openapi.parts import (
                PERIOD,
                SECURED,
                TEXT,
                json_body,
                list_of,
                ref,
                responses,
)

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

PATHS = {
    "/api/v1/report-schedules": {
        "get": {"summary": "The schedules of reports to the province the user may see (district office, province)",
                "security": SECURED, "responses": responses("200", list_of("Schedule"), 401, 403)},
        "post": {"summary": "Schedule a published template's reports to the province (district officer)",
                 "security": SECURED, "requestBody": json_body("ScheduleInput"),
                 "responses": responses("201", ref("Schedule"), 400, 401, 403, 422)},
    },
    "/api/v1/dispatches": {
        "get": {
            "summary": "The reports prepared or sent to the province, newest first",
            "security": SECURED,
            "parameters": [
                {"name": "unit", "in": "query", "required": False, "schema": {"type": "string"},
                 "description": "GSO code of the unit whose reports are listed"},
                {"name": "period", "in": "query", "required": False, "schema": PERIOD},
            ],
            "responses": responses("200", list_of("Dispatch"), 401, 403, 404, 422),
        },
        "post": {
            "summary": "Send one period's report of a schedule now: built if need be, then sent in the "
                       "background (follow the task); a report is never sent twice (409)",
            "security": SECURED,
            "requestBody": json_body("DispatchRequest"),
            "responses": responses("202", ref("DispatchStarted"), 400, 401, 403, 409, 422, 503),
        },
    },
    "/api/v1/dispatches/{dispatch_id}": {
        "get": {"summary": "One report to the province, with its files and their SHA-256",
                "security": SECURED, "parameters": [_DISPATCH_ID],
                "responses": responses("200", ref("Dispatch"), 401, 403, 404)},
    },
    "/api/v1/dispatches/{dispatch_id}/files/{name}": {
        "get": {
            "summary": "A file of the report, as it was (or will be) sent",
            "security": SECURED,
            "parameters": [_DISPATCH_ID, {"name": "name", "in": "path", "required": True, "schema": TEXT,
                                          "example": "bao-cao-402-2023Q3.xlsx"}],
            "responses": {**responses("200", None, 401, 403, 404), "200": {
                "description": "The file (its ETag is its SHA-256)",
                "content": {kind: {"schema": {"type": "string", "format": "binary"}} for kind in _FILE_TYPES}}},
        },
    },
}

SCHEMAS = {
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
            "recipient_name": TEXT,
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
            "links": {"type": "object", "properties": {"self": TEXT}},
        },
        "required": ["name", "content_type", "size", "sha256", "links"],
    },
    "Dispatch": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "unit": {"type": "string", "example": "402"},
            "schedule": {"type": "integer"},
            "period": PERIOD,
            "state": _DISPATCH_STATE,
            "error": {"type": "string", "nullable": True, "description": "why the last attempt failed"},
            "attempts": {"type": "integer", "description": "times sending was attempted"},
            "created_at": {"type": "string", "format": "date-time"},
            "prepared_at": _DATE_TIME,
            "sent_at": _DATE_TIME,
            "files": {"type": "array", "items": ref("DispatchFile")},
            "links": {"type": "object", "properties": {"self": TEXT}},
        },
        "required": ["id", "unit", "schedule", "period", "state", "attempts", "files", "links"],
    },
    "DispatchRequest": {
        "type": "object",
        "properties": {"schedule": {"type": "integer"},
                       "period": {**PERIOD, "description": "a period of the schedule's type in its template's year"}},
        "required": ["schedule", "period"],
        "additionalProperties": False,
    },
    "DispatchStarted": {
        "type": "object",
        "properties": {
            "task_id": {"type": "integer", "description": "follow it at /api/v1/tasks/{task_id}"},
            "dispatch": {"type": "integer"},
            "links": {"type": "object", "properties": {"task": TEXT, "dispatch": TEXT}},
        },
        "required": ["task_id", "dispatch", "links"],
    },
}
