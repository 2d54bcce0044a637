"""A real `celery worker` on Redis refreshes the rollups after a report's commit, and a worker
killed in the middle of a refresh leaves the last committed rows, which the next worker
corrects (late acknowledgement: the message runs again)."""
import time

import pytest
from sqlalchemy import select

from app.rollups.models import Rollup, RollupState
from tasks.rollups import refresh_rollups
from tenants import system_scope
from tests.factories import (
    UserFactory,
    approve_plan,
    make_plan,
    make_report,
    make_template,
)
from tests.tasks.conftest import wait_for

pytestmark = pytest.mark.redis

VISIBILITY_TIMEOUT = 2  # seconds, for the redelivery test


@pytest.fixture
def through_redis(monkeypatch, producer, broker):
    """Refreshes sent after a commit go to the test's Redis queue, where its worker listens."""
    task = producer.tasks["tasks.rollups.refresh_rollups"]

    def apply_async(args=(), kwargs=None, task_id=None, **options):
        return task.apply_async(args=args, kwargs=kwargs, task_id=task_id, queue=broker.queue)

    monkeypatch.setattr(refresh_rollups, "apply_async", apply_async)


@pytest.fixture
def plans(tree, users, db):
    with system_scope("test data"):
        template = make_template(tree.district)
        mine = approve_plan(make_plan(template, tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        theirs = approve_plan(make_plan(template, tree.sibling_commune, users["sibling_editor"]),
                              users["sibling_editor"], users["leader"], users["officer"])
        db.session.commit()
    return mine, theirs


def _district_figure(db, tree, period="2023Q1"):
    """(TR01's value at the district, computed and nothing waiting), read afresh."""
    db.session.rollback()  # a new transaction, so the worker's commits are seen; objects stay usable
    with system_scope("test"):
        state = db.session.execute(select(RollupState).where(
            RollupState.unit_id == tree.district.id, RollupState.period == period)).scalar_one_or_none()
        row = db.session.execute(select(Rollup).where(
            Rollup.unit_id == tree.district.id, Rollup.period == period,
            Rollup.indicator_code == "TR01")).scalar_one_or_none()
        return (row.value if row else None, state is not None and not state.stale)


def test_a_worker_refreshes_the_district_after_the_reports_commit(db, tree, users, plans, through_redis,
                                                                  start_worker):
    worker = start_worker()
    with system_scope("test data"):
        make_report(plans[0], "2023Q1", {"TR01": 40}, users["editor"], users["leader"], users["officer"])
        db.session.commit()  # the refreshes (submission, acceptance) are published here

    wait_for(lambda: _district_figure(db, tree) == (40, True), timeout=20, workers=[worker],
             what="the worker to compute the district's rollup")
    assert _district_figure(db, tree, "2023")[0] == 40


def test_a_worker_killed_mid_refresh_leaves_rows_the_next_one_corrects(
        db, tree, users, plans, through_redis, start_worker, broker, monkeypatch, tmp_path):
    from app.rollups import services

    with system_scope("test data"):
        sibling_leader = UserFactory(role="commune_leader", unit=tree.sibling_commune)
        make_report(plans[0], "2023Q1", {"TR01": 40}, users["editor"], users["leader"], users["officer"])
        db.session.commit()
        services.refresh_ancestors(tree.commune.id, "2023Q1")  # committed, correct for Bình Lương
        db.session.commit()
    assert _district_figure(db, tree) == (40, True)

    marker = tmp_path / "rollup-marker.txt"
    monkeypatch.setenv("KEHOACH_TEST_ROLLUP_PAUSE", "30")
    monkeypatch.setenv("KEHOACH_TEST_ROLLUP_MARKER", str(marker))
    first = start_worker(visibility_timeout=VISIBILITY_TIMEOUT)
    with system_scope("test data"):
        make_report(plans[1], "2023Q1", {"TR01": 25}, users["sibling_editor"], sibling_leader,
                    users["officer"], accept=False)
        db.session.commit()  # one refresh, for the submission

    wait_for(lambda: marker.exists() and "computed" in marker.read_text(), timeout=30, workers=[first],
             what="the refresh to compute its rows on the first worker")
    first.kill()
    # Nothing of the killed refresh was committed: the district still shows Bình Lương alone,
    # with newer data waiting.
    assert _district_figure(db, tree) == (40, False)

    with system_scope("test data"):
        plans[0].template.rollup_includes_submitted = True  # so the submitted report counts
        db.session.commit()
    unacked = broker.client.hgetall(broker.key("unacked"))
    assert len(unacked) == 1
    (tag, _payload), = unacked.items()
    delivered_at = broker.client.zscore(broker.key("unacked_index"), tag)
    time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.2 - time.time()))
    monkeypatch.delenv("KEHOACH_TEST_ROLLUP_PAUSE")
    second = start_worker(visibility_timeout=VISIBILITY_TIMEOUT)

    wait_for(lambda: _district_figure(db, tree) == (65, True), timeout=20, workers=[second],
             what="the redelivered refresh to correct the district's rollup")
    # The worker acknowledges the message once the task has returned, just after its commit.
    wait_for(lambda: broker.client.hlen(broker.key("unacked")) == 0, timeout=10, workers=[second],
             what="the redelivered refresh to be acknowledged")
