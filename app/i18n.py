"""Vietnamese first, English second; numbers and dates in the reader's format."""
import functools
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale, numbers
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import force_locale, format_date, format_datetime, get_locale
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


# The locales' standard decimal pattern (Vietnamese and English both): grouped by thousands,
# at most three decimals, rounded half to even.
_PLAIN_PATTERN = "#,##0.###"
_THOUSANDTHS = Decimal("0.001")


@functools.cache
def decimal_formatter(locale: Locale) -> Callable[[object], str]:
    """`babel.numbers.format_decimal` for the locale, the same text at a tenth of the time for
    an int or a finite Decimal in the standard pattern: Babel reads the pattern and the
    locale's symbols again for every number, and a province's comparison formats thousands
    (half of its page's time). Anything else goes to Babel."""
    def with_babel(value) -> str:
        return numbers.format_decimal(value, locale=locale)

    if locale.decimal_formats[None].pattern != _PLAIN_PATTERN:
        return with_babel
    symbols = str.maketrans({",": numbers.get_group_symbol(locale), ".": numbers.get_decimal_symbol(locale),
                             "-": numbers.get_minus_sign_symbol(locale)})

    def plain(value) -> str:
        if type(value) is int:
            return f"{value:,}".translate(symbols)
        if type(value) is not Decimal or not value.is_finite():
            return with_babel(value)
        text = f"{value.quantize(_THOUSANDTHS, ROUND_HALF_EVEN):,f}"
        return text.rstrip("0").rstrip(".").translate(symbols)

    return plain


def number_formatter() -> Callable[[object], str]:
    """`flask_babel.format_decimal` with the current locale looked up once, for code that
    formats many numbers (a page's charts)."""
    return decimal_formatter(get_locale())


@pass_context
def format_number(context: Context, value, format=None) -> str:
    """`flask_babel.format_decimal`, with the locale the page was rendered with: a province's
    comparison formats thousands of numbers, and asking Flask-Babel for the locale each time
    took more than formatting them."""
    if format is not None:
        return numbers.format_decimal(value, format=format, locale=context.get("babel_locale") or get_locale())
    # The page's formatter, looked up once per render: finding it in the cache by its locale
    # for each of a province's thousands of numbers compared locales each time.
    return (context.get("format_plain_number") or number_formatter())(value)


def input_number(value: Decimal | int | None) -> str:
    """A saved figure as it goes back into an input, written as the reader's language writes
    numbers (2.000.000 or 30,5 in Vietnamese; 2,000,000 or 30.5 in English), as the page shows
    it beside the input: typed_number reads it back."""
    return "" if value is None else number_formatter()(value)


def input_day(value: date | None) -> str:
    """A saved date as it goes back into an input, day first in every language (05/05/2023):
    the validation reads it so."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def typed_number(text: str | None) -> str | Decimal | None:
    """A figure typed in a form or sent as text to the API, read as the user's language writes
    numbers: 1,500.5 in English, 1.500,5 in Vietnamese. Anything that is not a number there
    (nothing typed too, or no request to take a language from) goes on as typed, for
    `plans.validation.parse_number` to read by Vietnamese rules or to refuse."""
    if not text or not has_request_context():
        return text
    compact = text.replace(" ", "").replace("\u00a0", "")
    try:
        return numbers.parse_decimal(compact, locale=get_locale(), strict=True)
    except numbers.NumberFormatError:
        return text


def _locale_context() -> dict:
    locale = get_locale()
    return {"current_locale": str(locale), "babel_locale": locale, "format_plain_number": decimal_formatter(locale)}


# Dates as officers write them: 03/10/2023 in Vietnamese, where Babel's default ("3 thg 10,
# 2023") abbreviates the month and its short form drops the year's century; 3 Oct 2023 in
# English, where "10/3/23" reads as 10 March to a reader in Viet Nam. In Vietnamese the time
# comes before the date.
DATE_PATTERNS = {"vi": "dd/MM/y", "en": "d MMM y"}
DATETIME_PATTERNS = {"vi": "HH:mm dd/MM/y", "en": "d MMM y, HH:mm"}


def format_day(value) -> str:
    """A date (or a datetime's day) in the reader's language; "" for none."""
    return format_date(value, DATE_PATTERNS.get(str(get_locale()), "medium")) if value else ""


def format_moment(value) -> str:
    """A datetime, in the application's time zone and the reader's language; "" for none."""
    return format_datetime(value, DATETIME_PATTERNS.get(str(get_locale()), "short")) if value else ""


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(number=format_number, date=format_day, datetime=format_moment)
    app.context_processor(_locale_context)


def in_every_language(message) -> dict[str, str]:
    """`message` (a lazy string, or a name or an error that needs no translating) in each
    language of the app: a worker writes it with no reader, and whoever reads it, on a page or
    through the API, reads it in their own (`in_reader_language`)."""
    def written_in(language: str) -> str:
        with force_locale(language):
            return str(message)

    return {language: written_in(language) for language in current_app.config["LANGUAGES"]}


def in_reader_language(messages: dict[str, str]) -> str:
    """A text kept by `in_every_language`, in the reader's language (one kept before texts
    were kept in every language: in the one it has); "" for none."""
    return messages.get(str(get_locale())) or next(iter(messages.values()), "")
