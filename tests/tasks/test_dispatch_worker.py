"""A real `celery worker` on Redis sends a report to the province, and a worker killed after
the e-mail left but before it recorded so does not send it again when the message is
delivered to the next worker (late acknowledgement runs the task twice; the claim in the
database makes the second run send nothing)."""
import time

import pytest
from sqlalchemy import select

from app.dispatches import services
from app.dispatches.models import Dispatch
from tasks.dispatches import build_dispatch, send_dispatch
from tenants import system_scope
from tests.factories import make_template
from tests.tasks.conftest import wait_for

pytestmark = pytest.mark.redis

VISIBILITY_TIMEOUT = 2  # seconds, for the redelivery
SCHEDULE = {"period_type": "quarter", "days_after_deadline": 5, "recipient_name": "Sở LĐTBXH Thanh Hóa",
            "recipient_emails": ["bdg@soldtbxh.thanhhoa.gov.vn"], "formats": ["xlsx"], "mode": "review"}


@pytest.fixture
def prepared(tree, db) -> int:
    """Như Xuân's 2023Q3 report to the province, built in this process: its id."""
    with system_scope("test data"):
        schedule = services.create_schedule(make_template(tree.district), SCHEDULE, None)
        dispatch = services.dispatch_now(schedule, "2023Q3", None)
        db.session.commit()
        dispatch_id = dispatch.id
    build_dispatch.run(dispatch_id)
    return dispatch_id


def _state(db, dispatch_id: int) -> str:
    db.session.rollback()  # a new transaction: the worker's commits are seen
    with system_scope("test"):
        return db.session.execute(select(Dispatch.state).where(Dispatch.id == dispatch_id)).scalar_one()


def test_a_worker_killed_after_sending_does_not_send_twice(db, prepared, producer, broker, start_worker,
                                                           monkeypatch, tmp_path):
    marker, outbox = tmp_path / "delivered.txt", tmp_path / "outbox"
    monkeypatch.setenv("KEHOACH_TEST_DISPATCH_MARKER", str(marker))
    monkeypatch.setenv("KEHOACH_TEST_DISPATCH_PAUSE", "30")
    monkeypatch.setenv("OUTBOX_DIR", str(outbox))
    monkeypatch.delenv("SMTP_HOST", raising=False)
    first = start_worker(visibility_timeout=VISIBILITY_TIMEOUT)
    producer.tasks[send_dispatch.name].apply_async(args=(prepared,), queue=broker.queue)

    wait_for(lambda: marker.exists() and "delivered" in marker.read_text(), timeout=30, workers=[first],
             what="the first worker to send the e-mail")
    first.kill()  # after the e-mail left, before it was recorded as sent
    assert _state(db, prepared) == "sending" and len(list(outbox.glob("*.eml"))) == 1

    unacked = broker.client.hgetall(broker.key("unacked"))
    assert len(unacked) == 1  # the message will be delivered again
    (tag, _payload), = unacked.items()
    delivered_at = broker.client.zscore(broker.key("unacked_index"), tag)
    time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.2 - time.time()))
    monkeypatch.delenv("KEHOACH_TEST_DISPATCH_PAUSE")
    second = start_worker(visibility_timeout=VISIBILITY_TIMEOUT)

    wait_for(lambda: broker.client.hlen(broker.key("unacked")) == 0 and "received" in second.log(200)
             and "succeeded" in second.log(200), timeout=20, workers=[second],
             what="the second worker to run the redelivered task")
    assert marker.read_text().splitlines() == ["delivered"]  # the redelivered task sent nothing
    assert _state(db, prepared) == "sending"  # it waits for the office (see test_tasks)
