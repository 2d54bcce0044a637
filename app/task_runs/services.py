"""Task runs: created with the request that starts them, advanced by the worker."""
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.database import utcnow
from app.extensions import db
from app.i18n import in_every_language
from app.task_runs.models import RunState, TaskRun
from app.task_runs.queries import get_run


def create_run(name: str, unit_id: int | None, requested_by_id: int | None, arguments: str = "") -> TaskRun:
    run = TaskRun(
        celery_id=str(uuid.uuid4()), name=name, unit_id=unit_id,
        requested_by_id=requested_by_id, arguments=arguments,
    )
    db.session.add(run)
    db.session.flush()
    return run


def start(run: TaskRun, total: int) -> None:
    """(Re)start: a run delivered again after a worker died starts over from zero."""
    run.state = RunState.RUNNING
    run.started_at = utcnow()
    run.done = 0
    run.total = total
    run.messages = {}
    db.session.flush()


def advance(run: TaskRun, done: int, message="") -> None:
    run.done = done
    run.messages = in_every_language(message)
    db.session.flush()


def finish(run: TaskRun, message) -> None:
    run.state = RunState.DONE
    run.done = run.total
    run.messages = in_every_language(message)
    run.finished_at = utcnow()
    db.session.flush()


def fail(run: TaskRun, message) -> None:
    run.state = RunState.FAILED
    run.messages = in_every_language(message)
    run.finished_at = utcnow()
    db.session.flush()


UNSENT = _l("The background workers could not be reached, so nothing was done. Please try again later.")


def fail_unsent(celery_id: str) -> None:
    """The run of a task that never reached the broker: failed, so that its page says so
    instead of waiting for ever. In a transaction of its own: the request that made the run
    has committed already (the task is sent after its commit)."""
    with db.engine.begin() as connection:
        connection.execute(update(TaskRun).where(TaskRun.celery_id == celery_id, TaskRun.state == RunState.QUEUED).values(
            state=RunState.FAILED, messages=in_every_language(UNSENT), finished_at=utcnow()))


@contextmanager
def failure_recorded(run_id: int) -> Iterator[None]:
    """A task's body: an error undoes its transaction, marks the run failed with the error
    (committed, so the requester sees it) and is raised again for Celery."""
    try:
        yield
    except Exception as error:
        db.session.rollback()
        fail(get_run(run_id), _l("Stopped on an error (%(cause)s). What it had finished is kept: start it again, "
                                 "and tell the administrator if it stops again.", cause=short_cause(error)))
        db.session.commit()
        raise


def short_cause(error: Exception) -> str:
    """The error's type and first line: a database error's next lines hold its SQL."""
    first_line = str(error).strip().partition("\n")[0]
    return f"{type(error).__name__}: {first_line}"[:300]
