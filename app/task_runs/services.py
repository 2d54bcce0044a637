"""Task runs: created with the request that starts them, advanced by the worker."""
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import force_locale, get_locale

from app.database import utcnow
from app.extensions import db
from app.task_runs.models import RunState, TaskRun
from app.task_runs.queries import get_run


def create_run(name: str, unit_id: int | None, requested_by_id: int | None, arguments: str = "") -> TaskRun:
    """A run in the language of the request that starts it (of the command line or of beat:
    the default language)."""
    run = TaskRun(
        celery_id=str(uuid.uuid4()), name=name, unit_id=unit_id,
        requested_by_id=requested_by_id, arguments=arguments, locale=str(get_locale()),
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
    run.message = ""
    db.session.flush()


def in_run_language(run: TaskRun, message) -> str:
    """`message` (a lazy string, or a name that needs no translating) in the language of the
    request that started the run (`create_run`): it is stored, and a task has no request for
    the locale selector to read."""
    with force_locale(run.locale):
        return str(message)


def advance(run: TaskRun, done: int, message="") -> None:
    run.done = done
    run.message = in_run_language(run, message)
    db.session.flush()


def finish(run: TaskRun, message) -> None:
    run.state = RunState.DONE
    run.done = run.total
    run.message = in_run_language(run, message)
    run.finished_at = utcnow()
    db.session.flush()


def fail(run: TaskRun, message) -> None:
    run.state = RunState.FAILED
    run.message = in_run_language(run, message)
    run.finished_at = utcnow()
    db.session.flush()


@contextmanager
def failure_recorded(run_id: int) -> Iterator[None]:
    """A task's body: an error undoes its transaction, marks the run failed with the error
    (committed, so the requester sees it) and is raised again for Celery."""
    try:
        yield
    except Exception as error:
        db.session.rollback()
        fail(get_run(run_id), str(error)[:500])
        db.session.commit()
        raise
