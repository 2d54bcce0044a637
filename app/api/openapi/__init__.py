"""The OpenAPI 3 description of /api/v1, in one part per feature. A test keeps it in step with
the app's routes."""
from app.api.openapi import dispatches, general, plans, reports
from app.api.openapi.parts import SECURED

_PARTS = (general, plans, reports, dispatches)


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Kế hoạch API", "version": "1",
                 "description": "Messages are in the language the request names in Accept-Language (vi or en), "
                                "else in the user's own (Vietnamese unless the user chose English). A request body "
                                "over 1 MB is refused with 413 (error code too_large), before it is read."},
        "paths": {path: item for part in _PARTS for path, item in part.PATHS.items()},
        "components": {
            "schemas": {name: schema for part in _PARTS for name, schema in part.SCHEMAS.items()},
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": SECURED,
    }
