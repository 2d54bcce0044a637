"""The reports API: a plan's periods, creating a report, editing its values and activities
with optimistic versions, and the workflow. Bad input gets 422 on the field sent, a refused
action 403 or 409, and nothing saved is lost."""
from datetime import UTC, datetime

import pytest

from app.extensions import db as _db
from app.plans.models import Plan
from app.reports import services
from app.reports.models import Report
from tenants import system_scope
from tests.factories import (
    add_ratio,
    approve_plan,
    figure_saved_before_a_rule,
    make_plan,
    make_template,
)


@pytest.fixture
def plan_id(tree, users, db):
    """Bình Lương's approved plan for 2023 (quarterly reports)."""
    with system_scope("test data"):
        plan = approve_plan(make_plan(make_template(tree.district), tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        db.session.commit()
        return plan.id


@pytest.fixture
def report_id(plan_id, users, db):
    """Its draft report for 2023Q1."""
    with system_scope("test data"):
        report = services.create_report(_db.session.get(Plan, plan_id), "2023Q1", users["editor"])
        db.session.commit()
        return report.id


def saved(report_id) -> Report:
    with system_scope("test reads what was saved"):
        _db.session.expire_all()
        return _db.session.get(Report, report_id)


def saved_values(report_id) -> dict:
    with system_scope("test reads what was saved"):
        return {(row.indicator.code, row.sex): row.value for row in saved(report_id).values}


def patch(client, headers, report_id, **body):
    return client.patch(f"/api/v1/reports/{report_id}", json=body, headers=headers)


def act(client, headers, report_id, action, **body):
    return client.post(f"/api/v1/reports/{report_id}/{action}", json=body, headers=headers)


def current_version(client, headers, report_id) -> int:
    return client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()["version"]


# --- creating ---------------------------------------------------------------------------

def test_the_commune_starts_a_report_for_one_of_its_periods(client, as_user, plan_id):
    headers = as_user("editor")
    response = client.post(f"/api/v1/plans/{plan_id}/reports", json={"period": "2023Q3"}, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/reports/{body['id']}"
    assert (body["plan"], body["unit"], body["period"], body["status"], body["late"]) == (
        plan_id, "16204", "2023Q3", "draft", False)
    assert body["values"] == []
    assert [row["name"] for row in body["activities"]] == ["Tuyên truyền trên loa phát thanh", "Tập huấn cán bộ thôn"]
    assert {row["progress"] for row in body["activities"]} == {"not_started"}
    assert client.get(body["links"]["self"], headers=headers).get_json() == body


@pytest.mark.parametrize("period, field", [("2023Q3", "period"), ("2024Q1", "period"), ("quý 3", "period"),
                                           (None, "period")])
def test_a_second_report_or_a_period_outside_the_plan_is_refused(client, as_user, plan_id, period, field):
    headers = as_user("editor")
    client.post(f"/api/v1/plans/{plan_id}/reports", json={"period": "2023Q3"}, headers=headers)
    response = client.post(f"/api/v1/plans/{plan_id}/reports", json={"period": period}, headers=headers)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {field}
    with system_scope("test counts"):
        assert _db.session.execute(_db.select(_db.func.count(Report.id))).scalar_one() == 1


def test_a_new_report_with_its_figures_is_refused_rather_than_started_without_them(client, as_user, plan_id):
    response = client.post(f"/api/v1/plans/{plan_id}/reports", headers=as_user("editor"), json={
        "period": "2023Q3", "values": [{"indicator": "TR01", "sex": None, "value": 7}]})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"values": "Không thể thay đổi trường này tại đây."}
    with system_scope("test counts"):
        assert _db.session.execute(_db.select(_db.func.count(Report.id))).scalar_one() == 0


def test_no_report_on_a_plan_not_yet_approved(client, as_user, tree, users, db):
    with system_scope("test data"):
        draft = make_plan(make_template(tree.district, year=2024), tree.commune, users["editor"])
        db.session.commit()
        draft_id = draft.id
    response = client.post(f"/api/v1/plans/{draft_id}/reports", json={"period": "2024Q1"},
                           headers=as_user("editor"))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"plan"}


def test_only_the_communes_users_start_a_report(client, as_user, plan_id):
    response = client.post(f"/api/v1/plans/{plan_id}/reports", json={"period": "2023Q3"},
                           headers=as_user("officer"))
    assert response.status_code == 403


def test_the_plans_periods_show_their_state_deadline_and_report(client, as_user, plan_id, report_id):
    headers = as_user("officer")
    items = client.get(f"/api/v1/plans/{plan_id}/reports", headers=headers).get_json()["items"]
    assert [item["period"] for item in items] == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    first = items[0]
    assert first["deadline"] == "2023-04-10"
    assert first["state"] == "late"  # a draft is not a submission
    assert first["report"]["id"] == report_id and first["report"]["status"] == "draft"
    assert items[1]["report"] is None and items[1]["state"] == "late"

    province = as_user("province_viewer")  # reads the reports the communes sent, not their drafts
    assert client.get(f"/api/v1/reports/{report_id}", headers=province).status_code == 404
    assert client.get(f"/api/v1/plans/{plan_id}/reports", headers=province).get_json()["items"][0]["report"] is None

    leader = as_user("leader")
    act(client, leader, report_id, "submit", version=current_version(client, leader, report_id))
    items = client.get(f"/api/v1/plans/{plan_id}/reports", headers=headers).get_json()["items"]
    assert items[0]["state"] == "closed"
    assert client.get(f"/api/v1/reports/{report_id}", headers=province).status_code == 200
    assert client.get(f"/api/v1/plans/{plan_id}/reports", headers=province).get_json()["items"][0]["report"]["id"] == report_id


@pytest.mark.parametrize(("now", "state"), [
    (datetime(2023, 4, 10, 16, 59, tzinfo=UTC), "due"),  # 23:59 on 10 April in Việt Nam, 2023Q1's deadline
    (datetime(2023, 4, 10, 17, 1, tzinfo=UTC), "late"),  # 00:01 on 11 April there, still 10 April in UTC
])
def test_a_periods_deadline_passes_at_midnight_in_viet_nam(client, as_user, plan_id, monkeypatch, now, state):
    headers = as_user("officer")

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return now.astimezone(tz)

    monkeypatch.setattr("app.periods.datetime", Clock)
    items = client.get(f"/api/v1/plans/{plan_id}/reports", headers=headers).get_json()["items"]
    assert items[0]["state"] == state


# --- editing ----------------------------------------------------------------------------

def test_values_and_activities_are_saved_and_a_far_value_only_warns(client, as_user, report_id):
    headers = as_user("editor")
    report = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    activity = report["activities"][0]["activity"]
    response = patch(client, headers, report_id, version=report["version"], values=[
        {"indicator": "TT01", "sex": "male", "value": 40}, {"indicator": "TT01", "sex": "female", "value": "60"},
        {"indicator": "CB01", "sex": None, "value": "32,5"}, {"indicator": "TR01", "sex": None, "value": 5000},
    ], activities=[{"activity": activity, "progress": "done", "note": "Đã phát 12 buổi", "budget_spent": 1500000}])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] > report["version"]
    assert {(row["indicator"], row["sex"]): row["value"] for row in body["values"]} == {
        ("TT01", None): 100, ("TT01", "male"): 40, ("TT01", "female"): 60, ("CB01", None): 32.5, ("TR01", None): 5000}
    assert body["activities"][0] == {"activity": activity, "name": "Tuyên truyền trên loa phát thanh",
                                     "progress": "done", "note": "Đã phát 12 buổi", "budget_spent": 1500000}
    assert len(body["warnings"]) == 1 and "TR01" not in body["warnings"][0]  # named by the indicator's name
    assert "warnings" not in client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()


@pytest.mark.parametrize("values, field", [
    ([{"indicator": "TR01", "sex": None, "value": "năm mươi"}], "values.TR01.total"),
    ([{"indicator": "TR01", "sex": None, "value": -3}], "values.TR01.total"),
    ([{"indicator": "TT01", "sex": None, "value": 50}, {"indicator": "TT01", "sex": "female", "value": 60}],
     "values.TT01.female"),
    ([{"indicator": "TT01", "sex": "male", "value": 5}], "values.TT01.female"),
    ([{"indicator": "CB01", "sex": None, "value": 120}], "values.CB01.total"),
    ([{"indicator": "TR01", "sex": "female", "value": 3}], "values.TR01.total"),
    ([{"indicator": "XX99", "sex": None, "value": 3}], "values.0.indicator"),
    ([{"indicator": {"code": "TR01"}, "sex": None, "value": 3}], "values.0.indicator"),
    ([{"indicator": ["TR01"], "sex": None, "value": 3}], "values.0.indicator"),
    ([{"indicator": "TT01", "sex": {}, "value": 3}], "values.TT01.total"),
    ([{"indicator": "TR01", "sex": None, "value": {}}], "values.TR01.total"),
    ([{"indicator": "TR01", "sex": None, "value": [3]}], "values.TR01.total"),
    ([{"indicator": "TR01", "sex": None, "value": float("nan")}], "values.TR01.total"),  # JSON's NaN
    ([{"indicator": "TR01", "sex": None, "value": float("inf")}], "values.TR01.total"),
    # Without its value, or with it misspelt, a figure is not removed (only an explicit null removes it).
    ([{"indicator": "TR01", "sex": None}], "values.TR01.total"),
    ([{"indicator": "TR01", "sex": None, "valeu": 70}], "values.0"),
    ([{"indicator": "TT01", "sex": "other", "value": 3}], "values.TT01.total"),
    ("TR01=3", "values"),
    # The same figure twice: which one was meant is unknown, so neither is taken.
    ([{"indicator": "TR01", "sex": None, "value": 8}, {"indicator": "TR01", "sex": None, "value": 9}],
     "values.TR01.total"),
    ([{"indicator": "TT01", "sex": "female", "value": 4}, {"indicator": "TT01", "sex": "female", "value": 4}],
     "values.TT01.female"),
])
def test_bad_values_are_refused_on_their_field_and_nothing_saved_is_lost(client, as_user, report_id, values, field):
    headers = as_user("editor")
    first = patch(client, headers, report_id, version=current_version(client, headers, report_id),
                  values=[{"indicator": "TR01", "sex": None, "value": 7}])
    assert first.status_code == 200
    response = patch(client, headers, report_id, version=first.get_json()["version"], values=values)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert saved_values(report_id) == {("TR01", None): 7}
    assert saved(report_id).version == first.get_json()["version"]


@pytest.mark.parametrize(("values", "field", "messages"), [
    ([{"indicator": "TR01", "sex": None}], "values.TR01.total",
     {"vi": "Vui lòng gửi value (null để xóa số liệu).", "en": "Send the value (null removes the figure)."}),
    ([{"indicator": "TR01", "valeu": 70}], "values.0",
     {"vi": "Không có trường valeu. Vui lòng gửi indicator, sex và value.",
      "en": "No such field: valeu. Send indicator, sex and value."}),
    ([{"indicator": "TT01", "sex": "Female", "value": 3}], "values.TT01.total",
     {"vi": "Giới tính phải là male (nam), female (nữ) hoặc để trống.", "en": "Sex is male, female or empty."}),
])
def test_a_value_item_that_cannot_be_read_as_sent_is_named_in_both_languages(client, as_user, report_id, values,
                                                                               field, messages):
    headers = as_user("editor")
    for language, message in messages.items():
        response = patch(client, {**headers, "Accept-Language": language}, report_id,
                         version=current_version(client, headers, report_id), values=values)
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {field: message}


def test_a_ratio_is_computed_never_sent_and_its_denominator_is_not_zero(client, as_user, tree, users, db):
    with system_scope("test data"):
        template = add_ratio(make_template(tree.district, year=2024))
        plan = approve_plan(make_plan(template, tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        report = services.create_report(plan, "2024Q1", users["editor"])
        db.session.commit()
        report_id = report.id
    headers = as_user("editor")
    response = patch(client, headers, report_id, version=current_version(client, headers, report_id), values=[
        {"indicator": "HS02", "sex": None, "value": 5}, {"indicator": "HS01", "sex": None, "value": 0}])
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"values.HS01.total"}
    assert saved_values(report_id) == {}

    response = patch(client, headers, report_id, version=current_version(client, headers, report_id), values=[
        {"indicator": "TL01", "sex": None, "value": 25}])
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"values.TL01.total"}

    response = patch(client, headers, report_id, version=current_version(client, headers, report_id), values=[
        {"indicator": "HS02", "sex": None, "value": 5}, {"indicator": "HS01", "sex": None, "value": 20}])
    assert response.status_code == 200
    assert saved_values(report_id) == {("HS02", None): 5, ("HS01", None): 20, ("TL01", None): 25}


@pytest.mark.parametrize(("field", "typed", "kept", "refused_text", "messages"), [
    ("assessment", " Kiến nghị: tập huấn. ", "Kiến nghị: tập huấn.", "x" * 20_001,
     {"vi": "Tối đa 20000 ký tự", "en": "At most 20000 characters"}),
    ("document_number", "Số: 12/BC-UBND", "12/BC-UBND", "12\n13",
     {"vi": "Hãy viết trên một dòng.", "en": "Write it on one line."}),
])
def test_the_reports_texts_are_read_and_written_and_bad_text_refused_in_both_languages(
        client, as_user, report_id, field, typed, kept, refused_text, messages):
    headers = as_user("editor")
    report = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    assert report[field] == ""

    response = patch(client, headers, report_id, version=report["version"], **{field: typed})
    assert response.status_code == 200 and response.get_json()[field] == kept

    version = response.get_json()["version"]
    for language, words in messages.items():
        refused = client.patch(f"/api/v1/reports/{report_id}", json={"version": version, field: refused_text},
                               headers={**headers, "Accept-Language": language})
        assert refused.status_code == 422
        assert refused.get_json()["error"]["fields"][field].startswith(words)
    refused = patch(client, headers, report_id, version=version, **{field: 12})
    assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {field}
    assert getattr(saved(report_id), field) == kept and saved(report_id).version == version


def test_bad_activities_and_unknown_fields_are_refused(client, as_user, report_id):
    headers = as_user("editor")
    report = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    activity = report["activities"][0]["activity"]
    response = patch(client, headers, report_id, version=report["version"],
                     activities=[{"activity": activity, "progress": "almost", "budget_spent": "nhiều"}])
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {f"activities.{activity}.progress",
                                                           f"activities.{activity}.budget_spent"}
    # What is not an activity's id, or not a progress, is named as such (True is not activity 1).
    for activities, field in (([{"activity": {}}], "activities.0.activity"), ([{"activity": True}], "activities.0.activity"),
                              ([{"activity": [activity]}], "activities.0.activity"),
                              ([{"activity": activity, "progress": {}}], f"activities.{activity}.progress"),
                              ([{"activity": activity, "note": {"x": 1}}], f"activities.{activity}.note"),
                              ([{"activity": activity, "note": ["a"]}], f"activities.{activity}.note"),
                              ([{"activity": activity, "note": 12}], f"activities.{activity}.note")):
        response = patch(client, headers, report_id, version=report["version"], activities=activities)
        assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {field}, activities
    assert response.get_json()["error"]["fields"][field] == "Vui lòng nhập nội dung."  # a note is text
    # A misspelt field is named, not dropped as if saved; a budget too large says so.
    for activities, field, message in (
            ([{"activity": activity, "progres": "done"}], f"activities.{activity}",
             "Không có trường progres. Vui lòng gửi activity, progress, note và budget_spent."),
            ([{"activity": activity, "budget_spent": 10 ** 15}], f"activities.{activity}.budget_spent",
             "Số này quá lớn."),
            ([{"activity": activity, "budget_spent": float("nan")}], f"activities.{activity}.budget_spent",
             "Vui lòng nhập kinh phí bằng đồng, dưới dạng số nguyên.")):
        response = patch(client, headers, report_id, version=report["version"], activities=activities)
        assert response.status_code == 422 and response.get_json()["error"]["fields"] == {field: message}
    response = patch(client, headers, report_id, version=report["version"], activities=["done"])
    assert response.get_json()["error"]["fields"] == {
        "activities.0": "Mỗi hoạt động phải là một đối tượng gồm activity và progress, note hoặc budget_spent."}
    response = patch(client, headers, report_id, version=report["version"], status="accepted")
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"status"}
    response = patch(client, headers, report_id, values=[])
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"version"}
    assert saved(report_id).version == report["version"]


def test_an_activity_sent_twice_is_refused_in_both_languages_and_neither_is_taken(client, as_user, report_id):
    headers = as_user("editor")
    report = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    activity = report["activities"][0]
    twice = [{"activity": activity["activity"], "progress": "done"},
             {"activity": activity["activity"], "progress": "cancelled"}]
    for language, message in (("vi", "Hoạt động này được gửi hai lần: vui lòng chỉ gửi một lần."),
                              ("en", "This activity is sent twice: send it once.")):
        response = client.patch(f"/api/v1/reports/{report_id}", json={"version": report["version"], "activities": twice},
                                headers={**headers, "Accept-Language": language})
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {f"activities.{activity['activity']}": message}
    after = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    assert after["activities"][0] == activity and after["version"] == report["version"]


def test_a_stale_version_gets_409_with_the_saved_report(client, as_user, report_id):
    headers = as_user("editor")
    version = current_version(client, headers, report_id)
    assert patch(client, headers, report_id, version=version,
                 values=[{"indicator": "TR01", "sex": None, "value": 7}]).status_code == 200
    response = patch(client, as_user("leader"), report_id, version=version,
                     values=[{"indicator": "TR01", "sex": None, "value": 9}])
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale_version"
    assert error["current"]["version"] > version
    assert error["current"]["values"] == [{"indicator": "TR01", "sex": None, "value": 7}]
    assert saved_values(report_id) == {("TR01", None): 7}


def test_a_form_encoded_body_is_not_read(client, as_user, report_id):
    response = client.patch(f"/api/v1/reports/{report_id}", data={"version": "1"}, headers=as_user("editor"))
    assert response.status_code == 400


# --- the workflow -----------------------------------------------------------------------

def test_the_leader_submits_late_and_the_officer_accepts(client, as_user, report_id):
    editor, leader, officer = as_user("editor"), as_user("leader"), as_user("officer")
    version = current_version(client, editor, report_id)
    assert act(client, editor, report_id, "submit", version=version).status_code == 403

    submitted = act(client, leader, report_id, "submit", version=version)
    assert submitted.status_code == 200
    body = submitted.get_json()
    assert body["status"] == "submitted" and body["late"] is True and body["submitted_at"]

    assert act(client, leader, report_id, "accept", version=body["version"]).status_code == 403
    assert patch(client, editor, report_id, version=body["version"], values=[]).status_code == 409
    accepted = act(client, officer, report_id, "accept", version=body["version"])
    assert accepted.status_code == 200
    assert accepted.get_json()["status"] == "accepted" and accepted.get_json()["decided_at"]

    again = act(client, leader, report_id, "submit", version=accepted.get_json()["version"])
    assert again.status_code == 409
    assert again.get_json()["error"]["message"] == (
        "Không thể thực hiện thao tác này khi báo cáo đang ở trạng thái “Đã tiếp nhận”.")
    in_english = act(client, {**leader, "Accept-Language": "en"}, report_id, "submit",
                     version=accepted.get_json()["version"])
    assert in_english.get_json()["error"]["message"] == "This cannot be done while the report is “Accepted”."
    assert saved(report_id).status == "accepted"


def test_men_alone_saved_before_the_rule_are_refused_at_submission_on_the_missing_field(client, as_user, report_id):
    with system_scope("test data"):
        figure_saved_before_a_rule(saved(report_id), "TT01", "male", 5)
        _db.session.commit()
    leader = as_user("leader")
    version = current_version(client, leader, report_id)

    response = act(client, {**leader, "Accept-Language": "en"}, report_id, "submit", version=version)
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "invalid", "message": "Some figures must be completed before the report is submitted.",
        "fields": {"values.TT01.female": "Enter the figure for women too: the total is men plus women."}}
    assert saved(report_id).status == "draft" and saved(report_id).version == version
    assert saved_values(report_id) == {("TT01", "male"): 5}


@pytest.mark.parametrize("language, message", [
    ("vi", "Vui lòng nhập cả số liệu của nữ: tổng bằng nam cộng nữ."),
    ("en", "Enter the figure for women too: the total is men plus women.")])
def test_a_report_names_its_figures_saved_before_the_rule_until_they_are_completed(client, as_user, report_id,
                                                                                  language, message):
    with system_scope("test data"):
        figure_saved_before_a_rule(saved(report_id), "TT01", "male", 5)
        _db.session.commit()
    editor = {**as_user("editor"), "Accept-Language": language}
    opened = client.get(f"/api/v1/reports/{report_id}", headers=editor).get_json()
    assert opened["incomplete"] == {"values.TT01.female": message}

    completed = patch(client, editor, report_id, version=opened["version"],
                      values=[{"indicator": "TT01", "sex": "female", "value": 7}])
    assert completed.status_code == 200 and completed.get_json()["incomplete"] == {}
    assert saved_values(report_id) == {("TT01", "male"): 5, ("TT01", "female"): 7, ("TT01", None): 12}


def test_a_report_with_complete_figures_or_already_sent_names_nothing_incomplete(client, as_user, report_id):
    leader = as_user("leader")
    assert client.get(f"/api/v1/reports/{report_id}", headers=leader).get_json()["incomplete"] == {}
    assert act(client, leader, report_id, "submit", version=current_version(client, leader, report_id)).status_code == 200
    with system_scope("test data"):
        # Sent before the rule: the district accepts or returns it, the commune cannot mend it now.
        figure_saved_before_a_rule(saved(report_id), "TT01", "male", 5)
        _db.session.commit()
    assert client.get(f"/api/v1/reports/{report_id}", headers=leader).get_json()["incomplete"] == {}


def test_a_return_needs_a_comment(client, as_user, report_id):
    leader, officer = as_user("leader"), as_user("officer")
    submitted = act(client, leader, report_id, "submit", version=current_version(client, leader, report_id))
    version = submitted.get_json()["version"]
    refused = act(client, officer, report_id, "return", version=version)
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"comment"}
    # A comment that is not text, even an empty object or list, is refused, not taken as none.
    for not_text in ({}, [], 0):
        refused = act(client, officer, report_id, "accept", version=version, comment=not_text)
        assert refused.status_code == 422
        assert refused.get_json()["error"]["fields"] == {"comment": "Vui lòng nhập nội dung."}
    assert saved(report_id).status == "submitted"

    returned = act(client, officer, report_id, "return", version=version, comment="Bổ sung số liệu quý 1.")
    assert returned.status_code == 200
    assert (returned.get_json()["status"], returned.get_json()["return_comment"]) == (
        "returned", "Bổ sung số liệu quý 1.")


def test_a_stale_transition_changes_nothing(client, as_user, report_id):
    leader = as_user("leader")
    version = current_version(client, leader, report_id)
    response = act(client, leader, report_id, "submit", version=version - 1 if version > 1 else version + 1)
    assert response.status_code == 409 and response.get_json()["error"]["current"]["status"] == "draft"
    assert saved(report_id).status == "draft"
