"""Reports and rollups (app/api/reports.py, app/api/rollups.py)."""
from app.api.openapi.parts import (
    DOCX,
    PDF,
    PERIOD,
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

_REPORT_ID = {"name": "report_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_REPORT_STATUS = {"type": "string", "enum": ["draft", "submitted", "accepted", "returned"]}
_SEX = {"type": "string", "enum": ["male", "female"], "nullable": True, "description": "null for the total"}
_NUMBER = {"type": "number", "nullable": True}
_ASSESSMENT = {"type": "string", "maxLength": 20000,
               "description": "the commune's assessment and proposals, the last part of the report's document"}
_DOCUMENT_NUMBER = {"type": "string", "maxLength": 64,
                    "description": "the number of the report's document, on one line: '12/BC-UBND', or '12' "
                                   "for the suffix to be added; empty leaves it to be written by hand"}


def _report_write(summary: str, body: str) -> dict:
    return versioned_write("report", "Report", summary, body, _REPORT_ID)


PATHS = {
    "/api/v1/plans/{plan_id}/reports": {
        "get": {"summary": "Each period the plan reports on, with its state, deadline and report",
                "security": SECURED, "parameters": [PLAN_ID],
                "responses": responses("200", list_of("ReportPeriod"), 401, 404)},
        "post": {"summary": "Start the report of one of the plan's periods (commune users; approved plans)",
                 "security": SECURED, "parameters": [PLAN_ID], "requestBody": json_body("NewReport"),
                 "responses": responses("201", ref("Report"), 400, 401, 403, 404, 409, 422)},
    },
    "/api/v1/reports/{report_id}/document.docx": document_file(
        "The report as the commune's official BÁO CÁO (Word)", DOCX, _REPORT_ID),
    "/api/v1/reports/{report_id}/document.pdf": document_file(
        "The report as the commune's official BÁO CÁO (PDF)", PDF, _REPORT_ID),
    "/api/v1/reports/{report_id}": {
        "get": {"summary": "One report", "security": SECURED, "parameters": [_REPORT_ID],
                "responses": responses("200", ref("Report"), 401, 404)},
        "patch": _report_write("Change the report's values or activities (the answer has `warnings`)",
                               "ReportChanges"),
    },
    "/api/v1/reports/{report_id}/submit": {"post": _report_write(
        "Submit the report (commune leader); figures saved before a rule that they break (one sex alone) "
        "answer 422 on their fields", "Transition")},
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
                {"name": "period", "in": "query", "required": True, "schema": PERIOD},
            ],
            "responses": responses("200", ref("Rollup"), 401, 404, 422),
        },
    },
    "/api/v1/rollups/refresh": {
        "post": {
            "summary": "Rebuild the rollups of a unit's subtree in the background (district office)",
            "security": SECURED,
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"unit": {"type": "string", "description": "default: the user's unit"}},
                "additionalProperties": False}}}},
            "responses": responses("202", ref("TaskStarted"), 400, 401, 403, 404, 422, 503),
        },
    },
}

_REPORT_VALUE = {"type": "object", "properties": {
    "indicator": {"type": "string", "example": "TT01"}, "sex": _SEX,
    "value": {"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True,
              "description": "null, or an empty string as a form sends, removes the value; text is read as "
                             "the request's language writes numbers (Accept-Language, else the user's)"}},
    "required": ["indicator", "value"]}
_PROGRESS = {"type": "string", "enum": ["not_started", "in_progress", "done", "cancelled"]}

SCHEMAS = {
    "NewReport": {"type": "object", "properties": {"period": PERIOD}, "required": ["period"],
                  "additionalProperties": False},
    "ReportSummary": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "period": PERIOD, "status": _REPORT_STATUS, "late": {"type": "boolean"},
            "version": {"type": "integer"},
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
            "decided_at": {"type": "string", "format": "date-time", "nullable": True},
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "ReportPeriod": {
        "type": "object",
        "properties": {
            "period": PERIOD,
            "state": {"type": "string", "enum": ["open", "due", "late", "closed"]},
            "deadline": {"type": "string", "format": "date"},
            "report": {"allOf": [ref("ReportSummary")], "nullable": True},
        },
        "required": ["period", "state", "deadline", "report"],
    },
    "Report": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "plan": {"type": "integer"},
            "unit": {"type": "string", "example": "16204"}, "period": PERIOD,
            "status": _REPORT_STATUS, "late": {
                "type": "boolean", "description": "first submitted after the period's deadline (a return does not "
                                                  "move the deadline)"},
            "version": {"type": "integer", "description": "send it back with every write"},
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
            "decided_at": {"type": "string", "format": "date-time", "nullable": True},
            "return_comment": {"type": "string", "nullable": True},
            "values": {"type": "array", "items": {"type": "object", "properties": {
                "indicator": TEXT, "sex": _SEX, "value": {"type": "number"}}}},
            "activities": {"type": "array", "items": {"type": "object", "properties": {
                "activity": {"type": "integer"}, "name": TEXT, "progress": _PROGRESS, "note": TEXT,
                "budget_spent": {"type": "integer", "nullable": True}}}},
            "assessment": _ASSESSMENT,
            "document_number": _DOCUMENT_NUMBER,
            "warnings": {"type": "array", "items": TEXT,
                         "description": "in the answer to a PATCH: values that look wrong but were saved"},
            "incomplete": {"type": "object", "additionalProperties": TEXT,
                           "example": {"values.TT02.female": "Vui lòng nhập cả số liệu của nữ: tổng bằng nam cộng nữ."},
                           "description": "while the report can be submitted: saved figures that hold its submission "
                                          "(saved before a rule they break, such as one sex alone), each field's "
                                          "message, as the submission's 422 names them; empty when there are none"},
            "links": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        "required": ["id", "plan", "unit", "period", "status", "version", "values", "activities", "assessment",
                     "document_number", "incomplete"],
    },
    "ReportChanges": {
        "type": "object",
        "description": "Only what is sent changes; everything is checked before anything is saved.",
        "properties": {
            "version": {"type": "integer"},
            "values": {"type": "array", "items": _REPORT_VALUE,
                       "description": "A ratio indicator is not sent: the report computes it from its numerator "
                                      "and denominator (sending it answers 422). By sex, the total is men plus "
                                      "women: men and women give the total (when it is not sent), the total and "
                                      "one sex the other, and one sex alone answers 422; a total sent that is not "
                                      "men plus women answers 422. Numbers sent as text are read as the "
                                      "request's language writes them (2,000.5 in English, 2.000,5 in "
                                      "Vietnamese). "
                                      "A figure (indicator and sex) sent twice answers "
                                      "422."},
            "activities": {"type": "array", "items": {"type": "object", "properties": {
                "activity": {"type": "integer"}, "progress": _PROGRESS, "note": TEXT,
                "budget_spent": {"type": "integer", "nullable": True}}, "required": ["activity"]},
                           "description": "An activity sent twice answers 422."},
            "assessment": _ASSESSMENT,
            "document_number": _DOCUMENT_NUMBER,
        },
        "required": ["version"],
        "additionalProperties": False,
    },
    "ReportConflict": conflict("Report"),
    "Rollup": {
        "type": "object",
        "properties": {
            "unit": {"type": "string", "example": "402"}, "period": PERIOD,
            "computed_at": {"type": "string", "format": "date-time", "nullable": True},
            "stale": {"type": "boolean", "description": "newer data is waiting, or never computed"},
            "counted": {"type": "string", "enum": ["accepted", "submitted", "by_template"], "nullable": True,
                        "description": "the reports the figures count, by the template each plan below follows: "
                                       "accepted ones only (the default), submitted ones too, or each plan's "
                                       "template decides (they differ); null: no plan yet"},
            "completeness": {"type": "object", "properties": {
                "expected": {"type": "integer"}, "received": {"type": "integer"}, "on_time": {"type": "integer"}}},
            "indicators": {"type": "array", "items": {"type": "object", "properties": {
                "indicator": TEXT, "sex": _SEX, "value": _NUMBER,
                "target": {**_NUMBER, "description": "the reporting communes' targets: their sum where the value adds "
                           "up their figures (sum, count of yes), else their mean (average, minimum, maximum, ratio)"},
                "reporting": {"type": "integer", "description": "communes that reported a value"},
                "children": {"type": "object", "additionalProperties": _NUMBER,
                             "description": "child unit code → its value (empty above the user's unit)"}}}},
        },
        "required": ["unit", "period", "computed_at", "stale", "counted", "completeness", "indicators"],
    },
    "TaskStarted": {
        "type": "object",
        "properties": {"task_id": {"type": "integer"},
                       "links": {"type": "object", "properties": {"task": TEXT}}},
        "required": ["task_id"],
    },
}
