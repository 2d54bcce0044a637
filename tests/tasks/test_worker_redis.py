"""A real `celery worker` subprocess on Redis: the import task end to end, and late
acknowledgement (a task whose worker is SIGKILLed runs again on the next worker).

No eager mode: the test process publishes to Redis, the worker consumes, and the test polls
the database and files the worker writes.
"""
import json
import time

import pytest

from app.org_units.models import OrgUnit
from app.task_runs.models import RunState
from app.task_runs.services import create_run
from tasks import send_after_commit
from tenants import system_scope
from tests.tasks.conftest import finished_run, wait_for

pytestmark = pytest.mark.redis

VISIBILITY_TIMEOUT = 2  # seconds, for the redelivery test
SLOW_TASK_SECONDS = 3


def test_worker_imports_a_district_sent_through_redis(db, broker, producer, start_worker):
    worker = start_worker()
    task = producer.tasks["tasks.org_units.import_org_units"]
    with system_scope("test"):
        run = create_run("import_org_units", None, None, "402")
        send_after_commit(task, run.id, None, "402", task_id=run.celery_id)
        db.session.commit()  # the message is published here, to the test's queue
        run_id, celery_id = run.id, run.celery_id

    run = wait_for(lambda: finished_run(db, run_id), timeout=60, workers=[worker],
                   what="the worker to finish the import run")

    assert (run.state, run.total, run.done) == (RunState.DONE, 1, 1), run.message
    with system_scope("test"):
        district = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.code == "402")).scalar_one()
        communes = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.parent_id == district.id)).scalars().all()
    assert len(communes) == 16
    assert celery_id in worker.log(200)  # the task id the run was created with
    wait_for(lambda: _all_acknowledged(broker), timeout=10, workers=[worker],
             what="the worker to acknowledge the message after the task")


def _all_acknowledged(broker) -> bool:
    """Nothing left in the queue or the unacked hash. A worker acknowledges late, after the
    task has returned: a moment after the task's last write, which the tests wait for."""
    return broker.client.llen(broker.key(broker.queue)) == 0 and broker.client.hlen(broker.key("unacked")) == 0


def _marker_lines(path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def test_task_of_a_killed_worker_runs_again_on_a_new_worker(broker, producer, start_worker,
                                                             tmp_path):
    marker = tmp_path / "marker.txt"
    first = start_worker(visibility_timeout=VISIBILITY_TIMEOUT)
    producer.signature(
        "tests.tasks.slow_task", args=(str(marker), SLOW_TASK_SECONDS)
    ).apply_async(queue=broker.queue)

    wait_for(lambda: _marker_lines(marker) == ["start"], timeout=30, workers=[first],
             what="the slow task to start on the first worker")
    first.kill()
    assert _marker_lines(marker) == ["start"]

    # Late acknowledgement: the delivered message is still held, unacknowledged, by kombu.
    unacked = broker.client.hgetall(broker.key("unacked"))
    assert len(unacked) == 1, unacked
    (tag, payload), = unacked.items()
    _body, _exchange, routing_key = json.loads(payload)
    assert routing_key == broker.queue
    assert broker.client.llen(broker.key(broker.queue)) == 0

    # kombu restores unacked messages older than the visibility timeout when a worker starts
    # (`on_poll_init` -> `restore_visible`), then only every unacked_restore_interval x
    # unacked_restore_throttle seconds (10 x 10 by default): start the new worker once the
    # message's delivery time is more than the visibility timeout ago.
    delivered_at = broker.client.zscore(broker.key("unacked_index"), tag)
    assert delivered_at is not None
    time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.2 - time.time()))

    second = start_worker(visibility_timeout=VISIBILITY_TIMEOUT)
    wait_for(lambda: "done" in _marker_lines(marker), timeout=30, workers=[second],
             what="the slow task to run again and finish on the second worker")

    assert _marker_lines(marker) == ["start", "start", "done"]
    wait_for(lambda: _all_acknowledged(broker), timeout=10, workers=[second],
             what="the second worker to acknowledge the message after the task")
