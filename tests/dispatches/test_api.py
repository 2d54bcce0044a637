"""The API of the reports sent to the province: schedules (list, create, and the errors by
field), reports (list by unit and period, one report, its files) and "send now" (202 with the
run to follow; a report is never sent twice), scoped like the pages."""
import hashlib

import pytest

from app.dispatches.models import Dispatch, ReportSchedule
from app.task_runs.models import TaskRun
from tenants import system_scope
from tests.dispatches.conftest import RECIPIENT_EMAIL, RECIPIENT_NAME
from tests.factories import make_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def count(db, model) -> int:
    with system_scope("test counts rows"):
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def error_fields(response) -> dict:
    return response.get_json()["error"].get("fields", {})


# --- schedules -------------------------------------------------------------------------------

def test_the_schedules_are_listed_to_the_district_and_the_province(client, as_user, schedule, template):
    expected = {
        "id": schedule.id, "unit": "402", "template": template.id, "period_type": "quarter",
        "days_after_deadline": 5, "recipient_name": RECIPIENT_NAME, "recipient_emails": [RECIPIENT_EMAIL],
        "formats": ["xlsx", "docx"], "mode": "review", "active": True,
    }
    for reader in ("officer", "district_admin", "province_viewer", "admin"):
        response = client.get("/api/v1/report-schedules", headers=as_user(reader))
        assert response.status_code == 200
        assert response.get_json() == {"items": [expected]}
    outsider = client.get("/api/v1/report-schedules", headers=as_user("other_district_officer"))
    assert outsider.get_json() == {"items": []}
    assert client.get("/api/v1/report-schedules").status_code == 401


@pytest.mark.parametrize("commune_user", ["editor", "leader"])
def test_commune_users_get_403_everywhere(client, as_user, commune_user, dispatch_q3, db):
    headers = as_user(commune_user)
    for method, url, body in (
        ("GET", "/api/v1/report-schedules", None),
        ("POST", "/api/v1/report-schedules", {"template": dispatch_q3.schedule.template_id}),
        ("GET", "/api/v1/dispatches", None),
        ("POST", "/api/v1/dispatches", {"schedule": dispatch_q3.schedule_id, "period": "2023Q3"}),
        ("GET", f"/api/v1/dispatches/{dispatch_q3.id}", None),
        ("GET", f"/api/v1/dispatches/{dispatch_q3.id}/files/bao-cao-402-2023Q3.xlsx", None),
    ):
        response = client.open(url, method=method, json=body, headers=headers)
        assert response.status_code == 403, (method, url)
        assert response.get_json()["error"]["code"]
    assert count(db, ReportSchedule) == 1 and count(db, TaskRun) == 0


def test_the_officer_creates_a_schedule(client, as_user, template, db):
    body = {"template": template.id, "period_type": "year", "days_after_deadline": 10,
            "recipient_name": RECIPIENT_NAME, "recipient_emails": [RECIPIENT_EMAIL, "bdg@thanhhoa.gov.vn"],
            "formats": ["docx"], "mode": "automatic"}

    response = client.post("/api/v1/report-schedules", json=body, headers=as_user("officer"))

    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created == {**body, "id": created["id"], "unit": "402", "active": True}
    listed = client.get("/api/v1/report-schedules", headers=as_user("officer")).get_json()["items"]
    assert listed == [created]
    with system_scope("test reads the schedule"):
        assert db.session.get(ReportSchedule, created["id"]).formats == "docx"


def test_a_wrong_schedule_gets_422_with_every_field_and_saves_nothing(client, as_user, template, db):
    headers = as_user("officer")
    body = {"template": template.id, "period_type": "month", "days_after_deadline": -1,
            "recipient_name": RECIPIENT_NAME, "recipient_emails": ["sold@thanhhoa"], "formats": []}

    response = client.post("/api/v1/report-schedules", json=body, headers=headers)

    assert response.status_code == 422
    assert set(error_fields(response)) == {"period_type", "days_after_deadline", "recipient_emails", "formats"}
    assert all(isinstance(message, str) and message for message in error_fields(response).values())
    for field, value in (("recipient_emails", "not-an-address"), ("recipient_emails", []),
                         ("period_type", "decade"), ("formats", ["pdf"]), ("formats", []),
                         ("days_after_deadline", -5), ("days_after_deadline", "năm"), ("days_after_deadline", "²"),
                         ("days_after_deadline", 2**64), ("mode", "sometimes"), ("mode", {}), ("formats", [{}]), ("period_type", {}),
                         ("recipient_name", ""), ("activ", False)):  # a misspelt field, not dropped
        valid = {**body, "period_type": "quarter", "days_after_deadline": 5, "recipient_emails": [RECIPIENT_EMAIL],
                 "formats": ["xlsx"]}
        response = client.post("/api/v1/report-schedules", json={**valid, field: value}, headers=headers)
        assert response.status_code == 422, (field, value)
        assert set(error_fields(response)) == {field}, (field, value)
    assert count(db, ReportSchedule) == 0


def test_the_template_must_be_a_published_one_of_the_officers_district(client, as_user, template, tree, db):
    with system_scope("test data"):
        draft = make_template(tree.district, year=2024, published=False)
        other = make_template(tree.other_district)
        db.session.commit()
        draft_id, other_id = draft.id, other.id
    valid = {"period_type": "quarter", "recipient_name": RECIPIENT_NAME, "recipient_emails": [RECIPIENT_EMAIL],
             "formats": ["xlsx"]}
    headers = as_user("officer")
    for template_id in (None, "", "abc", 99999, draft_id, other_id):
        body = valid if template_id is None else {**valid, "template": template_id}
        response = client.post("/api/v1/report-schedules", json=body, headers=headers)
        assert response.status_code == 422, template_id
        assert set(error_fields(response)) == {"template"}
    # A reader of the province may not schedule; a body that is not an object is a 400.
    response = client.post("/api/v1/report-schedules", json={**valid, "template": template.id},
                           headers=as_user("province_viewer"))
    assert response.status_code == 403
    for not_an_object in ([valid], "quarter", 5):
        assert client.post("/api/v1/report-schedules", json=not_an_object, headers=headers).status_code == 400
    assert client.post("/api/v1/report-schedules", data="{", headers={**headers, "Content-Type": "application/json"}
                       ).status_code == 400
    assert count(db, ReportSchedule) == 0


# --- dispatches ------------------------------------------------------------------------------

def test_the_reports_are_listed_by_unit_and_period(client, as_user, dispatch_q3, db):
    headers = as_user("officer")
    response = client.get("/api/v1/dispatches?unit=402&period=2023Q3", headers=headers)

    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert {key: item[key] for key in ("id", "unit", "schedule", "period", "state", "error", "attempts")} == {
        "id": dispatch_q3.id, "unit": "402", "schedule": dispatch_q3.schedule_id, "period": "2023Q3",
        "state": "prepared", "error": None, "attempts": 0}
    assert item["prepared_at"] and item["sent_at"] is None
    assert [file["name"] for file in item["files"]] == ["bao-cao-402-2023Q3.docx", "bao-cao-402-2023Q3.xlsx"]
    assert item["links"] == {"self": f"/api/v1/dispatches/{dispatch_q3.id}"}

    assert client.get("/api/v1/dispatches", headers=headers).get_json()["items"] == [item]
    assert client.get("/api/v1/dispatches?period=2023Q2", headers=headers).get_json() == {"items": []}
    assert client.get("/api/v1/dispatches?unit=16204", headers=headers).get_json() == {"items": []}
    assert client.get("/api/v1/dispatches?unit=38", headers=as_user("province_viewer")).get_json() == {"items": []}
    assert client.get("/api/v1/dispatches?unit=402", headers=as_user("province_viewer")).get_json()["items"] == [item]
    for bad in ("2023Q5", "Q3", "2023-07"):
        response = client.get(f"/api/v1/dispatches?period={bad}", headers=headers)
        assert response.status_code == 422
        assert set(error_fields(response)) == {"period"}
    # A unit outside the reader's scope, or none at all: 404.
    assert client.get("/api/v1/dispatches?unit=403", headers=headers).status_code == 404
    assert client.get("/api/v1/dispatches?unit=99999", headers=headers).status_code == 404
    outsider = as_user("other_district_officer")
    assert client.get("/api/v1/dispatches", headers=outsider).get_json() == {"items": []}
    assert client.get("/api/v1/dispatches?unit=402", headers=outsider).status_code == 404


def test_one_report_and_its_files(client, as_user, dispatch_q3, db):
    headers = as_user("province_viewer")
    response = client.get(f"/api/v1/dispatches/{dispatch_q3.id}", headers=headers)

    assert response.status_code == 200
    report = response.get_json()
    with system_scope("test reads the files"):
        saved = {file.name: (file.sha256, file.size) for file in db.session.get(Dispatch, dispatch_q3.id).files}
    assert {file["name"]: (file["sha256"], file["size"]) for file in report["files"]} == saved
    for file in report["files"]:
        assert file["links"]["self"] == f"/api/v1/dispatches/{dispatch_q3.id}/files/{file['name']}"
        download = client.get(file["links"]["self"], headers=headers)
        assert download.status_code == 200
        assert download.headers["Content-Type"] == file["content_type"] == (
            XLSX if file["name"].endswith(".xlsx") else DOCX)
        assert download.headers["Content-Disposition"] == f"attachment; filename={file['name']}"
        assert hashlib.sha256(download.data).hexdigest() == file["sha256"]
        assert len(download.data) == file["size"]

    assert client.get(f"/api/v1/dispatches/{dispatch_q3.id}/files/nothing.xlsx", headers=headers).status_code == 404
    assert client.get("/api/v1/dispatches/99999", headers=headers).status_code == 404
    outsider = as_user("other_district_officer")
    assert client.get(f"/api/v1/dispatches/{dispatch_q3.id}", headers=outsider).status_code == 404
    assert client.get(report["files"][0]["links"]["self"], headers=outsider).status_code == 404
    assert client.get(f"/api/v1/dispatches/{dispatch_q3.id}").status_code == 401


def test_send_now_answers_202_with_the_run_then_the_report_is_sent_once(
        client, as_user, schedule, district_rollups, outbox, tasks_run_at_once, db):
    headers = as_user("officer")

    response = client.post("/api/v1/dispatches", json={"schedule": schedule.id, "period": "2023Q3"}, headers=headers)

    assert response.status_code == 202, response.get_json()
    started = response.get_json()
    assert started == {"task_id": started["task_id"], "dispatch": started["dispatch"], "links": {
        "task": f"/api/v1/tasks/{started['task_id']}", "dispatch": f"/api/v1/dispatches/{started['dispatch']}"}}
    run = client.get(started["links"]["task"], headers=headers).get_json()
    assert (run["name"], run["state"]) == ("send_dispatch", "done")
    report = client.get(started["links"]["dispatch"], headers=headers).get_json()
    assert (report["period"], report["state"], report["attempts"], report["error"]) == ("2023Q3", "sent", 1, None)
    assert report["sent_at"] and len(report["files"]) == 2
    for file in report["files"]:
        content = client.get(file["links"]["self"], headers=headers).data
        assert hashlib.sha256(content).hexdigest() == file["sha256"]
    [sent] = outbox.glob("*.eml")
    first = sent.read_bytes()

    # Again: 409, and nothing leaves a second time.
    again = client.post("/api/v1/dispatches", json={"schedule": schedule.id, "period": "2023Q3"}, headers=headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"]
    assert [path.read_bytes() for path in outbox.glob("*.eml")] == [first]
    assert client.get(started["links"]["dispatch"], headers=headers).get_json() == report
    assert count(db, TaskRun) == 1 and count(db, Dispatch) == 1


def test_a_second_send_while_the_first_goes_on_answers_409(client, as_user, dispatch_q3, schedule, outbox, db):
    """The first waits in the broker (or for the district's figures): a second would only fail."""
    headers = {**as_user("officer"), "Accept-Language": "en"}
    first = client.post("/api/v1/dispatches", json={"schedule": schedule.id, "period": "2023Q3"}, headers=headers)
    assert first.status_code == 202
    again = client.post("/api/v1/dispatches", json={"schedule": schedule.id, "period": "2023Q3"}, headers=headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["message"] == "This report is being sent."
    assert count(db, TaskRun) == 1


def test_send_now_while_the_broker_is_down_answers_503_and_can_be_tried_again(
        client, as_user, schedule, district_rollups, outbox, tasks_run_at_once, db, broker_down):
    headers = as_user("officer")
    with broker_down():
        refused = client.post("/api/v1/dispatches", json={"schedule": schedule.id, "period": "2023Q3"}, headers=headers)
    assert refused.status_code == 503
    assert refused.get_json()["error"]["message"] == (
        "Không kết nối được với tiến trình chạy nền nên chưa thực hiện được gì. Vui lòng thử lại sau.")
    assert list(outbox.glob("*.eml")) == []

    again = client.post("/api/v1/dispatches", json={"schedule": schedule.id, "period": "2023Q3"}, headers=headers)
    assert again.status_code == 202
    report = client.get(again.get_json()["links"]["dispatch"], headers=headers).get_json()
    assert report["state"] == "sent" and len(list(outbox.glob("*.eml"))) == 1


def test_send_now_refuses_what_it_cannot_send(client, as_user, schedule, outbox, tasks_run_at_once, db):
    headers = as_user("officer")
    for body, field in (({"schedule": 99999, "period": "2023Q3"}, "schedule"),
                        ({"period": "2023Q3"}, "schedule"),
                        ({"schedule": "abc", "period": "2023Q3"}, "schedule"),
                        ({"schedule": 2**64, "period": "2023Q3"}, "schedule"),  # past any id
                        ({"schedule": "²", "period": "2023Q3"}, "schedule"),  # a digit, not a number
                        ({"schedule": schedule.id}, "period"),
                        ({"schedule": schedule.id, "period": "2023Q9"}, "period"),
                        ({"schedule": schedule.id, "period": 2023}, "period"),
                        ({"schedule": schedule.id, "period": "2022Q3"}, "period"),  # not the template's year
                        ({"schedule": schedule.id, "period": "202307"}, "period"),  # a month of a quarterly schedule
                        ({"schedule": schedule.id, "period": "2023Q3", "unit": "402"}, "unit")):  # sent as is, or not
        response = client.post("/api/v1/dispatches", json=body, headers=headers)
        assert response.status_code == 422, body
        assert set(error_fields(response)) == {field}, body
    assert client.post("/api/v1/dispatches", json=[schedule.id], headers=headers).status_code == 400
    # Readers and other districts cannot send it: 403 for a reader, and the other district's
    # officer is told the schedule does not exist, as for an unknown id.
    body = {"schedule": schedule.id, "period": "2023Q3"}
    assert client.post("/api/v1/dispatches", json=body, headers=as_user("province_viewer")).status_code == 403
    assert client.post("/api/v1/dispatches", json=body, headers=as_user("district_admin")).status_code == 403
    response = client.post("/api/v1/dispatches", json=body, headers=as_user("other_district_officer"))
    assert response.status_code == 422 and set(error_fields(response)) == {"schedule"}
    assert count(db, Dispatch) == 0 and count(db, TaskRun) == 0
    assert list(outbox.glob("*.eml")) == []
