"""A commune's submission through a real `celery worker`, timed from the commit that asks for
the refresh to the moment no rollup above the commune waits any more (district and province,
the quarter and the year): the issue asks for that within a second of the commit when a worker
is free. On Redis (BENCH_REDIS_URL, default the local server's database 15; skipped when it
cannot be reached) and on the embedded broker of `make run` (an SQLite file). Each submission
follows the last one's end, when an idle worker has just gone to sleep between its polls of
the embedded broker: its figure is the slowest case there.
"""
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
SAMPLES = 7
PERIOD = "2023Q3"


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def popen_worker(app_module: str, env: dict, queue: str, name: str, log_path: Path) -> subprocess.Popen:
    """`celery -A app_module worker` on `queue`, one task at a time, logging to `log_path`, in
    a process group of its own (killed as a whole). The worker tests start theirs with it too."""
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [str(CELERY), "-A", app_module, "worker", "--pool", "solo", "--concurrency", "1", "-Q", queue,
             "-n", f"{name}@%h", "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@contextmanager
def _worker(database_url: str, broker_url: str, queue: str, instance: Path):
    """The application's worker on `queue` until the block ends."""
    log_path = instance / f"{queue}.log"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": broker_url,
           "INSTANCE_PATH": str(instance), "PYTHONUNBUFFERED": "1"}
    process = popen_worker("tasks.worker", env, queue, queue, log_path)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _sample(commune_id: int, province_id: int) -> float:
    """One refresh asked for as a submission asks for it; the milliseconds until nothing waits
    below the commune's province, for the quarter or the year."""
    from app.extensions import db
    from app.org_units.models import OrgUnit
    from app.rollups import queries
    from app.rollups import services as rollups

    rollups.request_refresh(db.session.get(OrgUnit, commune_id), PERIOD)
    db.session.commit()  # the task is sent here
    committed = time.perf_counter()
    province = db.session.get(OrgUnit, province_id)
    while queries.waiting_below(province, PERIOD) or queries.waiting_below(province, PERIOD[:4]):
        db.session.rollback()  # the next poll sees the worker's commit
        time.sleep(0.005)
    db.session.rollback()
    return (time.perf_counter() - committed) * 1000


def _forget_on_redis(broker_url: str, queue: str) -> None:
    """Delete what the bench's worker left on Redis: its queue's keys, and kombu's deadlines of
    binding tables gone with it (kombu's own sweep drops those only once overdue, and only
    when a worker runs again)."""
    import redis

    client = redis.Redis.from_url(broker_url)
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    deadlines = "_kombu.binding_deadlines"
    for exchange in client.zrange(deadlines, 0, -1):
        if not client.exists(b"_kombu.binding." + exchange):
            client.zrem(deadlines, exchange)


def _latency(database_url: str, broker_url: str, commune_id: int, province_id: int, instance: Path) -> dict:
    from app import create_app
    from app.config import Config, broker_transport_options
    from tenants import system_scope

    queue = f"kehoach-bench-{uuid.uuid4().hex[:8]}"
    # Its Celery becomes the current one: the refresh goes to this broker and queue.
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "CELERY": {
        **Config.CELERY, "broker_url": broker_url, "broker_transport_options": broker_transport_options(broker_url),
        "task_default_queue": queue}})
    try:
        with _worker(database_url, broker_url, queue, instance), app.app_context(), system_scope(
                "the benchmark times a refresh through a worker"):
            _sample(commune_id, province_id)  # the worker's first task connects and warms up
            times = [_sample(commune_id, province_id) for _ in range(SAMPLES)]
    finally:
        with app.app_context():
            from app.extensions import db
            db.engine.dispose()
        if broker_url.startswith("redis"):
            _forget_on_redis(broker_url, queue)
    return {"median_ms": statistics.median(times), "max_ms": max(times)}


def measure(database_url: str, commune_id: int, province_id: int) -> dict:
    """For each broker: the median and the slowest of SAMPLES submissions, or None (skipped)."""
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as directory:
        instance = Path(directory)
        return {
            "redis": _latency(database_url, REDIS_URL, commune_id, province_id, instance)
            if _redis_reachable() else None,
            "embedded": _latency(database_url, f"sqla+sqlite:///{instance / 'celery-broker.sqlite'}", commune_id,
                                 province_id, instance),
        }
