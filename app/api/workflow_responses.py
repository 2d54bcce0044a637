"""Answers to the API's writes, shared by plans (with their activities) and reports: a refused
workflow step, a stale version, a service write committed once (an edit, a step or a
creation), and a whole workflow step (submit, approve, accept, return, amend) from the request
to the answer."""
from collections.abc import Callable

from flask import jsonify
from sqlalchemy.exc import IntegrityError

from app.api.request_body import json_object, unknown_fields, versioned_body_error
from app.auth.sessions import request_user
from app.errors import api_error
from app.extensions import db

# Reports raise these too: ReportError is PlanError, and their TransitionRefused is this one.
from app.plans.services import PlanError, TransitionRefused
from app.versioning import CONFLICTS


def refused_step(require_allowed: Callable, action, subject, user):
    """403 for a role that may never do it, 409 in a state that does not allow it, None when
    `require_allowed` (the service's check) lets it through. Asked before the body is read, so
    the client learns first that the action itself is refused."""
    try:
        require_allowed(action, subject, user)
    except TransitionRefused as error:
        return api_error(error.status, error.message)
    return None


def stale_version(message: str, current: dict):
    """409 `stale_version` with the object as it is saved now in `error.current`, so the client
    can merge instead of overwriting."""
    response, status = api_error(409, message, code="stale_version")
    body = response.get_json()
    body["error"]["current"] = current
    return jsonify(body), status


def save_write(write: Callable[[], object], answer: Callable[[object], object],
               stale: Callable[[], object] | None = None, field_names: Callable[[dict], dict] | None = None,
               duplicate: Callable[[], object] | None = None):
    """Run a service write and commit it, then `answer(what the write returned)`; or answer its
    refusal having changed nothing: `stale()` when someone else saved first, `duplicate()` when
    someone else created the same row at the same moment, 422 with the fields under the client's
    names (`field_names`), or the refused step's 403/409. Without `stale` or `duplicate` that
    error is not expected (a creation names no version, an edit creates no row) and is raised."""
    try:
        result = write()
        db.session.commit()
    except CONFLICTS:
        if stale is None:
            raise
        db.session.rollback()
        return stale()
    except IntegrityError:
        if duplicate is None:
            raise
        db.session.rollback()
        return duplicate()
    except PlanError as error:
        db.session.rollback()
        return api_error(422, error.message, field_names(error.fields) if field_names else error.fields)
    except TransitionRefused as error:
        db.session.rollback()
        return api_error(error.status, error.message)
    return answer(result)


def workflow_step(subject, action, require_allowed: Callable, perform: Callable,
                  save: Callable[[Callable[[], object]], object]):
    """A workflow step on a plan or a report: refused before the body is read; else the body's
    `version` and `comment` go to `perform(subject, action, user, version, comment)`, which
    `save(write)` runs and answers."""
    user = request_user()
    if refused := refused_step(require_allowed, action, subject, user):
        return refused
    body = json_object()
    if problem := versioned_body_error(body) or unknown_fields(body, ("version", "comment")):
        return problem
    # Anything but text (an empty object too) is refused by the step's own check ("Enter text.").
    return save(lambda: perform(subject, action, user, body["version"], body.get("comment", "")))
