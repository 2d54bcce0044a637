"""How the plan and report pages run a service write and answer its refusal, so both answer
alike: a role that may never do it gets 403; a state that does not allow it, someone else's
newer save and invalid values are said on the page, with nothing changed."""
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user

from app.audit.models import AuditEntry
from app.audit.queries import entries_for
from app.extensions import db

# Reports raise these too: ReportError is PlanError, and their TransitionRefused is this one.
from app.plans.services import TransitionRefused
from app.plans.validation import PlanError, clean_comment
from app.versioning import CONFLICTS


def refused_redirect(refused: TransitionRefused, back: str):
    """403 for the role; for the state, its reason flashed on the page at `back`. Nothing the
    refused write did is kept."""
    db.session.rollback()
    if refused.status == 403:
        abort(403)
    flash(refused.message, "danger")
    return redirect(back)


def invalid_redirect(error: PlanError, back: str):
    """Each field's problem flashed on the page at `back` (a creation has no form to show them
    on). Nothing the refused write did is kept."""
    db.session.rollback()
    for message in error.fields.values():
        flash(message, "danger")
    return redirect(back)


def perform_from_page(item, action: str, form, perform: Callable, render: Callable, back: str,
                      stale_message: str, done_message: str, subject: str):
    """A workflow button's POST (`form` carries the version and the comment): the step done and
    committed, or refused: for the state or for someone else's newer save, unless the step was
    this sending's own (`_done_already`, on the item's log `subject`), which is then said done;
    what is missing is listed on the item's page, `render(item, problems=…, action_form=form,
    status=422)`."""
    if not form.validate_on_submit():
        abort(400)
    try:
        perform(item, action, current_user, form.version.data, form.comment.data or "")
    except (TransitionRefused, *CONFLICTS) as refused:
        db.session.rollback()
        for_the_role = isinstance(refused, TransitionRefused) and refused.status == 403
        if not for_the_role and _done_already(subject, action, form.comment.data or ""):
            flash(done_message, "success")
            return redirect(back)
        if isinstance(refused, TransitionRefused):
            return refused_redirect(refused, back)
        flash(stale_message, "warning")
        return redirect(back)
    except PlanError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return render(item, problems=error.fields, action_form=form, status=422)
    db.session.commit()
    flash(done_message, "success")
    return redirect(back)


@dataclass
class Outcome:
    """What became of an edit form's save: saved, or why not (the form shows it)."""

    saved: bool = False
    status: int = 200
    errors: dict[str, str] = field(default_factory=dict)
    conflict: bool = False
    refused: str | None = None
    result: object = None  # what the write returned, once saved


def save_form(item, form, write: Callable, sent_before: Callable[[], bool] | None = None) -> Outcome:
    """Run `write(the form's version)` and commit, or roll back and say what went wrong. The
    typed values stay on the form in every case, so nothing the user wrote is lost. A stale
    form whose write would change nothing now was sent twice, and is answered saved; so is
    one for which `sent_before()` says so (a write that adds a row always changes something)."""
    try:
        result = write(form.version.data)
        db.session.commit()
    except CONFLICTS:
        db.session.rollback()
        if sent_before is not None and sent_before():
            flash(_("Saved."), "success")
            return Outcome(saved=True)
        saved_already, result = _changes_nothing_now(item, write)
        if saved_already:
            flash(_("Saved."), "success")
            return Outcome(saved=True, result=result)
        # The form now carries the saved version: saving again is a deliberate overwrite.
        form.version.data = str(item.version)
        form.version.raw_data = [form.version.data]
        return Outcome(status=409, conflict=True)
    except PlanError as error:
        db.session.rollback()
        return Outcome(status=422, errors=error.fields)
    except TransitionRefused as refused:
        db.session.rollback()
        if refused.status == 403:
            abort(403)
        # Shown on the form, not on a redirect, so the typed values are not lost.
        return Outcome(status=409, refused=refused.message)
    flash(_("Saved."), "success")
    return Outcome(saved=True, result=result)


def _changes_nothing_now(item, write: Callable) -> tuple[bool, object]:
    """Whether `write` on the saved version would change nothing, and what it returns then.
    A form sent twice (a second click, or sent again when the answer was lost on a slow line)
    holds what its first sending saved: that is no conflict with anyone. Tried in a savepoint,
    always rolled back (a write that sends tasks after the commit must not be tried so)."""
    version = item.version
    savepoint = db.session.begin_nested()
    try:
        result = write(version)
        db.session.flush()  # a change raises the version (`version_id_col`)
        return item.version == version, result
    except (*CONFLICTS, PlanError, TransitionRefused):
        return False, None
    finally:
        savepoint.rollback()


def _done_already(subject: str, action: str, comment: str) -> bool:
    """The item's last logged step is this user's `action` with this comment: the button was
    sent twice (a second click on a slow line, or sent again when the answer was lost) and its
    first sending did the step, which the state or the version now refuses."""
    try:
        comment = clean_comment(comment, required=False)
    except PlanError:
        return False
    latest = _last_logged(subject, action)
    return latest is not None and latest.comment == comment


def saved_by_this_sending(subject: str, action: str, item, form) -> bool:
    """The item's last save is this user's `action` (on its log `subject`), the save right after
    the form's version: the form was sent twice and its first sending did what it asks."""
    try:
        sent_on = int(form.version.data)
    except (TypeError, ValueError):
        return False
    return _last_logged(subject, action) is not None and item.version == sent_on + 1


def _last_logged(subject: str, action: str) -> AuditEntry | None:
    """The last entry of the item's log `subject`, if it is this user's `action`."""
    latest = entries_for(subject, limit=1)
    return latest[0] if latest and (latest[0].action, latest[0].user_id) == (action, current_user.id) else None


def changed_figures(inputs, typed: dict[str, str]) -> list[dict]:
    """The figures of a form whose text differs from the saved one's, as the services take them
    (`{"indicator", "sex", "value"}`); `inputs` are (indicator code, input name, sex key, saved
    text). A form sends every figure back; what was not changed is left out, so that a total
    left as it was follows its men and women (`validation.settled_total`), as it does in the
    API when it is not sent."""
    return [{"indicator": code, "sex": None if key == "total" else key, "value": typed[name]}
            for code, name, key, saved in inputs if typed[name] != saved]
