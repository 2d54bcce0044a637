"""Vietnamese first, English second; numbers and dates in the reader's format."""
from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale

from app.auth.sessions import request_user
from app.extensions import babel


def select_locale() -> str:
    """The user's preference, else the visitor's choice, else Vietnamese.

    Outside a request (a Celery task, a command) there is no user: the default applies, and a
    task that writes for a user wraps its work in `flask_babel.force_locale(user.locale)`.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = request_user()
    if user.is_authenticated and user.locale in languages:
        return user.locale
    chosen = session.get("locale")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        number=format_decimal,
        date=format_date,
        datetime=lambda value, format="short": format_datetime(value, format) if value else "",
    )
    app.context_processor(lambda: {"current_locale": str(get_locale())})
