"""No NUL character (U+0000) reaches the database: PostgreSQL can neither store nor compare
text holding one. A request that sends one is refused with a message in the user's language,
and nothing saved changes."""
import pytest

from app.extensions import db as _db
from app.plans.models import Plan
from tenants import system_scope
from tests.conftest import api_token
from tests.factories import make_plan, make_template

NUL_MESSAGE = {"vi": "Nội dung gửi lên có ký tự NUL (U+0000)",
               "en": "What was sent holds a NUL character (U+0000)"}


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


def test_a_query_with_a_nul_character_gets_400(client, users):
    headers = {**api_token(client, users["officer"].username), "Accept-Language": "en"}
    response = client.get("/api/v1/rollups?unit=40%002&period=2023Q1", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(NUL_MESSAGE["en"])


def test_a_form_with_a_nul_character_gets_a_page_saying_so(client, users):
    response = client.post("/login", data={"username": "edi\x00tor", "password": "x"},
                           headers={"Accept-Language": "vi"})
    assert response.status_code == 400
    assert NUL_MESSAGE["vi"] in response.get_data(as_text=True)


def test_a_request_without_one_is_untouched(client, users, plan_id):
    headers = api_token(client, users["editor"].username)
    before = saved_plan(plan_id)
    response = client.patch(f"/api/v1/plans/{plan_id}", json={"version": before[1], "title": "Kế hoạch mới"},
                            headers=headers)
    assert response.status_code == 200
    assert saved_plan(plan_id) == ("Kế hoạch mới", before[1] + 1)
