"""JSON as the app reads and writes it."""
import json

from flask import current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l


class UnreadableJSON(ValueError):
    """JSON the app will not read, for a reason the client can mend (`message`, in the reader's
    language). Like any unreadable body it is a ValueError, which `request.get_json` turns
    into a 400."""

    def __init__(self, message):
        super().__init__()
        self.message = message


def _refusing_duplicates(pairs: list[tuple]) -> dict:
    """An object, unless it names a key twice: Python's decoder keeps the last, so the client
    would not know which of the two was saved."""
    read = {}
    for key, value in pairs:
        if key in read:
            raise UnreadableJSON(_l('"%(name)s" is sent twice in one object: send it once.', name=_shown(key)))
        read[key] = value
    return read


def _shown(key: str) -> str:
    """A key as a message may quote it: a lone surrogate (which UTF-8 cannot write) escaped,
    and cut short."""
    shown = key.encode("utf-8", "backslashreplace").decode("utf-8")
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _whole_number(digits: str) -> int:
    try:
        return int(digits)
    except ValueError as error:  # more digits than Python converts (4,300)
        raise UnreadableJSON(_l("A number has too many digits.")) from error


class JSONProvider(DefaultJSONProvider):
    # Vietnamese stays readable, and shorter, in the API.
    ensure_ascii = False

    def loads(self, s, **kwargs):
        """A body nested deeper than Python's decoder goes (a RecursionError was a server
        error), a key sent twice in one object or a number too long to convert is unreadable."""
        kwargs.setdefault("object_pairs_hook", _refusing_duplicates)
        kwargs.setdefault("parse_int", _whole_number)
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise UnreadableJSON(_l("The JSON is nested too deeply.")) from error


def why_unreadable() -> str | None:
    """Why the request's body, sent as JSON, could not be read, where the client can mend it."""
    if not request.is_json:
        return None
    try:
        current_app.json.loads(request.get_data())
    except UnreadableJSON as problem:
        return str(problem.message)
    except json.JSONDecodeError as error:
        return _("The body is not valid JSON (line %(line)d, column %(column)d).", line=error.lineno,
                 column=error.colno)
    except UnicodeDecodeError:
        return _("The body is not text in UTF-8.")
    return None
