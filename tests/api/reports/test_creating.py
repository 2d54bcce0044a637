"""Starting a report through the API: one per period of an approved plan, by the commune's
users; the plan's periods with their state, deadline and report."""
from datetime import UTC, datetime

import pytest

from app.extensions import db as _db
from app.reports.models import Report
from tenants import system_scope
from tests.api.reports.calls import act, current_version
from tests.factories import (
    make_plan,
    make_template,
)


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


def test_a_report_created_by_someone_else_at_the_same_moment_is_refused_as_a_second_one(
        client, as_user, plan_id, monkeypatch):
    """The check before the insert saw nothing: the other request had not committed yet."""
    headers = {**as_user("editor"), "Accept-Language": "en"}
    client.post(f"/api/v1/plans/{plan_id}/reports", json={"period": "2023Q3"}, headers=headers)
    monkeypatch.setattr("app.reports.services.queries.has_report", lambda plan, period_id: False)

    response = client.post(f"/api/v1/plans/{plan_id}/reports", json={"period": " 2023Q3 "}, headers=headers)

    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"period": "There is already a report for 2023Q3."}
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
