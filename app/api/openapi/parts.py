"""The building blocks of the OpenAPI description, shared by its parts."""

ERROR = {"$ref": "#/components/schemas/Error"}


def responses(ok_status: str, ok_schema: dict | None, *errors: int) -> dict:
    """An operation's responses: its success with `ok_schema`, and each error status with ours."""
    answers = {ok_status: {"description": "Success"}}
    if ok_schema is not None:
        answers[ok_status]["content"] = {"application/json": {"schema": ok_schema}}
    for status in errors:
        answers[str(status)] = {
            "description": "Error",
            "content": {"application/json": {"schema": ERROR}},
        }
    return answers


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def list_of(name: str) -> dict:
    """A list answer: `{"items": [...]}` of the named schema."""
    return {"type": "object", "properties": {"items": {"type": "array", "items": ref(name)}},
            "required": ["items"]}


SECURED = [{"bearerAuth": []}]

TEXT = {"type": "string"}
PLAN_ID = {"name": "plan_id", "in": "path", "required": True, "schema": {"type": "integer"}}
PERIOD = {"type": "string", "example": "2023Q3", "description": "DHIS2 period id: 2023, 2023S1, 2023Q3, 202304"}


def json_body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(name)}}}


def versioned_write(noun: str, schema: str, summary: str, body: str, parameter: dict, ok_status: str = "200",
                    *errors: int) -> dict:
    """A write of a `schema` (Plan, Report) sent with its version, answering the object; its
    409 carries the saved one when the version was stale (`conflict`)."""
    answers = responses(ok_status, ref(schema), 400, 401, 403, 404, 422, *errors)
    answers["409"] = {"description": f"Stale version (the saved {noun} is in error.current), or "
                                     f"not allowed in the {noun}'s state",
                      "content": {"application/json": {"schema": ref(f"{schema}Conflict")}}}
    return {"summary": summary, "security": SECURED, "parameters": [parameter],
            "requestBody": json_body(body), "responses": answers}


def conflict(schema: str) -> dict:
    """The body of a 409 answering a write of a `schema`: the saved one is in error.current."""
    return {
        "type": "object",
        "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string", "enum": ["conflict", "stale_version"]},
            "message": TEXT,
            "current": ref(schema),
        }, "required": ["code", "message"]}},
        "required": ["error"],
    }


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def document_file(summary: str, mimetype: str, parameter: dict) -> dict:
    """A GET answering a file to save (an official document in Word or PDF)."""
    answers = responses("200", None, 401, 404)
    answers["200"]["content"] = {mimetype: {"schema": {"type": "string", "format": "binary"}}}
    return {"get": {"summary": summary, "security": SECURED, "parameters": [parameter], "responses": answers}}
