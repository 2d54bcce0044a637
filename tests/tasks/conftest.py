"""Fixtures for tests that run a real Celery worker against Redis.

Each test gets its own queue and its own Redis key prefix (see worker_app.py for why the
prefix), a producer Celery app that sends through that broker, and a way to start worker
subprocesses; workers are killed and the test's Redis keys deleted at the end.
"""
import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from celery import Celery

from app.task_runs.models import TaskRun
from bench.worker_latency import popen_worker
from tenants import system_scope
from tests.services import redis_url

WORKER_APP = "tests.tasks.worker_app"
PREFIX_ENV = "KEHOACH_TEST_REDIS_PREFIX"  # read by worker_app.py


@dataclass
class Broker:
    url: str
    queue: str
    prefix: str
    client: object  # redis.Redis, talking to the same database as the workers

    @property
    def transport_options(self) -> dict:
        return {"global_keyprefix": self.prefix}

    def key(self, name: str) -> str:
        return self.prefix + name

    def keys(self) -> list[str]:
        return sorted(key.decode() for key in self.client.scan_iter(match=f"{self.prefix}*"))


@pytest.fixture
def broker():
    import redis

    url = redis_url()  # skips here, fails under CI=true, when Redis cannot be reached
    token = uuid.uuid4().hex[:12]
    client = redis.Redis.from_url(url)
    broker = Broker(url=url, queue=f"kehoach-test-{token}", prefix=f"kehoach-test-{token}:",
                    client=client)
    yield broker
    keys = list(client.scan_iter(match=f"{broker.prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def producer(app, broker):
    """A Celery app of the test process that sends to the test's queue through Redis.

    The session's Flask app keeps its default (SQLite) broker; this one has the same settings
    but the broker, key prefix and default queue of the test. It is not made current, so the
    shared tasks called directly elsewhere still belong to the Flask app's Celery.
    """
    import tasks.org_units  # noqa: F401  (its shared task is bound to this app when it finalizes)

    celery = Celery("kehoach-test-producer", set_as_current=False)
    celery.config_from_object({
        **app.config["CELERY"],
        "broker_url": broker.url,
        "broker_transport_options": {
            **app.config["CELERY"]["broker_transport_options"], **broker.transport_options,
        },
        "task_default_queue": broker.queue,
    })
    yield celery
    celery.close()


@dataclass
class Worker:
    process: subprocess.Popen
    log_path: Path
    killed: bool = field(default=False)

    def log(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the worker's whole process group: no warm shutdown, no acknowledgement."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)
        self.killed = True

    def check_alive(self) -> None:
        if self.process.poll() is not None and not self.killed:
            pytest.fail(f"the worker exited with {self.process.returncode}:\n{self.log()}")


def spawn_worker(app_module: str, env: dict, queue: str, name: str, log_path: Path) -> Worker:
    """`celery -A app_module worker` on `queue`, one task at a time, logging to `log_path`."""
    return Worker(popen_worker(app_module, env, queue, name, log_path), log_path)


@pytest.fixture
def start_worker(db, database_url, broker, tmp_path):
    """Start `celery worker` subprocesses on the test's queue; all are killed at the end
    (before the `db` fixture empties the tables)."""
    workers: list[Worker] = []
    instance = tmp_path / "instance"
    instance.mkdir()

    def _start(visibility_timeout: int | None = None) -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker.url,
            "INSTANCE_PATH": str(instance),
            PREFIX_ENV: broker.prefix,
            "PYTHONUNBUFFERED": "1",
        }
        if visibility_timeout is not None:
            env["CELERY_VISIBILITY_TIMEOUT"] = str(visibility_timeout)
        else:
            env.pop("CELERY_VISIBILITY_TIMEOUT", None)
        number = len(workers) + 1
        worker = spawn_worker(WORKER_APP, env, broker.queue, f"{broker.queue}-{number}",
                              tmp_path / f"worker-{number}.log")
        workers.append(worker)
        return worker

    yield _start
    for worker in workers:
        worker.kill()


def finished_run(db, run_id: int):
    """The run once it has finished, else None: a poll for `wait_for`."""
    db.session.remove()  # a new transaction each poll, so the worker's commits are seen
    with system_scope("test"):
        run = db.session.get(TaskRun, run_id)
        return run if run is not None and run.is_finished else None


def wait_for(predicate, *, timeout: float, workers=(), what: str, interval: float = 0.1):
    """Poll `predicate` until it returns something truthy; fail with the workers' logs."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        for worker in workers:
            worker.check_alive()
        if time.monotonic() > deadline:
            logs = "\n\n".join(f"--- {w.log_path.name}:\n{w.log()}" for w in workers)
            pytest.fail(f"timed out after {timeout} s waiting for {what}\n{logs}")
        time.sleep(interval)
