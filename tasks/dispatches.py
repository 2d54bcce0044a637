"""Dispatch tasks: thin, they take ids and call app.dispatches.

Beat's `prepare_due_dispatches` makes the dispatches that are due and sends one
`build_dispatch` per dispatch; building stores the files and, for a schedule that sends
automatically (or the officer's "send now"), sends `send_dispatch`. Sending is claimed in the
database before the e-mail leaves, so no tick, retry or redelivery sends a report twice."""
import smtplib

from celery import shared_task
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError

from app.database import utcnow
from app.dispatches import delivery, queries, services
from app.dispatches.building import build_files
from app.dispatches.models import Dispatch, DispatchState
from app.extensions import db
from app.periods import local_today
from app.rollups.queries import figures_snapshot
from app.task_runs import services as runs
from app.task_runs.queries import get_run
from tasks import send_after_commit
from tenants import system_scope

DELIVERY_ERRORS = (smtplib.SMTPException, OSError)
BUILDABLE = (DispatchState.PREPARING, DispatchState.PREPARED, DispatchState.FAILED)
# A report about to be sent waits for a refresh of the district's figures still to run, so that
# a report accepted a moment ago is in it. A refresh takes well under a second: after 30 s the
# worker is stuck or gone, and the files are built with the figures there are.
FIGURES_WAIT_SECONDS = 2
FIGURES_WAIT_TURNS = 15


def _dispatch(dispatch_id: int) -> Dispatch | None:
    return db.session.execute(db.select(Dispatch).where(Dispatch.id == dispatch_id)).scalar_one_or_none()


@shared_task(name="tasks.dispatches.prepare_due_dispatches")
def prepare_due_dispatches() -> int:
    with system_scope("beat prepares the reports due for every district"):
        created = services.prepare_due(queries.active_schedules(), utcnow())
        for dispatch in created:
            send_after_commit(build_dispatch, dispatch.id)
        db.session.commit()
        return len(created)


@shared_task(name="tasks.dispatches.build_dispatch", autoretry_for=(OperationalError,),
             retry_backoff=2, max_retries=5)
def build_dispatch(dispatch_id: int, send: bool = False, run_id: int | None = None, waited: int = 0) -> None:
    """Build the files (again, after a crash: they are replaced whole); then send when the
    schedule sends automatically or the officer asked to (`run_id`: the run they follow).
    `waited`: the turns this build has waited for the district's figures to be computed."""
    with system_scope("a district's report reads every commune below it"):
        dispatch = _dispatch(dispatch_id)
        run = get_run(run_id) if run_id else None
        if run is not None and not waited:
            runs.start(run, total=2)
        if dispatch is None or dispatch.state not in BUILDABLE:
            if run is not None:
                runs.fail(run, _state_message(dispatch))
            db.session.commit()
            return
        sending = send or services.sends_automatically(dispatch)
        if sending and waited < FIGURES_WAIT_TURNS and queries.figures_waiting(dispatch):
            if run is not None:
                runs.advance(run, 0, _l("Waiting for the district's figures to be computed."))
            db.session.commit()
            build_dispatch.apply_async((dispatch_id, send, run_id, waited + 1), countdown=FIGURES_WAIT_SECONDS)
            return
        # Sent, the files carry the figures as they are now, not as they were when it was prepared.
        stale = send and dispatch.state != DispatchState.PREPARING and queries.figures_changed_since_built(dispatch)
        if dispatch.state == DispatchState.PREPARING or not dispatch.files or stale:
            with figures_snapshot():  # the run's start is committed first
                files = build_files(dispatch, local_today())
            db.session.commit()  # ends the snapshot before writing: a write in it could conflict with newer commits
            services.attach_files(dispatch, files)
        if run is not None:
            runs.advance(run, 1, _l("The files are built."))
        if sending:
            send_after_commit(send_dispatch, dispatch.id, run_id)
        elif run is not None:
            runs.finish(run, _l("Prepared: it waits to be sent."))
        db.session.commit()


def _state_message(dispatch: Dispatch | None):
    if dispatch is None:
        return _l("The report no longer exists.")
    return _l("Nothing was done: the report is “%(state)s”.", state=DispatchState(dispatch.state).lazy_label)


@shared_task(name="tasks.dispatches.send_dispatch", bind=True, max_retries=6)
def send_dispatch(self, dispatch_id: int, run_id: int | None = None) -> None:
    with system_scope("sending a district's report"):
        run = get_run(run_id) if run_id else None
        if not services.claim_for_sending(dispatch_id):
            db.session.rollback()
            if run is not None and not run.is_finished:
                runs.fail(run, _state_message(_dispatch(dispatch_id)))
                db.session.commit()
            return  # sent, being sent, or not prepared: never a second e-mail
        db.session.commit()
        dispatch = _dispatch(dispatch_id)
        try:
            delivered = delivery.deliver(dispatch)
        except DELIVERY_ERRORS as error:
            why = delivery.failure(error)
            services.mark_failed(dispatch, why)
            final = self.request.retries >= self.max_retries
            if run is not None and final:
                runs.fail(run, why)
            elif run is not None:
                runs.advance(run, 1, _l("%(why)s It is tried again by itself.", why=why))
            db.session.commit()
            if final:
                raise
            raise self.retry(exc=error, countdown=min(30 * 2 ** self.request.retries, 3600)) from error
        services.mark_sent(dispatch)
        if run is not None:
            runs.finish(run, delivered)
        db.session.commit()
