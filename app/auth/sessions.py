"""Who is asking: the signed-in user of a page, or the bearer of an API token, and their scope."""
from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user

from app.auth.models import User
from app.auth.services import user_for_token
from app.extensions import db, login_manager
from app.org_units.queries import scope_of
from tenants import Scope, system_scope


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "warning"
    # Not "strong": rural mobile connections change address often, and that would sign
    # people out mid-edit. Revocation is by the nonce in the session's user id instead.
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_user_id: str) -> User | None:
    """The session names `id:nonce`; a changed nonce (sign-out everywhere) ends the session."""
    user_id, _, nonce = session_user_id.partition(":")
    if not user_id.isdigit():
        return None
    with system_scope("the session's user is loaded before the scope is known"):
        user = db.session.execute(
            db.select(User).where(User.id == int(user_id))
        ).scalar_one_or_none()
        if user is None or user.session_nonce != nonce or not user.active:
            return None
        _ = user.unit  # load the home unit now, while the system scope lets it load
    return user


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def request_user():
    """API requests authenticate by bearer token only (no cookies, so no CSRF); pages by session."""
    if "request_user" not in g:
        if request.blueprint == "api":
            token = bearer_token()
            g.request_user = (user_for_token(token) if token else None) or AnonymousUserMixin()
        else:
            g.request_user = current_user._get_current_object()
    return g.request_user


def scope_for_user(user) -> Scope:
    if not user.is_authenticated:
        return Scope.nothing()
    if user.unit_id is None:
        return Scope.unrestricted(f"admin {user.username}")
    with system_scope("the scope is computed from the whole tree"):
        return scope_of(user.unit, f"{user.username}@{user.unit.code}")


def scope_for_request() -> Scope:
    return scope_for_user(request_user())
