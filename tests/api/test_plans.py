"""The plans API: create, read, list, edit with optimistic versions, the workflow, versions
and documents."""
import unicodedata

import pytest

from app.audit.queries import entries_for
from app.extensions import db as _db
from app.plan_templates.models import PlanTemplate
from app.plans import services
from app.plans.models import Plan
from app.plans.serializers import plan_json
from tenants import system_scope
from tests.factories import make_plan, make_template


@pytest.fixture
def template_id(template):
    """The id of the shared `template` (Như Xuân's published 2023 template)."""
    with system_scope("test data"):
        return template.id


@pytest.fixture
def plan_id(template_id, tree, users, db):
    """Bình Lương's draft plan for 2023."""
    with system_scope("test data"):
        plan = make_plan(_template(template_id), tree.commune, users["editor"])
        db.session.commit()
        return plan.id


def _template(template_id: int) -> PlanTemplate:
    return _db.session.get(PlanTemplate, template_id)


@pytest.fixture
def complete_plan_id(plan_id, users, db):
    """The draft with everything a submission needs."""
    with system_scope("test data"):
        plan = _db.session.get(Plan, plan_id)
        services.update_plan(plan, users["editor"], plan.version, {
            "document_number": "45/KH-UBND", "document_date": "2023-05-05", "signer_name": "Lê Văn A",
            "targets": [{"indicator": "TT01", "sex": None, "value": 120},
                        {"indicator": "CB01", "sex": None, "value": 30},
                        {"indicator": "TR01", "sex": None, "value": 500}],
        })
        db.session.commit()
    return plan_id


def saved(plan_id) -> dict:
    """The plan as the database holds it now."""
    with system_scope("test reads what was saved"):
        _db.session.expire_all()
        return plan_json(_db.session.get(Plan, plan_id))


def logged_actions(plan_id) -> list[str]:
    with system_scope("test reads the log"):
        return [entry.action for entry in entries_for(f"plan:{plan_id}")]


def patch(client, headers, plan_id, **body):
    return client.patch(f"/api/v1/plans/{plan_id}", json=body, headers=headers)


def act(client, headers, plan_id, action, **body):
    return client.post(f"/api/v1/plans/{plan_id}/{action}", json=body, headers=headers)


# --- creating ---------------------------------------------------------------------------

def test_an_editor_creates_the_communes_plan_from_the_template(client, as_user, template_id):
    response = client.post("/api/v1/plans", json={"template_id": template_id}, headers=as_user("editor"))

    assert response.status_code == 201, response.get_json()
    plan = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/plans/{plan['id']}")
    assert (plan["unit"], plan["year"], plan["status"]) == ("16204", 2023, "draft")
    assert "xã Bình Lương" in plan["introduction"]


def test_an_officer_may_not_create_a_plan(client, as_user, template_id):
    response = client.post("/api/v1/plans", json={"template_id": template_id}, headers=as_user("officer"))
    assert response.status_code == 403


def test_a_new_plan_with_its_text_is_refused_rather_than_created_without_it(client, as_user, template_id):
    response = client.post("/api/v1/plans", json={"template_id": template_id, "title": "Kế hoạch năm 2023"},
                           headers=as_user("editor"))

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"title": "Không thể thay đổi trường này tại đây."}
    with system_scope("test counts"):
        assert _db.session.execute(_db.select(_db.func.count(Plan.id))).scalar_one() == 0


@pytest.mark.parametrize("which", ["other district", "draft"])
def test_a_template_that_is_not_the_communes_is_refused_by_field(client, as_user, tree, db, which):
    with system_scope("test data"):
        if which == "draft":
            other = make_template(tree.district, year=2024, published=False)
        else:
            other = make_template(tree.other_district)
        db.session.commit()
        other_id = other.id

    response = client.post("/api/v1/plans", json={"template_id": other_id}, headers=as_user("editor"))

    assert response.status_code == 422
    assert "template_id" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("body", ["not json", "[1]"])
def test_a_body_that_is_not_a_json_object_gets_400(client, as_user, template_id, body):
    response = client.post("/api/v1/plans", data=body, content_type="application/json",
                           headers=as_user("editor"))
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]


# --- reading ----------------------------------------------------------------------------

def test_the_plan_reads_as_json_with_its_sections_targets_and_document(client, as_user, plan_id):
    response = client.get(f"/api/v1/plans/{plan_id}", headers=as_user("officer"))

    plan = response.get_json()
    assert response.status_code == 200
    assert {"id", "unit", "year", "status", "version", "sections", "activities", "targets",
            "document", "links"} <= plan.keys()
    assert {"key", "heading", "text"} <= plan["sections"][0].keys()
    assert {"indicator": "TT01", "sex": None, "value": 100} in plan["targets"]
    assert plan["links"]["document.pdf"].endswith(f"/plans/{plan_id}/document.pdf")


def test_the_list_filters_and_pages_the_plans_in_scope(client, as_user, tree, users, template_id, plan_id, db):
    with system_scope("test data"):
        make_plan(_template(template_id), tree.sibling_commune, users["sibling_editor"])
        make_plan(make_template(tree.district, year=2024), tree.commune, users["editor"])
        db.session.commit()
    officer = as_user("officer")

    def listed(query, headers=officer):
        response = client.get(f"/api/v1/plans{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    everything = listed("")
    assert everything["total"] == 3 and everything["per_page"] == 50
    assert [item["year"] for item in everything["items"]] == [2024, 2023, 2023]
    # By name in Vietnamese order: "Thị trấn Yên Cát" before "Xã Bình Lương".
    assert [item["unit"] for item in listed("?year=2023")["items"]] == ["16174", "16204"]
    assert listed("?unit=16174")["total"] == 1
    assert listed("?status=submitted")["items"] == []
    second_page = listed("?per_page=1&page=2")
    assert (len(second_page["items"]), second_page["page"], second_page["total"]) == (1, 2, 3)
    assert listed("", as_user("sibling_editor"))["total"] == 1


def test_a_bad_filter_gets_422_by_field(client, as_user, plan_id):
    response = client.get("/api/v1/plans?year=abc&status=done", headers=as_user("officer"))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"year", "status"}


# --- editing ----------------------------------------------------------------------------

def test_patching_a_section_and_a_target_saves_them_raises_the_version_and_logs_it(client, as_user, plan_id):
    version = saved(plan_id)["version"]

    response = patch(client, as_user("editor"), plan_id, version=version,
                     sections=[{"key": "tuyen-truyen", "text": "Phát thanh hằng tuần."}],
                     targets=[{"indicator": "TR01", "sex": None, "value": "1 500"}],
                     document={"number": "45/KH-UBND", "recipients": ["UBND huyện (b/c);", "Lưu VT."]})

    assert response.status_code == 200, response.get_json()
    plan = saved(plan_id)
    assert response.get_json()["version"] == plan["version"] == version + 1
    assert next(s["text"] for s in plan["sections"] if s["key"] == "tuyen-truyen") == "Phát thanh hằng tuần."
    assert {"indicator": "TR01", "sex": None, "value": 1500} in plan["targets"]
    assert plan["document"]["number"] == "45/KH-UBND"
    assert plan["document"]["recipients"] == ["UBND huyện (b/c);", "Lưu VT."]
    assert logged_actions(plan_id)[0] == "edited"


def test_a_stale_version_gets_409_with_the_saved_plan_and_changes_nothing(client, as_user, plan_id):
    read_version = saved(plan_id)["version"]
    first = patch(client, as_user("editor"), plan_id, version=read_version, title="Lần một")
    assert first.status_code == 200

    second = patch(client, as_user("leader"), plan_id, version=read_version, title="Lần hai")

    assert second.status_code == 409
    error = second.get_json()["error"]
    assert error["current"]["version"] == saved(plan_id)["version"] == read_version + 1
    assert error["current"]["title"] == saved(plan_id)["title"] == "Lần một"


def test_a_patch_without_a_version_gets_422(client, as_user, plan_id):
    response = patch(client, as_user("editor"), plan_id, title="Không có phiên bản")
    assert response.status_code == 422
    assert "version" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize(("targets", "field", "message"), [
    ([{"indicator": "TR01", "sex": None, "value": -5}], "targets.TR01.total", "Số liệu không được là số âm."),
    ([{"indicator": "TR01", "sex": None, "value": "nhiều"}], "targets.TR01.total", "Vui lòng nhập một số, viết như 4.920.000 hoặc 12,5."),
    ([{"indicator": "TT01", "sex": None, "value": 120}, {"indicator": "TT01", "sex": "female", "value": 130}],
     "targets.TT01.female", "Chỉ tiêu của nữ không được lớn hơn tổng."),
    ([{"indicator": "TT01", "sex": None, "value": 50}], "targets.TT01.total",
     "Kế hoạch mẫu yêu cầu tối thiểu 100."),
    ([{"indicator": {"code": "TT01"}, "sex": None, "value": 120}], "targets.0.indicator",
     "Kế hoạch mẫu không có chỉ tiêu nào mang mã này."),
    ([{"indicator": "TR01", "sex": None, "value": 1500}, {"indicator": "TR01", "sex": None, "value": 1600}],
     "targets.TR01.total", "Số liệu này được gửi hai lần: vui lòng chỉ gửi một lần."),
    ([{"indicator": "TR01", "sex": None, "value": float("nan")}], "targets.TR01.total", "Vui lòng nhập một số, viết như 4.920.000 hoặc 12,5."),
    # A target without its value, or with it misspelt, is not removed: only an explicit null removes it.
    ([{"indicator": "TR01", "sex": None}], "targets.TR01.total", "Vui lòng gửi value (null để xóa số liệu)."),
    ([{"indicator": "TR01", "sex": None, "valeu": 1600}], "targets.0",
     "Không có trường valeu. Vui lòng gửi indicator, sex và value."),
])
def test_a_bad_target_gets_422_on_its_field_in_vietnamese_and_nothing_is_saved(
        client, as_user, plan_id, targets, field, message):
    before = saved(plan_id)

    response = patch(client, as_user("editor"), plan_id, version=before["version"], targets=targets)

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"][field] == message
    assert saved(plan_id) == before


@pytest.mark.parametrize(("title", "problem"), [("", "required"), ("x" * 501, "at most")])
def test_an_empty_or_over_long_title_gets_422_and_nothing_is_saved(client, as_user, users, plan_id, db, title, problem):
    with system_scope("test data"):
        users["editor"].locale = "en"
        db.session.commit()
    before = saved(plan_id)

    response = patch(client, as_user("editor"), plan_id, version=before["version"], title=title)

    assert response.status_code == 422
    assert problem in response.get_json()["error"]["fields"]["title"].lower()
    assert saved(plan_id) == before


def test_document_and_unknown_fields_are_refused_by_their_json_names(client, as_user, plan_id):
    response = patch(client, as_user("editor"), plan_id, version=saved(plan_id)["version"],
                     document={"date": "31/02/2023"}, status="approved")

    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"document.date", "status"}


@pytest.mark.parametrize("written", [20230505, "20230505", "2023-W18-5", ["2023-05-05"], "٠٥/٠٥/٢٠٢٣"])
def test_a_date_is_a_string_day_first_or_iso_and_nothing_else(client, as_user, plan_id, written):
    response = patch(client, as_user("editor"), plan_id, version=saved(plan_id)["version"],
                     document={"date": written})

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "document.date": "Vui lòng nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/05/2023."}


def test_a_section_sent_twice_is_refused_and_neither_text_is_saved(client, as_user, plan_id):
    before = saved(plan_id)

    response = patch(client, as_user("editor"), plan_id, version=before["version"],
                     sections=[{"key": "tuyen-truyen", "text": "Phát thanh hằng tuần."},
                               {"key": "tuyen-truyen", "text": "Phát thanh hằng tháng."}])

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "sections.tuyen-truyen": "Mục này được gửi hai lần: vui lòng chỉ gửi một lần."}
    assert saved(plan_id) == before


def test_html_is_stored_verbatim_and_returned_as_a_json_string(client, as_user, plan_id):
    script = '<script>alert("x")</script>'
    response = patch(client, as_user("editor"), plan_id, version=saved(plan_id)["version"],
                     sections={"tuyen-truyen": script})

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert next(s["text"] for s in saved(plan_id)["sections"] if s["key"] == "tuyen-truyen") == script


def test_decomposed_vietnamese_is_stored_composed(client, as_user, plan_id):
    decomposed = unicodedata.normalize("NFD", "Kế hoạch bình đẳng giới")
    response = patch(client, as_user("editor"), plan_id, version=saved(plan_id)["version"], title=decomposed)

    assert response.status_code == 200
    assert saved(plan_id)["title"] == unicodedata.normalize("NFC", decomposed) != decomposed


# --- the workflow -----------------------------------------------------------------------

def test_the_workflow_over_the_api(client, as_user, complete_plan_id):
    plan_id = complete_plan_id
    editor, leader, officer = as_user("editor"), as_user("leader"), as_user("officer")

    assert act(client, editor, plan_id, "submit", version=saved(plan_id)["version"]).status_code == 403
    submitted = act(client, leader, plan_id, "submit", version=saved(plan_id)["version"])
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"

    assert patch(client, editor, plan_id, version=saved(plan_id)["version"], title="Sửa").status_code == 409
    assert act(client, leader, plan_id, "approve", version=saved(plan_id)["version"]).status_code == 403
    no_comment = act(client, officer, plan_id, "return", version=saved(plan_id)["version"])
    assert no_comment.status_code == 422 and "comment" in no_comment.get_json()["error"]["fields"]

    returned = act(client, officer, plan_id, "return", version=saved(plan_id)["version"],
                   comment="Bổ sung kinh phí.")
    assert returned.status_code == 200
    assert (returned.get_json()["status"], returned.get_json()["return_comment"]) == ("returned", "Bổ sung kinh phí.")


def test_an_incomplete_plan_cannot_be_submitted_and_says_what_is_missing(client, as_user, plan_id):
    response = act(client, as_user("leader"), plan_id, "submit", version=saved(plan_id)["version"])

    assert response.status_code == 422
    assert {"document.number", "document.date", "document.signer_name"} <= set(response.get_json()["error"]["fields"])
    assert saved(plan_id)["status"] == "draft"


def test_a_submission_keeps_one_version(client, as_user, complete_plan_id):
    leader = as_user("leader")
    act(client, leader, complete_plan_id, "submit", version=saved(complete_plan_id)["version"])

    light = client.get(f"/api/v1/plans/{complete_plan_id}/versions", headers=leader).get_json()["items"]
    full = client.get(f"/api/v1/plans/{complete_plan_id}/versions?content=1", headers=leader).get_json()["items"]

    assert len(light) == 1 and "content" not in light[0]
    assert (light[0]["number"], light[0]["status"]) == (1, "submitted")
    assert full[0]["content"]["document"]["number"] == "45/KH-UBND"


# --- activities -------------------------------------------------------------------------

def test_activities_are_added_changed_and_removed_with_the_plans_version(client, as_user, plan_id):
    editor = as_user("editor")
    added = client.post(f"/api/v1/plans/{plan_id}/activities", headers=editor, json={
        "version": saved(plan_id)["version"], "section": "nang-luc", "name": "Hội thi", "months": [3, 8]})
    assert added.status_code == 201, added.get_json()
    activity = next(a for a in added.get_json()["activities"] if a["name"] == "Hội thi")

    changed = client.patch(f"/api/v1/plans/{plan_id}/activities/{activity['id']}", headers=editor,
                           json={"version": added.get_json()["version"], "budget_vnd": "2 000 000"})
    assert changed.status_code == 200, changed.get_json()
    kept = next(a for a in changed.get_json()["activities"] if a["id"] == activity["id"])
    assert (kept["name"], kept["months"], kept["budget_vnd"]) == ("Hội thi", [3, 8], 2_000_000)

    stale = client.delete(f"/api/v1/plans/{plan_id}/activities/{activity['id']}?version={added.get_json()['version']}",
                          headers=editor)
    assert stale.status_code == 409
    removed = client.delete(f"/api/v1/plans/{plan_id}/activities/{activity['id']}",
                            json={"version": changed.get_json()["version"]}, headers=editor)
    assert removed.status_code == 200
    assert activity["id"] not in [a["id"] for a in saved(plan_id)["activities"]]


@pytest.mark.parametrize(("sent", "field"), [
    ({"months": {}}, "months"), ({"months": [True]}, "months"), ({"months": [3.5]}, "months"),
    ({"months": {"3": 1}}, "months"), ({"id": 99}, "id"), ({"nmae": "Hội thi"}, "nmae"),
])
def test_an_activitys_change_of_the_wrong_shape_or_an_unknown_field_gets_422_and_nothing_changes(
        client, as_user, plan_id, sent, field):
    before = saved(plan_id)
    activity = before["activities"][0]
    response = client.patch(f"/api/v1/plans/{plan_id}/activities/{activity['id']}", headers=as_user("editor"),
                            json={"version": before["version"], **sent})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {field}
    assert saved(plan_id) == before


@pytest.mark.parametrize("section", [{"key": "nang-luc"}, ["nang-luc"], "khong-co"])
def test_an_activity_outside_the_content_areas_gets_422_and_nothing_is_saved(client, as_user, plan_id, section):
    before = saved(plan_id)
    response = client.post(f"/api/v1/plans/{plan_id}/activities", headers=as_user("editor"), json={
        "version": before["version"], "section": section, "name": "Hội thi"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"section"}
    assert saved(plan_id) == before


# --- documents --------------------------------------------------------------------------

@pytest.mark.parametrize(("extension", "mimetype"), [
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("pdf", "application/pdf"),
])
def test_the_document_downloads_in_its_format(client, as_user, complete_plan_id, extension, mimetype):
    response = client.get(f"/api/v1/plans/{complete_plan_id}/document.{extension}", headers=as_user("officer"))

    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert f".{extension}" in response.headers["Content-Disposition"]
