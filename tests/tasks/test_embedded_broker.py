"""The embedded broker of `make run` (kombu's SQLAlchemy transport on an SQLite file): a real
`celery worker` subprocess on it picks up a task sent after a commit."""
import os
from pathlib import Path

from celery import Celery

import tasks.org_units  # noqa: F401  (its shared task is bound to the producer when it finalizes)
from app.org_units.models import OrgUnit
from app.task_runs.models import RunState
from app.task_runs.services import create_run
from tasks import send_after_commit
from tasks.embedded_broker import broker_settings
from tenants import system_scope
from tests.tasks.conftest import finished_run, spawn_worker, wait_for

QUEUE = "kehoach-test-embedded"


def test_an_sqla_url_goes_to_this_transport_and_another_url_is_left_alone():
    assert broker_settings("sqla+sqlite:////srv/instance/celery-broker.sqlite") == {
        "broker_read_url": "sqlite:////srv/instance/celery-broker.sqlite",
        "broker_write_url": "sqlite:////srv/instance/celery-broker.sqlite",
        "broker_transport": "tasks.embedded_broker:Transport"}
    assert broker_settings("redis://127.0.0.1:6379/0") == {}


def test_a_worker_on_the_embedded_broker_runs_a_task_sent_after_commit(app, db, database_url, tmp_path: Path):
    broker_url = f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite'}"
    producer = Celery("kehoach-test-embedded", set_as_current=False)
    producer.config_from_object({**app.config["CELERY"], "broker_url": broker_url, "task_default_queue": QUEUE})
    producer.conf.update(broker_settings(broker_url))
    (tmp_path / "instance").mkdir()
    worker = spawn_worker("tasks.worker", {
        **os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker_url,
        "INSTANCE_PATH": str(tmp_path / "instance"), "PYTHONUNBUFFERED": "1"}, QUEUE, QUEUE, tmp_path / "worker.log")
    try:
        with system_scope("test"):
            run = create_run("import_org_units", None, None, "402")
            send_after_commit(producer.tasks["tasks.org_units.import_org_units"], run.id, None, "402",
                              task_id=run.celery_id)
            db.session.commit()
            run_id = run.id

        run = wait_for(lambda: finished_run(db, run_id), timeout=60, workers=[worker], what="the worker on the embedded broker")
        assert run.state == RunState.DONE, run.message
        # this module's transport, though CELERY_BROKER_URL names kombu's (sqla+…)
        assert f"Connected to {broker_url.removeprefix('sqla+')}" in worker.log(200)
        with system_scope("test"):
            district = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "402")).scalar_one()
            assert db.session.execute(db.select(db.func.count()).where(OrgUnit.parent_id == district.id)).scalar() == 16
    finally:
        worker.kill()
