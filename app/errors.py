"""Error pages in the user's language, and the API's JSON errors (DESIGN.md's format)."""
from flask import Flask, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound

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
        return render_error(error.code or 500)

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_error(400, _("The form had expired. Please try again."))

    @app.errorhandler(OutOfScope)
    def _out_of_scope(error):
        # Existence outside the user's scope is not revealed.
        return render_error(NotFound.code)

    @app.errorhandler(500)
    def _server_error(error):
        return render_error(500)
