"""Error pages in the user's language, and the API's JSON errors (DESIGN.md's format)."""
from flask import Flask, abort, current_app, jsonify, render_template, request
from flask_babel import format_number
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, NotFound

from app.extensions import db
from tenants import OutOfScope

MESSAGES = {
    400: lambda: _("The request could not be understood."),
    401: lambda: _("Please sign in."),
    403: lambda: _("You may not do this."),
    404: lambda: _("This page does not exist, or you may not see it."),
    405: lambda: _("This action is not allowed here."),
    409: lambda: _("Someone else changed this in the meantime."),
    413: lambda: _("What was sent is larger than %(size)s, the most this service takes. Nothing was saved.",
                   size=f"{current_app.config['MAX_CONTENT_LENGTH'] // 2**20} MB"),
    422: lambda: _("Some of the values are not valid."),
    429: lambda: _("Too many failed attempts. Wait a few minutes and try again."),
    500: lambda: _("Something went wrong on our side. Your saved work is safe; please try again."),
}
CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "invalid", 429: "too_many_requests",
    500: "server_error", 503: "unavailable",
}


def or_404(found):
    """The object a query found, or a 404: out of scope and missing look the same."""
    if found is None:
        abort(404)
    return found


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, message: str | None = None, fields: dict | None = None, code=None):
    body = {"error": {"code": code or CODES.get(status, "error"),
                      "message": message or MESSAGES.get(status, MESSAGES[500])()}}
    if fields:
        body["error"]["fields"] = fields
    return jsonify(body), status


def render_error(status: int, message: str | None = None):
    if wants_json():
        return api_error(status, message)
    message = message or MESSAGES.get(status, MESSAGES[500])()
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code == 413 and (request.content_length or 0) <= current_app.config["MAX_CONTENT_LENGTH"]:
            # Within the size: Werkzeug refused a multipart body of more parts than MAX_FORM_PARTS.
            return render_error(413, _("What was sent has more than %(count)s fields, the most this service takes. "
                                       "Nothing was saved.", count=format_number(current_app.config["MAX_FORM_PARTS"])))
        return render_error(error.code or 500)

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_error(400, _("The form had expired. Please try again."))

    @app.errorhandler(OutOfScope)
    def _out_of_scope(error):
        # Existence outside the user's scope is not revealed.
        return render_error(NotFound.code)

    @app.errorhandler(IntegrityError)
    def _integrity_error(error: IntegrityError):
        if not is_unique_violation(error):
            raise error  # a bug: logged, and answered as any server error
        # Two requests made the same row at once (two clicks on a slow line, two tabs): the
        # first was saved, the second is told so rather than shown a server error.
        db.session.rollback()
        return render_error(409, _("This was saved by another request at the same moment (a second click?). "
                                   "Reload the page to see it."))

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()  # the page reads the signed-in user: not in a failed transaction
        return render_error(500)


def is_unique_violation(error: IntegrityError) -> bool:
    """PostgreSQL's unique_violation, or SQLite's UNIQUE constraint failure."""
    return getattr(error.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(error.orig)
