"""Sets the scope of every request from its user, and clears it when the request ends."""
from flask import Flask, g

from tenants.scope import reset_scope, set_scope


def init_app(app: Flask, scope_for_request) -> None:
    """`scope_for_request()` returns the Scope of the current request's user."""

    @app.before_request
    def _enter_scope():
        g._tenant_scope_token = set_scope(scope_for_request)

    @app.teardown_request
    def _leave_scope(exc):
        token = g.pop("_tenant_scope_token", None)
        if token is not None:
            reset_scope(token)
