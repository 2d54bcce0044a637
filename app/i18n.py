"""Vietnamese first, English second; numbers and dates in the reader's format."""
from collections.abc import Callable

from babel import numbers
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from jinja2 import pass_context
from jinja2.runtime import Context

from app.auth.sessions import request_user
from app.errors import wants_json
from app.extensions import babel


def select_locale() -> str:
    """The user's preference, else the visitor's choice, else Vietnamese. An API client names
    its language in each request (`Accept-Language`), before the user's preference; a page
    never reads that header, whose English would override a Vietnamese default on many
    officers' browsers.

    Outside a request (a Celery task, a command) there is no user: the default applies, and a
    task that writes for a user wraps its work in `flask_babel.force_locale(user.locale)`.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    # By its address, not its blueprint: an address under /api/ that matches no route has none.
    if wants_json() and (asked := request.accept_languages.best_match(languages)):
        return asked
    user = request_user()
    if user.is_authenticated and user.locale in languages:
        return user.locale
    chosen = session.get("locale")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def number_formatter() -> Callable[[object], str]:
    """`flask_babel.format_decimal` with the current locale looked up once, for code that
    formats many numbers (a page's charts)."""
    locale = get_locale()
    return lambda value: numbers.format_decimal(value, locale=locale)


@pass_context
def format_number(context: Context, value, format=None) -> str:
    """`flask_babel.format_decimal`, with the locale the page was rendered with: a province's
    comparison formats thousands of numbers, and asking Flask-Babel for the locale each time
    took more than formatting them."""
    return numbers.format_decimal(value, format=format, locale=context.get("babel_locale") or get_locale())


def _locale_context() -> dict:
    locale = get_locale()
    return {"current_locale": str(locale), "babel_locale": locale}


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        number=format_number,
        date=format_date,
        datetime=lambda value, format="short": format_datetime(value, format) if value else "",
    )
    app.context_processor(_locale_context)
