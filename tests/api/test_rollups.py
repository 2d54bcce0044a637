"""The rollups API: a unit's totals with its children's values, whether they are up to date,
scoped to the user (a commune sees the district's total, never the other communes'), and
asking the workers to rebuild them."""
from datetime import datetime, timedelta

import pytest

import tasks.rollups
from app.auth.models import Role
from app.extensions import db as _db
from app.rollups import queries
from app.task_runs.models import RunState, TaskRun
from tasks.rollups import rebuild_rollups
from tenants import system_scope
from tests.factories import (
    UserFactory,
    approve_plan,
    make_plan,
    make_report,
    make_template,
    put_rollup_state,
    refresh_committed_elsewhere,
    stored_rollup,
)

COMPUTED_AT = datetime(2023, 4, 20, 8, 30)


def rollup(unit, indicator_code, value, **parts):
    return stored_rollup(unit, "2023Q1", indicator_code, value, COMPUTED_AT, **parts)


@pytest.fixture
def rollups(tree, users, db):
    """2023Q1 in Như Xuân: Bình Lương and Yên Cát reported (their figures are read from their
    reports); the district's stored total, computed before a newer request."""
    with system_scope("test data"):
        template = make_template(tree.district)
        sibling_leader = UserFactory(role=Role.COMMUNE_LEADER.value, unit=tree.sibling_commune)
        reported = [(tree.commune, users["editor"], users["leader"],
                     {("TT01", "male"): 40, ("TT01", "female"): 60, "CB01": 30}),
                    (tree.sibling_commune, users["sibling_editor"], sibling_leader,
                     {("TT01", "male"): 70, ("TT01", "female"): 80, "CB01": 35})]
        for unit, editor, leader, figures in reported:
            plan = approve_plan(make_plan(template, unit, editor), editor, leader, users["officer"],
                                {"TT01": 150, "CB01": 30})
            make_report(plan, "2023Q1", figures, editor, leader, users["officer"])
        db.session.add_all([
            rollup(tree.district, "TT01", 250, reporting=2, target=300),
            rollup(tree.district, "TT01", 140, sex="female", reporting=2),
            rollup(tree.district, "CB01", "32.5", reporting=2, target=60, aggregation="average"),
        ])
        put_rollup_state(tree.district, "2023Q1", 2, 2, 1, COMPUTED_AT, requested_at=COMPUTED_AT + timedelta(minutes=5))
        db.session.commit()


def get(client, headers, **args):
    return client.get("/api/v1/rollups", query_string=args, headers=headers)


def by_key(body) -> dict:
    return {(item["indicator"], item["sex"]): item for item in body["indicators"]}


def test_the_district_sees_its_totals_with_each_communes_value(client, as_user, rollups):
    response = get(client, as_user("officer"), unit="402", period="2023Q1")
    assert response.status_code == 200
    body = response.get_json()
    # Asked for again after it was computed: newer figures are waiting.
    assert (body["unit"], body["period"], body["computed_at"], body["stale"]) == (
        "402", "2023Q1", "2023-04-20T08:30:00Z", True)
    assert body["completeness"] == {"expected": 2, "received": 2, "on_time": 1}
    assert body["counted"] == "accepted"  # the template's default: submitted reports wait for acceptance
    assert [(item["indicator"], item["sex"]) for item in body["indicators"]] == [
        ("CB01", None), ("TT01", None), ("TT01", "female")]
    indicators = by_key(body)
    assert indicators[("TT01", None)] == {"indicator": "TT01", "sex": None, "value": 250, "target": 300,
                                          "reporting": 2, "children": {"16174": 150, "16204": 100}}
    assert indicators[("TT01", "female")]["children"] == {"16174": 80, "16204": 60}
    # An average is set against the mean of the communes' targets (30 and 30), not their sum.
    assert (indicators[("CB01", None)]["value"], indicators[("CB01", None)]["target"]) == (32.5, 30)


def test_the_unit_defaults_to_the_users_own(client, as_user, rollups):
    assert get(client, as_user("officer"), period="2023Q1").get_json()["unit"] == "402"
    assert get(client, as_user("editor"), period="2023Q1").get_json()["unit"] == "16204"


@pytest.mark.parametrize(("language", "message"), [
    ("vi", "Ở đây chưa có số liệu hay báo cáo nào phải nộp cho 2024Q2; các kỳ có số liệu là 2023, "),
    ("en", "There are no figures or expected reports for 2024Q2 here; its periods are 2023, ")])
@pytest.mark.parametrize("unit", ["402", "16204"])
def test_a_period_nothing_is_computed_or_expected_for_is_refused_with_the_units_periods(
        client, as_user, rollups, language, message, unit):
    """Not an empty answer marked stale: no refresh would ever compute it."""
    response = get(client, {**as_user("officer"), "Accept-Language": language}, unit=unit, period="2024Q2")

    assert response.status_code == 422
    named = response.get_json()["error"]["fields"]["period"]
    assert named.startswith(message) and "2023Q1" in named



def test_a_communes_own_figures_are_read_from_its_report_and_never_stale(client, as_user, rollups):
    body = get(client, as_user("editor"), unit="16204", period="2023Q1").get_json()
    assert body["stale"] is False and body["computed_at"] is not None
    assert body["completeness"] == {"expected": 1, "received": 1, "on_time": 0}  # accepted, late
    assert by_key(body)[("TT01", None)] == {"indicator": "TT01", "sex": None, "value": 100, "target": 150,
                                            "reporting": 1, "children": {}}



def test_the_total_and_its_childrens_values_are_read_from_one_commit(client, as_user, rollups, tree, monkeypatch):
    """A refresh that commits while the answer is read shows in none of its figures: never the
    district's total from before it beside a commune's value from after it."""
    headers = as_user("officer")
    read_children = queries.children_rows

    def children_read_after_a_refresh(unit, period_id):
        refresh_committed_elsewhere(tree.commune, tree.district, added=5)
        return read_children(unit, period_id)

    monkeypatch.setattr(queries, "children_rows", children_read_after_a_refresh)
    total = by_key(get(client, headers, unit="402", period="2023Q1").get_json())[("TT01", None)]
    assert (total["value"], total["children"]) == (250, {"16174": 150, "16204": 100})
    # The refresh did commit: the next answer reads it, total and commune alike.
    monkeypatch.undo()
    total = by_key(get(client, headers, unit="402", period="2023Q1").get_json())[("TT01", None)]
    assert (total["value"], total["children"]) == (255, {"16174": 150, "16204": 105})

@pytest.mark.parametrize("period", [None, "", "2023Q5", "quý 1"])
def test_a_missing_or_invalid_period_is_refused(client, as_user, rollups, period):
    args = {"unit": "402"} if period is None else {"unit": "402", "period": period}
    response = get(client, as_user("officer"), **args)
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"period"}


def test_an_admin_names_the_unit(client, as_user, rollups):
    response = get(client, as_user("admin"), period="2023Q1")
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"unit"}
    assert get(client, as_user("admin"), unit="402", period="2023Q1").status_code == 200


def test_a_commune_sees_the_district_total_but_not_the_other_communes(client, as_user, rollups):
    headers = as_user("editor")
    body = get(client, headers, unit="402", period="2023Q1").get_json()
    assert by_key(body)[("TT01", None)]["value"] == 250
    assert all(item["children"] == {} for item in body["indicators"])
    assert get(client, headers, unit="16174", period="2023Q1").status_code == 404
    assert get(client, headers, unit="16213", period="2023Q1").status_code == 404


def test_another_district_is_not_found(client, as_user, rollups):
    assert get(client, as_user("other_district_officer"), unit="402", period="2023Q1").status_code == 404
    assert get(client, as_user("other_district_officer"), unit="16204", period="2023Q1").status_code == 404


def test_the_province_sees_its_districts(client, as_user, rollups, tree, db):
    with system_scope("test data"):
        db.session.add(rollup(tree.province, "TT01", 1249, reporting=3))
        db.session.add(rollup(tree.other_district, "TT01", 999))
        db.session.commit()
    body = get(client, as_user("province_viewer"), unit="38", period="2023Q1").get_json()
    assert by_key(body)[("TT01", None)]["children"] == {"402": 250, "403": 999}


# --- rebuilding -------------------------------------------------------------------------

class SentTasks:
    """Stands in for the rebuild task: records what the view sends after its commit."""

    def __init__(self):
        self.sent = []

    def apply_async(self, args=(), kwargs=None, task_id=None):
        self.sent.append((tuple(args), task_id))


@pytest.fixture
def sent(monkeypatch):
    recorder = SentTasks()
    monkeypatch.setattr(tasks.rollups, "rebuild_rollups", recorder)
    return recorder.sent


def test_the_district_office_starts_a_rebuild_and_follows_it(client, as_user, tree, sent):
    headers = as_user("officer")
    response = client.post("/api/v1/rollups/refresh", json={"unit": "402"}, headers=headers)
    assert response.status_code == 202
    body = response.get_json()
    with system_scope("test reads the run"):
        run = _db.session.execute(_db.select(TaskRun).where(TaskRun.id == body["task_id"])).scalar_one()
        assert (run.name, run.unit_id, run.arguments) == ("rebuild_rollups", tree.district.id, "402")
        assert sent == [((run.id, tree.district.id), run.celery_id)]
    task = client.get(body["links"]["task"], headers=headers)
    assert task.status_code == 200 and task.get_json()["id"] == body["task_id"]
    assert "state" in task.get_json() and "progress" in task.get_json()


def test_a_rebuild_the_broker_cannot_take_is_refused_with_503_and_its_run_failed(client, as_user, tree, broker_down):
    with broker_down():
        response = client.post("/api/v1/rollups/refresh", json={"unit": "402"},
                               headers={**as_user("officer"), "Accept-Language": "en"})
    assert response.status_code == 503
    assert response.get_json()["error"] == {
        "code": "unavailable",
        "message": "The background workers could not be reached, so nothing was done. Please try again later."}
    with system_scope("test reads the run"):
        run = _db.session.execute(_db.select(TaskRun)).scalar_one()
        assert run.state == RunState.FAILED


def test_a_rebuild_is_followed_in_the_language_of_each_request(client, as_user, tree, sent):
    body = client.post("/api/v1/rollups/refresh", json={"unit": "402"}, headers=as_user("officer")).get_json()
    [(arguments, _celery_id)] = sent
    rebuild_rollups.run(*arguments)  # the task itself, which `sent` stands in for

    in_english = client.get(body["links"]["task"], headers={**as_user("officer"), "Accept-Language": "en"})
    in_vietnamese = client.get(body["links"]["task"], headers=as_user("officer"))

    assert in_english.get_json()["state"] == "done"
    # The district and its two communes, no reports.
    assert in_english.get_json()["message"] == "0 rows for 3 units and 0 periods."
    assert in_vietnamese.get_json()["message"] == "0 dòng số liệu tổng hợp cho 3 đơn vị, 0 kỳ."


def test_the_unit_of_a_rebuild_defaults_to_the_users(client, as_user, tree, sent):
    headers = as_user("district_admin")
    # A unit that is not a code is refused, not taken for the user's own.
    for not_a_code in ({}, "", 402):
        refused = client.post("/api/v1/rollups/refresh", json={"unit": not_a_code}, headers=headers)
        assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {"unit"}
    assert sent == []

    response = client.post("/api/v1/rollups/refresh", json={}, headers=headers)
    assert response.status_code == 202
    assert sent[0][0][1] == tree.district.id


def test_a_rebuild_of_one_period_is_refused_rather_than_run_for_every_period(client, as_user, tree, sent):
    response = client.post("/api/v1/rollups/refresh", json={"unit": "402", "period": "2023Q3"},
                           headers={**as_user("officer"), "Accept-Language": "en"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"period": "This field cannot be changed here."}
    assert sent == []


def test_only_the_district_office_rebuilds_within_its_scope(client, as_user, tree, sent):
    assert client.post("/api/v1/rollups/refresh", json={"unit": "16204"},
                       headers=as_user("leader")).status_code == 403
    assert client.post("/api/v1/rollups/refresh", json={"unit": "402"},
                       headers=as_user("other_district_officer")).status_code == 404
    assert client.post("/api/v1/rollups/refresh", json={"unit": "38"},
                       headers=as_user("officer")).status_code == 403
    assert client.post("/api/v1/rollups/refresh", data={"unit": "402"},
                       headers=as_user("officer")).status_code == 400
    assert sent == []
    with system_scope("test counts"):
        assert _db.session.execute(_db.select(TaskRun)).first() is None
