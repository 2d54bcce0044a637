"""Reading JSON request bodies the same way on every API route."""
from collections.abc import Collection

from flask import request
from flask_babel import gettext as _

from app.database import storable_int
from app.errors import api_error
from app.json_bodies import why_unreadable


def json_object() -> dict | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def not_an_object():
    return api_error(400, why_unreadable() or _("Send a JSON object (Content-Type: application/json)."))


def unknown_fields(body: dict, known: Collection[str]):
    """The 422 naming each field of `body` that is not in `known`, or None. A misspelt field, a
    read-only one or one another route writes would otherwise be dropped without a word, and
    the client would take it as saved."""
    if unknown := [name for name in body if name not in known]:
        return api_error(422, fields={name: _("This field cannot be changed here.") for name in unknown})
    return None


def whole_number(value) -> int | None:
    """An int sent as a number or as digits; None for anything else (booleans included), and
    for a number beyond what an integer column holds (no id, year or version is)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    if isinstance(value, str) and not value.strip().isdigit():
        return None
    try:
        return storable_int(value)
    except ValueError:
        return None


def version_error(value) -> dict | None:
    """The optimistic lock: every write names the `version` it was based on."""
    if value is None or value == "":
        return {"version": _("Send the version you read (it is in the object you got).")}
    if whole_number(value) is None:
        return {"version": _("The version is a whole number.")}
    return None


def versioned_body_error(body: dict | None):
    """The answer to a write whose body cannot be used (not an object, or no usable `version`),
    or None when it can."""
    if body is None:
        return not_an_object()
    if missing := version_error(body.get("version")):
        return api_error(422, fields=missing)
    return None
