"""Signing in and out: sessions, CSRF, throttling, redirects."""
import re
import unicodedata

import pytest

from app.auth import services
from app.extensions import db as _db
from tenants import system_scope
from tests.conftest import TEST_PASSWORD, login


def test_signing_in_lands_on_the_home_page(client, users):
    response = login(client, "editor")
    assert response.location == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client, users):
    wrong = client.post("/login", data={"username": "editor", "password": "wrong-password"})
    unknown = client.post("/login", data={"username": "nobody", "password": "wrong-password"})
    assert wrong.status_code == unknown.status_code == 401

    def message(response):
        return re.search(r'alert-danger[^>]*>([^<]*)<', response.get_data(as_text=True)).group(1)

    assert message(wrong) == message(unknown)


def test_a_disabled_user_cannot_sign_in(client, users, db):
    with system_scope("test"):
        services.disable_user(users["editor"])
        db.session.commit()
    response = client.post("/login", data={"username": "editor", "password": TEST_PASSWORD})
    assert response.status_code == 401


def test_a_password_typed_decomposed_matches_the_one_set_composed(client, users):
    decomposed = unicodedata.normalize("NFD", TEST_PASSWORD)
    assert decomposed != TEST_PASSWORD
    response = client.post("/login", data={"username": "editor", "password": decomposed})
    assert response.status_code == 302


def test_passwords_are_hashed_with_scrypt(users, db):
    with system_scope("test"):
        user = services.create_user("fresh", "mật khẩu mới 1", services.Role.COMMUNE_EDITOR,
                                    users["editor"].unit)
    assert user.password_hash.startswith("scrypt:")


def test_signing_in_starts_a_fresh_session(client, users):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, "editor")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_signing_out_ends_the_session_even_for_a_copied_cookie(client, users):
    login(client, "editor")
    stolen_cookie = client.get_cookie("session").value
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page

    client.set_cookie("session", stolen_cookie)
    assert client.get("/").status_code == 302


def test_disabling_a_user_ends_their_open_session(app, client, users, db):
    login(client, "editor")
    assert client.get("/").status_code == 200
    with system_scope("test"):
        services.disable_user(_db.session.merge(users["editor"]))
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


@pytest.mark.parametrize("target", [
    "//evil.com", "\\\\evil.com", "/\\evil.com", "https://evil.com", "javascript:alert(1)",
    "http:/evil.com", "/%09/evil.com", " //evil.com",
])
def test_next_never_leaves_the_site(client, users, target):
    response = client.post("/login", data={
        "username": "editor", "password": TEST_PASSWORD, "next": target,
    })
    assert response.status_code == 302
    assert response.location == "/"


def test_next_leads_back_to_a_page_of_the_site(client, users):
    response = client.post("/login", data={
        "username": "editor", "password": TEST_PASSWORD, "next": "/units/16204?sort=code",
    })
    assert response.location == "/units/16204?sort=code"


def test_a_form_without_its_csrf_token_is_refused(client, users, csrf_enabled):
    response = client.post("/login", data={"username": "editor", "password": TEST_PASSWORD})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_the_login_form_carries_a_csrf_token(client, users, csrf_enabled):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={
        "username": "editor", "password": TEST_PASSWORD, "csrf_token": token,
    })
    assert response.status_code == 302


def test_failed_sign_ins_are_limited_per_account(app, client, users):
    for _ in range(5):
        assert client.post("/login", data={"username": "editor", "password": "nope-nope"}).status_code == 401
    response = client.post("/login", data={"username": "editor", "password": TEST_PASSWORD})
    assert response.status_code == 429
    # Another account from another address is not affected.
    other = app.test_client()
    response = other.post("/login", data={"username": "leader", "password": TEST_PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 302


def test_failed_sign_ins_are_limited_per_address_across_accounts(client, users):
    for attempt in range(20):
        client.post("/login", data={"username": f"guess{attempt}", "password": "nope-nope"})
    response = client.post("/login", data={"username": "editor", "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_session_cookie_is_httponly_and_samesite_lax(client, users):
    response = login(client, "editor")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_security_headers_forbid_inline_script(client, users):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_contain_no_inline_script(client, users):
    login(client, "officer")
    page = client.get("/").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert "http://" not in page and "https://" not in page  # no CDN, no remote font
