"""Languages: the Vietnamese catalogue is complete and in step with the code, and each reader
gets their language (a visitor's choice, a user's preference, Vietnamese by default), with
numbers in their format, in requests and outside them."""
import random
import re
import shlex
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale
from babel import numbers as babel_numbers
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import has_request_context, render_template_string
from flask_babel import force_locale, format_decimal, get_locale, gettext, ngettext

from app.auth.models import Role, User
from app.i18n import decimal_formatter, typed_number
from tenants import system_scope
from tests.conftest import login

try:
    from babel.messages.frontend import parse_mapping_cfg
except ImportError:  # Babel < 2.14
    from babel.messages.frontend import parse_mapping as parse_mapping_cfg

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = PROJECT_ROOT / "translations"
VI_CATALOGUE = TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po"
EN_CATALOGUE = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
HOW_TO_FIX = (
    "Run `make messages`, then translate the new entries of "
    "translations/vi/LC_MESSAGES/messages.po (no empty msgstr, no `#, fuzzy`)."
)


def read_catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def strings_of(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def messages_of(catalogue):
    """The catalogue's entries, without the header."""
    return [message for message in catalogue if message.id]


def describe(message) -> str:
    return repr(message.id[0] if isinstance(message.id, tuple) else message.id)


# -- the catalogues -----------------------------------------------------------------------------

def test_every_vietnamese_entry_is_translated_and_none_is_fuzzy():
    catalogue = read_catalogue(VI_CATALOGUE)
    assert not catalogue.fuzzy, "The header of the vi catalogue is marked fuzzy."
    assert messages_of(catalogue), "The vi catalogue is empty. " + HOW_TO_FIX
    fuzzy = [describe(message) for message in messages_of(catalogue) if message.fuzzy]
    untranslated = [
        describe(message) for message in messages_of(catalogue)
        if not all(text.strip() for text in strings_of(message))
    ]
    assert not fuzzy, f"Fuzzy entries in the vi catalogue: {', '.join(fuzzy)}. {HOW_TO_FIX}"
    assert not untranslated, (
        f"Untranslated entries in the vi catalogue: {', '.join(untranslated)}. {HOW_TO_FIX}"
    )


def test_vietnamese_has_one_plural_form():
    catalogue = read_catalogue(VI_CATALOGUE)
    assert catalogue.num_plurals == 1
    assert catalogue.plural_expr == "0"
    wrong = [
        describe(message) for message in messages_of(catalogue)
        if message.pluralizable and len(message.string) != 1
    ]
    assert not wrong, f"Plural entries without exactly one msgstr: {', '.join(wrong)}"


_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?([diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> Counter:
    """`%(name)s` by name and type, `%d` and its kind by position; `%%` is not one."""
    found = Counter()
    for position, match in enumerate(_PLACEHOLDER.finditer(text)):
        name, kind = match.groups()
        if kind != "%":
            found[(name or f"#{position}", kind)] += 1
    return found


def test_vietnamese_keeps_the_placeholders_of_the_source():
    problems = []
    for message in messages_of(read_catalogue(VI_CATALOGUE)):
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        # One Vietnamese form serves every number: it needs the plural's placeholders.
        expected = placeholders(sources[-1])
        for text in strings_of(message):
            if text and set(placeholders(text)) != set(expected):
                problems.append(f"{describe(message)} → {text!r}")
    assert not problems, "Placeholders changed in translation:\n" + "\n".join(problems)


def test_the_english_catalogue_exists_and_matches_the_vietnamese_one():
    english = {describe(message) for message in messages_of(read_catalogue(EN_CATALOGUE))}
    vietnamese = {describe(message) for message in messages_of(read_catalogue(VI_CATALOGUE))}
    assert english == vietnamese, f"{HOW_TO_FIX} Differences: {sorted(english ^ vietnamese)}"


def makefile_keywords() -> dict:
    """The extraction keywords of `make messages` (BABEL_KEYWORDS), so both extract alike."""
    for line in (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("BABEL_KEYWORDS"):
            words = shlex.split(line.split("=", 1)[1])
            return parse_keywords([word for word in words if word != "-k"])
    pytest.fail("The Makefile has no BABEL_KEYWORDS line for `make messages`.")


def extract_source_messages():
    """(msgid, plural, context) of every string marked for translation, as `make messages`
    finds them: the method map of babel.cfg, the default keywords and the Makefile's."""
    with (PROJECT_ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    keywords = {**DEFAULT_KEYWORDS, **makefile_keywords()}
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=keywords
    ):
        msgid, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
        if msgid:
            found.setdefault((msgid, plural, context), f"{filename}:{lineno}")
    return found


def test_the_catalogue_has_every_string_of_the_code():
    found = extract_source_messages()
    assert any(msgid == "Sign in" for msgid, _, _ in found), "Extraction found nothing."
    catalogue = read_catalogue(VI_CATALOGUE)
    missing, changed = [], []
    for (msgid, plural, context), where in sorted(found.items(), key=lambda item: item[1]):
        entry = catalogue.get(msgid, context=context)
        if entry is None:
            missing.append(f"{msgid!r} ({where})")
        elif plural is not None and (not entry.pluralizable or entry.id[1] != plural):
            changed.append(f"{msgid!r} is now a plural ({where})")
        elif plural is None and entry.pluralizable:
            changed.append(f"{msgid!r} is no longer a plural ({where})")
    assert not missing and not changed, (
        "The vi catalogue is behind the code.\n"
        + "".join(f"  missing: {text}\n" for text in missing)
        + "".join(f"  changed: {text}\n" for text in changed)
        + HOW_TO_FIX
    )


def test_the_compiled_catalogue_is_current():
    """The app reads the .mo files, which `make install` (or `make translations`) compiles from
    the .po files; a stale one makes every other test here fail for no visible reason."""
    compiled = Translations.load(str(TRANSLATIONS), ["vi"])
    stale = []
    for message in messages_of(read_catalogue(VI_CATALOGUE)):
        if message.context or not all(strings_of(message)):
            continue  # an untranslated entry is the first test's concern
        if message.pluralizable:
            current, expected = compiled.ngettext(*message.id, 1), message.string[0]
        else:
            current, expected = compiled.gettext(message.id), message.string
        if current != expected:
            stale.append(describe(message))
    assert not stale, (
        "translations/vi/LC_MESSAGES/messages.mo is missing or older than the .po "
        f"({len(stale)} entries differ, e.g. {', '.join(stale[:5])}). "
        "Run `make translations` (or `.venv/bin/pybabel compile -d translations`)."
    )


# -- the reader's language ----------------------------------------------------------------------

def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_a_visitor_gets_vietnamese_by_default_and_english_on_request(client):
    response = client.get("/login")
    page = response.get_data(as_text=True)
    assert page_language(response) == "vi"
    assert "Đăng nhập" in page and "Tên đăng nhập" in page
    assert "Sign in" not in page

    switched = client.post("/language", data={"locale": "en", "next": "/login"})
    assert switched.status_code == 302 and switched.location == "/login"

    response = client.get("/login")
    page = response.get_data(as_text=True)
    assert page_language(response) == "en"
    assert "Sign in" in page and "Username" in page
    assert "Đăng nhập" not in page


def test_an_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "fr", "next": "/login"})
    assert page_language(client.get("/login")) == "vi"


def test_a_signed_in_users_preference_is_used(client, users, db):
    login(client, "editor")
    page = client.get("/").get_data(as_text=True)
    assert "Đăng xuất" in page and "Sign out" not in page

    # Changed elsewhere (another browser, an administrator): the session still says vi.
    with system_scope("test"):
        users["editor"].locale = "en"
        db.session.commit()
    response = client.get("/")
    assert page_language(response) == "en"
    assert "Sign out" in response.get_data(as_text=True)


def test_an_api_client_names_its_language_per_request(client, as_user):
    headers = as_user("editor")  # whose own language is Vietnamese

    def message(**language) -> str:
        response = client.get("/api/v1/reports/999", headers={**headers, **language})
        return response.get_json()["error"]["message"]

    in_vietnamese = "Trang này không tồn tại hoặc bạn không có quyền xem."
    assert message() == message(**{"Accept-Language": "fr"}) == message(**{"Accept-Language": "vi"}) == in_vietnamese
    assert message(**{"Accept-Language": "en-GB,en;q=0.9"}) == "This page does not exist, or you may not see it."

    refused = client.post("/api/v1/auth/token", json={"username": "editor"}, headers={"Accept-Language": "en"})
    assert refused.get_json()["error"]["fields"]["password"] == "This field is required."


@pytest.mark.parametrize("url", ["/api/v1/nowhere", f"/api/v1/reports/{2**64}"])
def test_an_api_address_that_matches_no_route_answers_in_the_clients_language(client, as_user, url):
    response = client.get(url, headers={**as_user("editor"), "Accept-Language": "en"})
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "This page does not exist, or you may not see it."


def test_a_page_follows_the_visitor_not_the_browsers_language(client):
    response = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert page_language(response) == "vi"


def test_switching_language_is_stored_on_the_user(app, client, users, db):
    login(client, "editor")
    response = client.post("/language", data={"locale": "en", "next": "/"})
    assert response.status_code == 302

    with system_scope("test"):
        db.session.expire_all()
        assert db.session.get(User, users["editor"].id).locale == "en"

    # Signing out keeps the choice for the sign-in page.
    client.post("/logout")
    assert page_language(client.get("/login")) == "en"

    # It outlives the session: in another browser a visitor is Vietnamese; signed in, English.
    other_browser = app.test_client()
    assert page_language(other_browser.get("/login")) == "vi"
    login(other_browser, "editor")
    assert page_language(other_browser.get("/")) == "en"


def test_the_language_chosen_to_sign_in_is_kept_after_signing_in(app, client, users, db):
    client.post("/language", data={"locale": "en", "next": "/login"})
    login(client, "editor")  # whose own language was Vietnamese
    assert page_language(client.get("/")) == "en"
    with system_scope("test"):
        db.session.expire_all()
        assert db.session.get(User, users["editor"].id).locale == "en"


def test_the_language_left_by_the_last_users_sign_out_does_not_change_the_next_users(app, client, users, db):
    with system_scope("test"):
        users["editor"].locale = "en"
        db.session.commit()
    login(client, "editor")
    client.post("/logout")
    assert page_language(client.get("/login")) == "en"  # the sign-in page as the editor left it

    login(client, "leader")  # on the same computer, whose own language is Vietnamese
    assert page_language(client.get("/")) == "vi"
    with system_scope("test"):
        db.session.expire_all()
        assert db.session.get(User, users["leader"].id).locale == "vi"


@pytest.mark.parametrize("referrer, expected", [
    ("http://localhost/login?next=/plans", "/login?next=/plans"),  # the page the form was sent from
    ("http://elsewhere.example/login", "/"),  # another site's page: home
    (None, "/"),
])
def test_the_language_switch_of_a_form_answered_with_its_errors_returns_to_the_forms_page(client, referrer,
                                                                                         expected):
    headers = {"Referer": referrer} if referrer else {}
    page = client.post("/login", data={"username": "", "password": "x"}, headers=headers).get_data(as_text=True)
    assert re.search(r'name="next" value="([^"]*)"', page).group(1) == expected.replace("&", "&amp;")


def test_form_validation_messages_are_translated(client):
    response = client.post("/login", data={"username": "", "password": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Vui lòng nhập tên đăng nhập." in page
    assert "Enter your username." not in page

    client.post("/language", data={"locale": "en", "next": "/login"})
    page = client.post("/login", data={"username": "", "password": "x"}).get_data(as_text=True)
    assert "Enter your username." in page


def test_error_pages_are_in_the_readers_language(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Trang này không tồn tại" in response.get_data(as_text=True)


# -- formats and code outside a request ---------------------------------------------------------

def test_numbers_are_formatted_the_vietnamese_way(app):
    with app.test_request_context("/"):
        assert str(get_locale()) == "vi"
        assert format_decimal(1234.5) == "1.234,5"
        with force_locale("en"):
            assert format_decimal(1234.5) == "1,234.5"


@pytest.mark.parametrize(("language", "typed", "read"), [
    ("vi", "1.500", Decimal(1500)), ("vi", "1.500,5", Decimal("1500.5")), ("vi", "30,5", Decimal("30.5")),
    ("en", "1,500", Decimal(1500)), ("en", "1,500.5", Decimal("1500.5")), ("en", "1.5", Decimal("1.5")),
    ("en", "3 400 000", Decimal(3_400_000)),
    # Not a number as the reader writes it: on as typed, for the services to read or refuse.
    ("vi", "30.5", "30.5"), ("en", "1,5", "1,5"), ("en", "mười", "mười"), ("en", "", ""),
])
def test_a_typed_figure_is_read_as_the_readers_language_writes_numbers(app, language, typed, read):
    with app.test_request_context("/"), force_locale(language):
        assert typed_number(typed) == read
        assert type(typed_number(typed)) is type(read)


def test_pages_format_numbers_in_the_readers_language(app):
    page = "{{ 1234.5|number }} {% macro shown(value) %}{{ value|number }}{% endmacro %}{{ shown(0.25) }}"
    with app.test_request_context("/"):
        assert render_template_string(page) == "1.234,5 0,25"
        with force_locale("en"):
            assert render_template_string(page) == "1,234.5 0.25"
            # Rendered without the page's context (as an imported macro is): Flask-Babel's locale.
            assert app.jinja_env.from_string("{{ 1234.5|number }}").render() == "1,234.5"


def test_pages_write_dates_as_officers_do_in_the_readers_language_and_time_zone(app):
    """03/10/2023 in Vietnamese, not "3 thg 10, 2023" nor "3/10/23"; 3 Oct 2023 in English, not
    the ambiguous "10/3/23". A stored time is UTC and shown in Viet Nam's (UTC+7)."""
    page = "{{ day|date }} · {{ moment|datetime }} · [{{ none|date }}{{ none|datetime }}]"
    values = {"day": date(2023, 10, 3), "moment": datetime(2023, 10, 3, 20, 5), "none": None}
    with app.test_request_context("/"):
        assert render_template_string(page, **values) == "03/10/2023 · 03:05 04/10/2023 · []"
        with force_locale("en"):
            assert render_template_string(page, **values) == "3 Oct 2023 · 4 Oct 2023, 03:05 · []"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pages_number_format_writes_what_babel_writes(language):
    """The pages' own formatter of ints and Decimals (app/i18n.py) against Babel's, on the
    values a rollup holds (four decimals, negative, huge, a half to round) and on others it
    hands to Babel (floats, infinity)."""
    rng = random.Random(2023)
    values = [Decimal("-0.0001"), Decimal("-0"), Decimal("0.0005"), Decimal("0.0015"), Decimal("2.5E+3"),
              Decimal("999999.9996"), Decimal("12345678901234567.5"), 10**18, -5, 0, 0.1 + 0.2, Decimal("Infinity")]
    values += [Decimal(rng.randint(-10**12, 10**12)).scaleb(-rng.randint(0, 6)) for _ in range(3000)]
    values += [rng.randint(-10**9, 10**9) for _ in range(500)]
    locale = Locale.parse(language)
    formatted = decimal_formatter(locale)

    assert [formatted(value) for value in values] == [babel_numbers.format_decimal(value, locale=locale)
                                                      for value in values]


def test_vietnamese_plurals_use_one_form(app):
    with app.test_request_context("/"):
        assert ngettext("%(num)d commune", "%(num)d communes", 1) == "1 xã"
        assert ngettext("%(num)d commune", "%(num)d communes", 12) == "12 xã"
        with force_locale("en"):
            assert ngettext("%(num)d commune", "%(num)d communes", 1) == "1 commune"
            assert ngettext("%(num)d commune", "%(num)d communes", 12) == "12 communes"


def test_the_locale_outside_a_request_is_the_default_and_can_be_forced(app):
    """A Celery task or a command has no request, hence no user: Vietnamese, unless forced."""
    with app.app_context():
        assert not has_request_context()
        assert str(get_locale()) == "vi"
        assert gettext("Sign in") == "Đăng nhập"
        assert Role.COMMUNE_LEADER.label == "Lãnh đạo UBND xã"  # a lazy string, read now
        with force_locale("en"):
            assert str(get_locale()) == "en"
            assert gettext("Sign in") == "Sign in"
            assert Role.COMMUNE_LEADER.label == "Commune leader"
        assert str(get_locale()) == "vi"
