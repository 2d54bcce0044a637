"""/api/v1/templates: reading, creating and publishing the district's templates."""
import pytest

from app.plan_templates.models import PlanTemplate
from tenants import system_scope
from tests.conftest import api_token
from tests.factories import make_template

NEW_TEMPLATE = {
    "year": 2024,
    "title": "Triển khai công tác bình đẳng giới năm 2024",
    "legal_basis": ["Luật Bình đẳng giới năm 2006"],
    "responsible_bodies": ["Ban chính sách", "Hội LHPN"],
    "recipients": ["Phòng LĐTBXH huyện (b/c);", "Lưu VT."],
    "report_period_type": "six_months",
    "report_deadline_days": 15,
    "rollup_includes_submitted": True,
    "sections": [
        {"key": "muc-dich", "level": 1, "heading": "Mục đích yêu cầu", "default_text": "…", "editable": True},
        {"key": "noi-dung", "level": 1, "heading": "Nội dung thực hiện", "editable": False},
        {"key": "tuyen-truyen", "level": 2, "heading": "Tuyên truyền", "guidance": "Nêu số buổi."},
    ],
    "activities": [{"section": "tuyen-truyen", "name": "Tuyên truyền trên loa", "lead_body": "Ban văn hoá"}],
    "indicators": [
        {"code": "TT01", "name": "Số buổi truyền thông", "unit": "buổi", "minimum_target": 4},
        {"code": "NU01", "name": "Số nữ", "unit": "người"},
        {"code": "TL01", "name": "Tỷ lệ", "unit": "%", "value_type": "percent", "aggregation": "ratio",
         "numerator": "NU01", "denominator": "TT01", "time_aggregation": "last"},
    ],
}


@pytest.fixture
def templates(tree, db):
    with system_scope("test data"):
        published = make_template(tree.district)
        draft = make_template(tree.district, year=2024, published=False)
        db.session.commit()
        return {"published": published.id, "draft": draft.id}


def test_the_list_shows_drafts_to_the_officer_and_only_published_ones_to_a_commune(client, users, templates):
    officer = client.get("/api/v1/templates", headers=api_token(client, "officer")).get_json()
    commune = client.get("/api/v1/templates", headers=api_token(client, "editor")).get_json()
    assert {item["id"] for item in officer["items"]} == {templates["published"], templates["draft"]}
    assert [item["id"] for item in commune["items"]] == [templates["published"]]
    by_year = client.get("/api/v1/templates?year=2024", headers=api_token(client, "officer")).get_json()
    assert [item["id"] for item in by_year["items"]] == [templates["draft"]]


def test_a_commune_reads_its_districts_published_template_but_not_a_draft(client, users, templates):
    headers = api_token(client, "editor")
    response = client.get(f"/api/v1/templates/{templates['published']}", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["unit"], body["status"], body["revision"]) == ("402", "published", 1)
    assert [section["key"] for section in body["sections"]][:2] == ["muc-dich", "noi-dung"]
    assert body["indicators"][0] == {
        "code": "TT01", "name": "Số người được truyền thông", "unit": "người", "value_type": "integer",
        "aggregation": "sum", "numerator": None, "denominator": None, "disaggregation": "sex",
        "time_aggregation": "sum", "minimum_target": 100}
    assert client.get(f"/api/v1/templates/{templates['draft']}", headers=headers).status_code == 404


def test_an_officer_creates_a_template_for_the_district(client, users, tree, db):
    response = client.post("/api/v1/templates", json=NEW_TEMPLATE, headers=api_token(client, "officer"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["unit"], body["year"], body["status"]) == ("402", 2024, "draft")
    assert body["activities"] == NEW_TEMPLATE["activities"]
    assert body["indicators"][2]["numerator"] == "NU01"
    assert body["recipients"] == NEW_TEMPLATE["recipients"]
    assert body["rollup_includes_submitted"] is True


def test_whether_submitted_reports_count_is_true_or_false_not_a_word(client, users, db):
    response = client.post("/api/v1/templates", json={**NEW_TEMPLATE, "rollup_includes_submitted": "có"},
                           headers=api_token(client, "officer"))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"rollup_includes_submitted": "Giá trị phải là true hoặc false."}


def test_bad_input_gets_422_with_a_message_per_field_and_saves_nothing(client, users, db):
    bad = {**NEW_TEMPLATE, "title": "", "indicators": [
        {"code": "TT01", "name": "Một"}, {"code": "TT01", "name": "Hai", "unit": "x" * 40},
        {"code": "TL01", "name": "Tỷ lệ", "aggregation": "ratio", "numerator": "KHONG"},
    ]}
    response = client.post("/api/v1/templates", json=bad, headers=api_token(client, "officer"))
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"title", "indicators.1.code", "indicators.1.unit", "indicators.2.numerator",
            "indicators.2.denominator"} <= set(fields)
    with system_scope("test"):
        assert db.session.execute(db.select(PlanTemplate)).first() is None


def test_a_choice_sent_as_an_object_gets_422_on_that_field(client, users, db):
    response = client.post("/api/v1/templates", json={**NEW_TEMPLATE, "report_period_type": {}},
                           headers=api_token(client, "officer"))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"report_period_type"}


@pytest.mark.parametrize("key", [{"a": 1}, ["muc-dich"], 12])
def test_a_section_key_that_is_not_text_gets_422_on_that_key(client, users, db, key):
    sections = [{**NEW_TEMPLATE["sections"][0], "key": key}, *NEW_TEMPLATE["sections"][1:]]
    response = client.post("/api/v1/templates", json={**NEW_TEMPLATE, "sections": sections},
                           headers=api_token(client, "officer"))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"]["sections.0.key"] == (
        "Chỉ dùng chữ thường, chữ số và dấu gạch ngang (tối đa 40 ký tự).")


def test_a_year_no_integer_column_holds_lists_every_year(client, users, templates):
    """As a year that is not a number does: the filter is left out."""
    response = client.get(f"/api/v1/templates?year={10**30}", headers=api_token(client, "officer"))
    assert response.status_code == 200
    assert {item["id"] for item in response.get_json()["items"]} == set(templates.values())


def test_a_commune_user_may_not_create_a_template(client, users):
    response = client.post("/api/v1/templates", json=NEW_TEMPLATE, headers=api_token(client, "editor"))
    assert response.status_code == 403


def test_publishing_needs_the_current_version(client, users, templates, db):
    headers = api_token(client, "officer")
    url = f"/api/v1/templates/{templates['draft']}/publish"
    version = client.get(f"/api/v1/templates/{templates['draft']}", headers=headers).get_json()["version"]
    missing = client.post(url, json={}, headers=headers)
    assert (missing.status_code, list(missing.get_json()["error"]["fields"])) == (422, ["version"])
    assert client.post(url, json={"version": version - 1}, headers=headers).status_code == 409
    response = client.post(url, json={"version": version}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["status"] == "published"
    # A published template never changes: publishing again is a conflict.
    again = client.post(url, json={"version": response.get_json()["version"]}, headers=headers)
    assert again.status_code == 409


def test_an_incomplete_template_is_not_published(client, users, db):
    headers = api_token(client, "officer")
    created = client.post("/api/v1/templates", json={"year": 2025, "title": "Trống"}, headers=headers).get_json()
    response = client.post(f"/api/v1/templates/{created['id']}/publish", json={"version": created["version"]},
                           headers=headers)
    assert response.status_code == 422
    assert "sections" in response.get_json()["error"]["fields"]


def test_which_reports_count_changes_on_a_published_template_and_rebuilds_its_rollups(client, users, templates):
    headers = {**api_token(client, "officer"), "Accept-Language": "en"}
    url = f"/api/v1/templates/{templates['published']}"
    version = client.get(url, headers=headers).get_json()["version"]

    response = client.patch(url, json={"version": version, "rollup_includes_submitted": True}, headers=headers)

    assert response.status_code == 200
    body = response.get_json()
    assert body["rollup_includes_submitted"] is True and body["version"] == version + 1
    task = client.get(body["rebuild"]["links"]["task"], headers=headers).get_json()
    assert task["id"] == body["rebuild"]["task_id"] and task["name"] == "rebuild_rollups"
    # The same rule again: nothing changes, nothing is rebuilt.
    again = client.patch(url, json={"version": body["version"], "rollup_includes_submitted": True}, headers=headers)
    assert (again.status_code, again.get_json()["rebuild"], again.get_json()["version"]) == (200, None, version + 1)


@pytest.mark.parametrize(("sender", "body", "status", "fields"), [
    ("officer", {"rollup_includes_submitted": "yes"}, 422, {"rollup_includes_submitted": "Say true or false."}),
    ("officer", {}, 422, {"rollup_includes_submitted": "Say true or false."}),
    ("officer", {"rollup_includes_submitted": True, "title": "Khác"}, 422,
     {"title": "This field cannot be changed here."}),
    ("officer", {"rollup_includes_submitted": True, "version": 0}, 409, None),
    ("editor", {"rollup_includes_submitted": True}, 403, None),
    ("other_district_officer", {"rollup_includes_submitted": True}, 404, None),
])
def test_a_wrong_change_of_the_reports_counted_is_refused_and_changes_nothing(client, users, templates, sender, body,
                                                                            status, fields):
    url = f"/api/v1/templates/{templates['published']}"
    officer = api_token(client, "officer")
    version = client.get(url, headers=officer).get_json()["version"]
    headers = {**api_token(client, users[sender].username), "Accept-Language": "en"}

    response = client.patch(url, json={"version": version, **body}, headers=headers)

    assert response.status_code == status
    assert response.get_json()["error"].get("fields") == fields
    saved = client.get(url, headers=officer).get_json()
    assert (saved["version"], saved["rollup_includes_submitted"]) == (version, False)
