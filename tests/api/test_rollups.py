"""The rollups API: a unit's totals with its children's values, whether they are up to date,
scoped to the user (a commune sees the district's total, never the other communes'), and
asking the workers to rebuild them."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

import tasks.rollups
from app.extensions import db as _db
from app.rollups.models import TOTAL, Rollup, RollupState
from app.task_runs.models import TaskRun
from tenants import system_scope

COMPUTED_AT = datetime(2023, 4, 20, 8, 30)


def rollup(unit, indicator_code, value, sex=TOTAL, reporting=1, target=None, period="2023Q1", aggregation="sum"):
    return Rollup(unit_id=unit.id, period=period, indicator_code=indicator_code, sex=sex, aggregation=aggregation,
                  value=Decimal(value), reporting=reporting, target=None if target is None else Decimal(target),
                  computed_at=COMPUTED_AT)


@pytest.fixture
def rollups(tree, db):
    """2023Q1 in Như Xuân: Bình Lương and Yên Cát reported; Như Thanh's Hải Long too."""
    with system_scope("test data"):
        db.session.add_all([
            rollup(tree.district, "TT01", 250, reporting=2, target=300),
            rollup(tree.district, "TT01", 140, sex="female", reporting=2),
            rollup(tree.district, "CB01", "32.5", reporting=2, target=30, aggregation="average"),
            rollup(tree.commune, "TT01", 100, target=150),
            rollup(tree.commune, "TT01", 60, sex="female"),
            rollup(tree.commune, "CB01", 30, target=30, aggregation="average"),
            rollup(tree.sibling_commune, "TT01", 150, target=150),
            rollup(tree.sibling_commune, "TT01", 80, sex="female"),
            rollup(tree.sibling_commune, "CB01", 35, target=30, aggregation="average"),
            rollup(tree.other_commune, "TT01", 999),
            RollupState(unit_id=tree.district.id, period="2023Q1", expected=2, received=2, on_time=1,
                        computed_at=COMPUTED_AT, requested_at=COMPUTED_AT - timedelta(minutes=5)),
            RollupState(unit_id=tree.commune.id, period="2023Q1", expected=1, received=1, on_time=0,
                        computed_at=COMPUTED_AT, requested_at=COMPUTED_AT + timedelta(minutes=5)),
        ])
        db.session.commit()


def get(client, headers, **args):
    return client.get("/api/v1/rollups", query_string=args, headers=headers)


def by_key(body) -> dict:
    return {(item["indicator"], item["sex"]): item for item in body["indicators"]}


def test_the_district_sees_its_totals_with_each_communes_value(client, as_user, rollups):
    response = get(client, as_user("officer"), unit="402", period="2023Q1")
    assert response.status_code == 200
    body = response.get_json()
    # Computed after its last request, but Bình Lương below it waits for newer figures.
    assert (body["unit"], body["period"], body["computed_at"], body["stale"]) == (
        "402", "2023Q1", "2023-04-20T08:30:00Z", True)
    assert body["completeness"] == {"expected": 2, "received": 2, "on_time": 1}
    assert [(item["indicator"], item["sex"]) for item in body["indicators"]] == [
        ("CB01", None), ("TT01", None), ("TT01", "female")]
    indicators = by_key(body)
    assert indicators[("TT01", None)] == {"indicator": "TT01", "sex": None, "value": 250, "target": 300,
                                          "reporting": 2, "children": {"16174": 150, "16204": 100}}
    assert indicators[("TT01", "female")]["children"] == {"16174": 80, "16204": 60}
    assert indicators[("CB01", None)]["value"] == 32.5


def test_the_unit_defaults_to_the_users_own(client, as_user, rollups):
    assert get(client, as_user("officer"), period="2023Q1").get_json()["unit"] == "402"
    assert get(client, as_user("editor"), period="2023Q1").get_json()["unit"] == "16204"


def test_figures_never_computed_are_stale_and_empty(client, as_user, rollups):
    body = get(client, as_user("officer"), unit="402", period="2023Q2").get_json()
    assert (body["computed_at"], body["stale"], body["indicators"]) == (None, True, [])
    assert body["completeness"] == {"expected": 0, "received": 0, "on_time": 0}


def test_figures_waiting_for_newer_data_are_stale(client, as_user, rollups):
    body = get(client, as_user("editor"), unit="16204", period="2023Q1").get_json()
    assert body["stale"] is True
    assert by_key(body)[("TT01", None)] == {"indicator": "TT01", "sex": None, "value": 100, "target": 150,
                                            "reporting": 1, "children": {}}


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


def test_the_unit_of_a_rebuild_defaults_to_the_users(client, as_user, tree, sent):
    response = client.post("/api/v1/rollups/refresh", json={}, headers=as_user("district_admin"))
    assert response.status_code == 202
    assert sent[0][0][1] == tree.district.id


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
