"""Security headers, cookies, safe redirects, and no NUL character or lone surrogate in what a
request sends."""
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from flask import Flask, request
from flask_babel import gettext as _

from app.errors import render_error
from app.extensions import talisman

# Everything is served by the app itself; no inline script is allowed anywhere.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def init_app(app: Flask) -> None:
    force_https = app.config["FORCE_HTTPS"]
    talisman.init_app(
        app,
        force_https=force_https,
        strict_transport_security=force_https,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
    )
    app.before_request(_refuse_characters_that_cannot_be_saved)


# A NUL, or half of a UTF-16 pair alone: JSON may write one ("\ud800"), but it is not text in UTF-8.
_UNSAVABLE = re.compile("[\x00\ud800-\udfff]")


def _refuse_characters_that_cannot_be_saved():
    """PostgreSQL can neither store nor compare text holding a NUL character (U+0000), and no
    text holds a lone surrogate, nor does anyone type either: a request that sends one, in
    its address, query, form or JSON body, is refused with a message before anything reads
    it (each was a server error). One scan of each text finds either."""
    for text in _sent_texts():
        if not (found := _UNSAVABLE.search(text)):
            continue
        if found.group() == "\x00":
            return render_error(400, _("What was sent holds a NUL character (U+0000), which cannot be saved. "
                                       "Remove it and send again."))
        return render_error(400, _("What was sent holds half of a UTF-16 surrogate pair (U+D800 to U+DFFF) "
                                   "alone, which is not text and cannot be saved. Remove it and send again."))
    return None


def _sent_texts() -> Iterator[str]:
    """Every string the request sends, read lazily: the check stops at the first NUL."""
    yield request.path
    yield from _fields(request.args)
    if request.method not in ("GET", "HEAD"):
        yield from _fields(request.form)
        if request.is_json:
            yield from _texts(request.get_json(silent=True))


def _fields(values) -> Iterator[str]:
    """The names and values of a query or a form, one at a time."""
    for name, value in values.items(multi=True):
        yield name
        yield value


def _texts(value) -> Iterator[str]:
    """Every string in a decoded JSON body: the keys and values of its objects and lists."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no `//` or `\\` tricks, no control
    characters, also once percent-decoded (some proxies decode before the browser sees it)."""
    return bool(target) and all(_is_local_path(text) for text in (target, unquote(target)))


def _is_local_path(target: str) -> bool:
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
