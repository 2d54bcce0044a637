"""Requests refused before they are read: one holding a NUL character (U+0000), which
PostgreSQL can neither store nor compare, and one larger than the service takes. Each gets a
message in the user's language, and nothing saved changes."""
import io
import json
from urllib.parse import urlencode

import pytest

from app.extensions import db as _db
from app.plans.models import Plan
from tenants import system_scope
from tests.conftest import api_token, login
from tests.factories import make_plan, make_template

NUL_MESSAGE = {"vi": "Nội dung gửi lên có ký tự NUL (U+0000)",
               "en": "What was sent holds a NUL character (U+0000)"}
TOO_LARGE = {"vi": "Nội dung gửi lên lớn hơn 1 MB", "en": "What was sent is larger than 1 MB"}
OVER_THE_LIMIT = "x" * (2**20 + 1)


@pytest.fixture
def plan_id(tree, users, db) -> int:
    """Bình Lương's draft plan."""
    with system_scope("test data"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        db.session.commit()
        return plan.id


def saved_plan(plan_id) -> tuple[str, int]:
    with system_scope("test reads what was saved"):
        _db.session.expire_all()
        plan = _db.session.get(Plan, plan_id)
        return plan.title, plan.version


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_json_body_with_a_nul_character_gets_400_and_changes_nothing(client, users, plan_id, language):
    headers = {**api_token(client, users["editor"].username), "Accept-Language": language}
    before = saved_plan(plan_id)
    for body in ({"version": before[1], "title": "Kế hoạch\x00"}, {"version": before[1], "title\x00": "x"},
                 {"version": before[1], "targets": [{"indicator": "TT01", "sex": None, "value": "1\x002"}]}):
        response = client.patch(f"/api/v1/plans/{plan_id}", json=body, headers=headers)
        assert response.status_code == 400, body
        assert response.get_json()["error"]["message"].startswith(NUL_MESSAGE[language])
    assert saved_plan(plan_id) == before


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_json_body_with_a_lone_surrogate_gets_400_and_changes_nothing(client, users, plan_id, language):
    """JSON may write half of a UTF-16 pair alone ("\\ud800"): not text, and it was a server error."""
    headers = {**api_token(client, users["editor"].username), "Accept-Language": language,
               "Content-Type": "application/json"}
    before = saved_plan(plan_id)
    for body in ('{"version": %d, "title": "K\\ud800"}', '{"version": %d, "targets": ["\\udfff x"]}'):
        response = client.patch(f"/api/v1/plans/{plan_id}", data=body % before[1], headers=headers)
        assert response.status_code == 400, body
        assert response.get_json()["error"]["message"] == {
            "vi": "Nội dung gửi lên có một nửa cặp thay thế UTF-16 (U+D800 đến U+DFFF) đứng riêng, không phải là "
                  "văn bản nên không lưu được. Vui lòng xóa ký tự đó rồi gửi lại.",
            "en": "What was sent holds half of a UTF-16 surrogate pair (U+D800 to U+DFFF) alone, which is not text "
                  "and cannot be saved. Remove it and send again."}[language]
    assert saved_plan(plan_id) == before


def test_a_query_with_a_nul_character_gets_400(client, users):
    headers = {**api_token(client, users["officer"].username), "Accept-Language": "en"}
    response = client.get("/api/v1/rollups?unit=40%002&period=2023Q1", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(NUL_MESSAGE["en"])


@pytest.mark.parametrize(("data", "status", "message"), [
    ({"username": "edi\x00tor", "password": "x"}, 400, NUL_MESSAGE["vi"]),
    ({"username": "editor", "password": OVER_THE_LIMIT}, 413, TOO_LARGE["vi"]),
], ids=["NUL", "over the limit"])
def test_a_refused_form_gets_a_page_saying_why(client, users, data, status, message):
    response = client.post("/login", data=data, headers={"Accept-Language": "vi"})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_a_request_without_one_is_untouched(client, users, plan_id):
    headers = api_token(client, users["editor"].username)
    before = saved_plan(plan_id)
    response = client.patch(f"/api/v1/plans/{plan_id}", json={"version": before[1], "title": "Kế hoạch mới"},
                            headers=headers)
    assert response.status_code == 200
    assert saved_plan(plan_id) == ("Kế hoạch mới", before[1] + 1)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_api_body_over_the_limit_gets_413_and_changes_nothing(client, users, plan_id, language):
    headers = {**api_token(client, users["editor"].username), "Accept-Language": language}
    before = saved_plan(plan_id)
    response = client.patch(f"/api/v1/plans/{plan_id}", json={"version": before[1], "title": OVER_THE_LIMIT},
                            headers=headers)
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and error["message"].startswith(TOO_LARGE[language])
    assert saved_plan(plan_id) == before


def test_a_body_just_within_the_limit_is_read(client, users, plan_id):
    headers = api_token(client, users["editor"].username)
    before = saved_plan(plan_id)
    title = "x" * (2**20 - 200)  # with the JSON around it, just within 1 MB
    response = client.patch(f"/api/v1/plans/{plan_id}", json={"version": before[1], "title": title}, headers=headers)
    assert response.status_code == 422  # read, and refused by the plan's own rule on a title's length
    assert "title" in response.get_json()["error"]["fields"]


def test_a_form_of_too_many_parts_is_told_so_not_that_it_is_too_large(client, users):
    parts = "".join(f'--b\r\nContent-Disposition: form-data; name="f{number}"\r\n\r\nx\r\n' for number in range(1001))
    response = client.post("/login", data=f"{parts}--b--\r\n", headers={
        "Content-Type": "multipart/form-data; boundary=b", "Accept-Language": "vi"})
    assert response.status_code == 413
    assert "Nội dung gửi lên có hơn 1.000 trường, mức tối đa hệ thống nhận." in response.get_data(as_text=True)


def chunked(body: bytes) -> dict:
    """A body sent without a Content-Length, in chunks, as the WSGI server hands it on."""
    return {"environ_overrides": {"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
            "headers": {"Transfer-Encoding": "chunked", "Content-Type": "application/x-www-form-urlencoded"}}


def test_a_chunked_form_over_the_limit_is_refused_not_cut_and_saved(client, users, plan_id):
    """Werkzeug alone read it up to the limit and took that as the whole form."""
    login(client, users["editor"].username)
    before = saved_plan(plan_id)
    body = urlencode({"pad": OVER_THE_LIMIT, "version": before[1], "title": "Kế hoạch cắt ngang"}).encode()
    response = client.post(f"/plans/{plan_id}/details", **chunked(body))
    assert response.status_code == 413
    assert TOO_LARGE["vi"] in response.get_data(as_text=True)
    assert saved_plan(plan_id) == before


def test_a_chunked_json_body_within_the_limit_is_read_whole(client, users, plan_id):
    before = saved_plan(plan_id)
    body = json.dumps({"version": before[1], "title": "Kế hoạch mới"}).encode()
    options = chunked(body)
    options["headers"].update(api_token(client, users["editor"].username), **{"Content-Type": "application/json"})
    response = client.patch(f"/api/v1/plans/{plan_id}", **options)
    assert response.status_code == 200
    assert saved_plan(plan_id) == ("Kế hoạch mới", before[1] + 1)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_json_nested_too_deeply_to_read_gets_400(client, language):
    response = client.post("/api/v1/auth/token", data="[" * 100_000 + "]" * 100_000,
                           headers={"Content-Type": "application/json", "Accept-Language": language})
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == {
        "vi": "Dữ liệu JSON lồng nhau quá sâu.", "en": "The JSON is nested too deeply."}[language]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_key_sent_twice_in_one_object_gets_400_and_changes_nothing(client, users, plan_id, language):
    """Python's decoder keeps the last of the two: the client could not know which was saved."""
    before = saved_plan(plan_id)
    headers = {**api_token(client, users["editor"].username), "Accept-Language": language,
               "Content-Type": "application/json"}
    body = '{"version": %d, "title": "Kế hoạch A", "title": "Kế hoạch B"}' % before[1]
    response = client.patch(f"/api/v1/plans/{plan_id}", data=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == {
        "vi": '"title" được gửi hai lần trong một đối tượng: chỉ gửi một lần.',
        "en": '"title" is sent twice in one object: send it once.'}[language]
    assert saved_plan(plan_id) == before
    # A key that cannot be written in UTF-8, or a long one, is quoted escaped and cut short.
    for key, shown in (("\\ud800", "\\ud800"), ("k" * 100, "k" * 59 + "…")):
        body = '{"version": %d, "%s": 1, "%s": 2}' % (before[1], key, key)
        response = client.patch(f"/api/v1/plans/{plan_id}", data=body, headers=headers)
        assert response.status_code == 400
        assert response.get_json()["error"]["message"].startswith(f'"{shown}"')


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_number_too_long_to_read_gets_400_and_changes_nothing(client, users, plan_id, language):
    before = saved_plan(plan_id)
    headers = {**api_token(client, users["editor"].username), "Accept-Language": language,
               "Content-Type": "application/json"}
    body = '{"version": %s, "title": "Kế hoạch A"}' % ("9" * 5000)
    response = client.patch(f"/api/v1/plans/{plan_id}", data=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == {
        "vi": "Có một số quá nhiều chữ số.", "en": "A number has too many digits."}[language]
    assert saved_plan(plan_id) == before


@pytest.mark.parametrize(("body", "content_type", "message"), [
    ('{"version": 1,', "application/json", "The body is not valid JSON (line 1, column 15)."),
    (b'{"title": "\xc3\x28"}', "application/json", "The body is not text in UTF-8."),
    ('{"version": 1}', "text/plain", "Send a JSON object (Content-Type: application/json)."),
    ("[1]", "application/json", "Send a JSON object (Content-Type: application/json)."),
])
def test_a_body_that_cannot_be_read_says_why(client, users, plan_id, body, content_type, message):
    headers = {**api_token(client, users["editor"].username), "Accept-Language": "en", "Content-Type": content_type}
    response = client.patch(f"/api/v1/plans/{plan_id}", data=body, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == message
