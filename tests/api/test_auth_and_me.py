from datetime import datetime

from tests.conftest import TEST_PASSWORD, api_token


def test_a_token_is_issued_for_a_username_and_password(client, users):
    response = client.post("/api/v1/auth/token", json={"username": "editor", "password": TEST_PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["token"]) > 30
    assert datetime.fromisoformat(body["expires_at"].rstrip("Z")) > datetime.utcnow()


def test_wrong_credentials_get_401_in_the_error_format(client, users):
    wrong = client.post("/api/v1/auth/token", json={"username": "editor", "password": "nope-nope"})
    unknown = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert set(wrong.get_json()["error"]) >= {"code", "message"}


def test_missing_fields_get_422_naming_them(client, users):
    response = client.post("/api/v1/auth/token", json={"username": "editor"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"password"}


def test_a_body_that_is_not_json_gets_400(client, users):
    response = client.post("/api/v1/auth/token", data="username=editor")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_failed_token_requests_are_rate_limited(client, users):
    for _ in range(5):
        client.post("/api/v1/auth/token", json={"username": "editor", "password": "nope-nope"})
    response = client.post("/api/v1/auth/token", json={"username": "editor", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "too_many_requests"


def test_me_describes_the_token_holder(client, users):
    response = client.get("/api/v1/me", headers=api_token(client, "editor"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == "editor" and body["role"] == "commune_editor"
    assert body["unit"]["code"] == "16204"


def test_the_api_ignores_the_session_cookie(client, users):
    client.post("/login", data={"username": "editor", "password": TEST_PASSWORD})
    assert client.get("/api/v1/me").status_code == 401


def test_a_revoked_token_stops_working(client, users):
    headers = api_token(client, "editor")
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_an_expired_token_stops_working(app, client, users):
    from datetime import timedelta

    app.config["API_TOKEN_LIFETIME"] = timedelta(seconds=-1)
    try:
        headers = api_token(client, "editor")
    finally:
        app.config["API_TOKEN_LIFETIME"] = timedelta(hours=12)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_an_unknown_api_route_answers_json(client, users):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
