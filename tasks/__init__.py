"""The Celery app, made with Flask's `celery_init_app` pattern, and sending after commit."""
from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask
from sqlalchemy import event

from app.extensions import db
from tenants import TenantSession

TASK_MODULES = ["tasks.org_units", "tasks.maintenance"]

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
    celery_app.conf.beat_schedule = BEAT_SCHEDULE
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def send_after_commit(task, *args, task_id: str | None = None, **kwargs) -> None:
    """Queue `task` to be sent once the current transaction commits; a rollback drops it.

    A worker must never pick up an id whose row is not yet committed (or never will be).
    """
    session = db.session()
    session.info.setdefault("tasks_after_commit", []).append((task, args, kwargs, task_id))


@event.listens_for(TenantSession, "after_commit")
def _send_queued_tasks(session) -> None:
    for task, args, kwargs, task_id in session.info.pop("tasks_after_commit", []):
        task.apply_async(args=args, kwargs=kwargs, task_id=task_id)


@event.listens_for(TenantSession, "after_rollback")
def _drop_queued_tasks(session) -> None:
    session.info.pop("tasks_after_commit", None)
