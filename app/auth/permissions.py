from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.auth.models import Role


def roles_required(*roles: Role):
    """A signed-in user with one of `roles`; others get 403 (the page itself is no secret)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
