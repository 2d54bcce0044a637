"""The Celery app, made with Flask's `celery_init_app` pattern, and sending after commit."""
import logging

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask
from kombu.exceptions import OperationalError as BrokerUnreachable
from sqlalchemy import event

from app.extensions import db
from tasks.embedded_broker import broker_settings
from tenants import TenantSession

log = logging.getLogger(__name__)
TASK_MODULES = ["tasks.org_units", "tasks.maintenance", "tasks.rollups", "tasks.dispatches", "tasks.reminders"]

BEAT_SCHEDULE = {
    "purge-expired-api-tokens": {
        "task": "tasks.maintenance.purge_expired_api_tokens",
        "schedule": crontab(hour=3, minute=15),
    },
}


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        """Runs inside the app context; the session is closed whatever happens."""

        def __call__(self, *args, **kwargs):
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                finally:
                    db.session.remove()

    celery_app = Celery(app.name, task_cls=FlaskTask, include=TASK_MODULES)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.update(broker_settings(celery_app.conf.broker_url))
    celery_app.conf.beat_schedule = {
        **BEAT_SCHEDULE,
        # Cheap when nothing is due; often enough that a report is prepared within a minute.
        "prepare-due-dispatches": {"task": "tasks.dispatches.prepare_due_dispatches",
                                   "schedule": float(app.config["DISPATCH_TICK_SECONDS"])},
        "send-reminders": {"task": "tasks.reminders.send_reminders",
                           "schedule": float(app.config["REMINDER_TICK_SECONDS"])},
        "resend-overdue-rollup-refreshes": {"task": "tasks.rollups.resend_overdue_refreshes",
                                            "schedule": float(app.config["ROLLUP_RESEND_TICK_SECONDS"])},
    }
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def send_after_commit(task, *args, task_id: str | None = None, **kwargs) -> None:
    """Queue `task` to be sent once the current transaction commits; a rollback drops it.

    A worker must never pick up an id whose row is not yet committed (or never will be). A task
    queued inside a savepoint is dropped with the savepoint; the outer transaction's are kept.
    """
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any query still drops the task
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((transaction, task, args, kwargs, task_id))


_PENDING = "tasks_after_commit"
_REFUSED = "tasks_refused_by_the_broker"


def discard_sends_of(task) -> None:
    """Drop the sends of `task` queued so far in this transaction: for a batch that does their
    work itself before it commits (the demo rebuilds the rollups its reports asked for)."""
    session = db.session()
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [item for item in pending if item[1] is not task]


def _is_within(transaction, ancestor) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(TenantSession, "after_commit")
def _send_queued_tasks(session) -> None:
    """What was committed stays so when the broker cannot be reached: the user is told it was
    saved, not shown an error. A rollup refresh lost so is sent again by beat
    (`resend_overdue_refreshes`); a task with a run (its id is the run's) fails it, so that
    its page says so."""
    from app.task_runs.services import fail_unsent

    for _, task, args, kwargs, task_id in session.info.pop(_PENDING, []):
        try:
            task.apply_async(args=args, kwargs=kwargs, task_id=task_id)
        except BrokerUnreachable:
            log.exception("%s%r was not sent: the broker cannot be reached", task.name, tuple(args))
            if task_id is not None:
                session.info.setdefault(_REFUSED, set()).add(task_id)
                fail_unsent(task_id)


def was_refused(task_id: str) -> bool:
    """Whether the broker refused the task sent with this id at this session's commit: known
    here, where reading its run again could find a worker's own failure."""
    return task_id in db.session().info.get(_REFUSED, ())


@event.listens_for(TenantSession, "after_soft_rollback")
def _drop_queued_tasks(session, previous_transaction) -> None:
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [
            item for item in pending if not _is_within(item[0], previous_transaction)
        ]
