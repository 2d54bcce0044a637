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
