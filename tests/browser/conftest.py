"""Browser fixtures: the app served by a real HTTP server with the demo data, and one headless
Chromium per session (Debian's /usr/bin/chromium; Playwright never downloads a browser here).

CSRF is switched on while the live server runs, so the real forms and their tokens are used.
"""
import functools
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page
from werkzeug.serving import make_server

from app.auth import services as auth_services
from app.demo.services import DEMO_PASSWORD, load_demo
from app.extensions import db as _db
from tenants import system_scope
from tests.conftest import login_throttle_reset
from tests.services import unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS_DIR = Path("/tmp/browser-shots")


def _empty_tables(app) -> None:
    """As the `db` fixture does after each test."""
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
    login_throttle_reset(app)


@pytest.fixture(scope="module")
def live_server(app):
    """The base URL of the app, with the demo district loaded, on 127.0.0.1 and a free port."""
    # The demo's 36 users share one password: hash it once with the real scrypt hasher (as
    # tests/factories.py does) instead of 36 times, which would take about 6 seconds.
    csrf_before = app.config["WTF_CSRF_ENABLED"]
    server = None
    try:
        with pytest.MonkeyPatch.context() as patch, app.app_context():
            patch.setattr(auth_services, "hash_password",
                          functools.cache(auth_services.hash_password))
            with system_scope("browser test data"):
                load_demo()
                _db.session.commit()
            _db.session.remove()
        app.config["WTF_CSRF_ENABLED"] = True  # the real forms, with their tokens
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        if server is not None:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
        app.config["WTF_CSRF_ENABLED"] = csrf_before
        _empty_tables(app)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable(f"playwright is not installed: {error}")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as error:
        playwright.stop()
        unavailable(f"Playwright cannot start {CHROMIUM}: {error}")
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@dataclass
class Watch:
    """What a page did that it should not: requests to other hosts, CSP and script errors."""

    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    csp_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign_requests.append(request.url)

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        self.console_errors.append(message.text)
        text = message.text.lower()
        if "content security policy" in text or "content-security-policy" in text:
            self.csp_errors.append(message.text)

    def on_response(self, response) -> None:
        # Every stylesheet and script the pages ask for must be served.
        if response.request.resource_type in ("stylesheet", "script", "font", "image"):
            if response.status >= 400:
                self.failed_assets.append(f"{response.status} {response.url}")

    def assert_clean(self) -> None:
        assert not self.foreign_requests, f"requests left the live server: {self.foreign_requests}"
        assert not self.csp_errors, f"Content-Security-Policy violations: {self.csp_errors}"
        assert not self.page_errors, f"script errors: {self.page_errors}"
        assert not self.failed_assets, f"assets not served: {self.failed_assets}"


def open_watched_page(browser, live_server, **context_options):
    """A page in a fresh context (no cookies) and a Watch of what it does."""
    options = {"locale": "vi-VN", "viewport": {"width": 1280, "height": 800}, **context_options}
    context = browser.new_context(base_url=live_server, **options)
    context.set_default_timeout(10_000)
    watch = Watch(origin=live_server)
    context.on("request", watch.on_request)
    context.on("response", watch.on_response)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    return context, page, watch


@pytest.fixture
def watched_page(browser, live_server):
    """A page in a fresh context and what it did; a test ends with `watch.assert_clean()`."""
    context, page, watch = open_watched_page(browser, live_server)
    yield page, watch
    context.close()


@pytest.fixture(scope="session")
def shots_dir():
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SHOTS_DIR


@pytest.fixture
def person(browser, live_server):
    """Opens a fresh browser context signed in as a demo user; every page is watched."""
    opened = []

    def sign_in_as(username: str) -> Page:
        context, page, watch = open_watched_page(browser, live_server, accept_downloads=True,
                                                 viewport={"width": 1280, "height": 900})
        opened.append((context, watch))
        page.goto("/login")
        page.fill("#username", username)
        page.fill("#password", DEMO_PASSWORD)
        page.click("#submit")
        page.wait_for_url(re.compile(r"/$"))
        return page

    yield sign_in_as
    for context, watch in opened:
        context.close()
        watch.assert_clean()
