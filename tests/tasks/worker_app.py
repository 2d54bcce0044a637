"""The Celery app run by the worker subprocesses of tests/tasks: the real one, plus a slow task.

`celery -A tests.tasks.worker_app worker` builds the Flask app with `create_app()` from the
environment the test gives it (DATABASE_URL, CELERY_BROKER_URL, CELERY_VISIBILITY_TIMEOUT,
INSTANCE_PATH), exactly as `tasks/worker.py` does, so the worker runs the application's own
Celery settings and tasks. On top of that:

- every Redis key is prefixed with KEHOACH_TEST_REDIS_PREFIX, the test's own prefix. Queues are
  unique per test anyway, but kombu keeps the unacknowledged messages of *all* queues in one
  hash (`unacked`) and any worker starting on the same Redis database restores from it: a
  parallel run's worker with a 2-second visibility timeout would redeliver our slow task while
  it is still running. With a prefix nothing is shared, and clean-up deletes `prefix*`.
- `tests.tasks.slow_task` appends "start" to a file, sleeps, then appends "done", so a test
  can kill the worker in the middle of it.

Not collected by pytest (no `test_` prefix), and never imported by the test process.
"""
import os
import time

from app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.broker_transport_options = {
    **celery.conf.broker_transport_options,
    "global_keyprefix": os.environ["KEHOACH_TEST_REDIS_PREFIX"],
}


def _append(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


@celery.task(name="tests.tasks.slow_task", shared=False)
def slow_task(marker_path: str, seconds: float) -> None:
    _append(marker_path, "start")
    time.sleep(seconds)
    _append(marker_path, "done")


# tests/tasks/test_rollups_worker.py: with KEHOACH_TEST_ROLLUP_PAUSE set, a rollup refresh
# writes "computed" to KEHOACH_TEST_ROLLUP_MARKER once its rows are computed, then waits
# that many seconds before its commit, so that the test can kill the worker in between.
if os.environ.get("KEHOACH_TEST_ROLLUP_PAUSE"):
    from app.rollups import services as _rollup_services

    _compute = _rollup_services.refresh_ancestors

    def _slow_refresh(unit_id, period):
        _compute(unit_id, period)
        _append(os.environ["KEHOACH_TEST_ROLLUP_MARKER"], "computed")
        time.sleep(float(os.environ["KEHOACH_TEST_ROLLUP_PAUSE"]))

    _rollup_services.refresh_ancestors = _slow_refresh


# tests/tasks/test_dispatch_worker.py: with KEHOACH_TEST_DISPATCH_MARKER set, every delivery
# of a report appends "delivered" to it; with KEHOACH_TEST_DISPATCH_PAUSE too, the task then
# waits that many seconds before marking it sent, so that the test can kill the worker there.
if os.environ.get("KEHOACH_TEST_DISPATCH_MARKER"):
    from app.dispatches import delivery as _delivery

    _deliver = _delivery.deliver

    def _marked_deliver(dispatch):
        where = _deliver(dispatch)
        _append(os.environ["KEHOACH_TEST_DISPATCH_MARKER"], "delivered")
        time.sleep(float(os.environ.get("KEHOACH_TEST_DISPATCH_PAUSE", "0")))
        return where

    _delivery.deliver = _marked_deliver
