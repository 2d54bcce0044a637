"""Every write to a plan: creation from a template, edits, activities, targets and the
workflow. Each write checks the version the writer read, records itself in the audit log and
flushes; the request or task commits."""
from collections.abc import Callable
from contextlib import contextmanager
from datetime import date

from flask_babel import gettext as _

from app.audit import services as audit
from app.database import utcnow
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates.models import PlanTemplate
from app.plans import validation
from app.plans.models import (
    ApprovedTarget,
    Plan,
    PlanActivity,
    PlanSection,
    PlanStatus,
    PlanTarget,
    PlanVersion,
)
from app.plans.serializers import number_json, plan_content
from app.plans.validation import PlanError
from app.plans.workflow import PLAN_CREATORS, TRANSITIONS, Action
from app.versioning import check_version

__all__ = ["PlanError", "TransitionRefused", "create_plan", "update_plan", "add_activity",
           "update_activity", "remove_activity", "perform"]

DOCUMENT_FIELDS = ("document_number", "place", "document_date", "signer_authority",
                   "signer_title", "signer_name", "recipients")
TEXT_FIELDS = ("title", "legal_basis", "introduction", "closing")


class TransitionRefused(Exception):
    """The action is not allowed in the plan's state or for the user's role."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


def subject(plan: Plan) -> str:
    return audit.subject_of("plan", plan.id)


def unit_phrase(unit: OrgUnit) -> str:
    """`Xã Bình Lương` → `xã Bình Lương`, as it reads inside a sentence."""
    return f"{unit.division_type.lower()} {unit.short_name}"


def _fill(text: str, unit: OrgUnit) -> str:
    return (text or "").replace("{unit}", unit_phrase(unit))


def create_plan(template: PlanTemplate, unit: OrgUnit, user=None) -> Plan:
    """A draft plan for `unit` with the template's text, activities and indicators."""
    if user is not None and user.role not in PLAN_CREATORS:
        raise TransitionRefused(_("Only the commune's users may create its plan."), status=403)
    if not template.is_published:
        raise PlanError({"template_id": _("This template is not published yet.")})
    if not unit.path.startswith(template.unit.path) or unit.id == template.unit_id:
        raise PlanError({"template_id": _("This template is not for your commune.")})
    existing = db.session.execute(
        db.select(Plan).where(Plan.unit_id == unit.id, Plan.year == template.year)
    ).scalar_one_or_none()
    if existing is not None:
        raise PlanError({"template_id": _("Your commune already has a plan for %(year)s.", year=template.year)})
    plan = Plan(
        unit=unit, unit_id=unit.id, template=template, year=template.year,
        title=template.title, legal_basis=template.legal_basis,
        introduction=_fill(template.introduction, unit), closing=_fill(template.closing, unit),
        recipients=template.recipients, place=unit.short_name,
        signer_authority="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH",
    )
    plan.sections = [
        PlanSection(key=section.key, position=section.position, level=section.level,
                    heading=section.heading, guidance=section.guidance,
                    text=_fill(section.default_text, unit), editable=section.editable, unit_id=unit.id)
        for section in template.sections
    ]
    plan.activities = [
        PlanActivity(section_key=activity.section_key, position=activity.position, name=activity.name,
                     lead_body=activity.lead_body, from_template=True, unit_id=unit.id)
        for activity in template.activities
    ]
    plan.targets = [
        PlanTarget(indicator=indicator, sex=None, value=indicator.minimum_target, unit_id=unit.id)
        for indicator in template.indicators if indicator.minimum_target is not None
    ]
    db.session.add(plan)
    db.session.flush()
    audit.record(unit.id, subject(plan), "created", user,
                 [{"field": "template", "before": None, "after": f"{template.year} r{template.revision}"}])
    return plan


def require_allowed(action: Action, plan: Plan, user) -> None:
    """Refuse (403 for the role, 409 for the state) what the workflow table does not allow."""
    transition = TRANSITIONS[action]
    if user.role not in transition.roles:
        raise TransitionRefused(_("Your role may not do this."), status=403)
    if plan.status not in transition.from_states:
        if action == Action.EDIT:
            raise TransitionRefused(_("This plan is %(status)s and cannot be edited.",
                                      status=plan.status_enum.label))
        raise TransitionRefused(_("This cannot be done while the plan is “%(status)s”.",
                                  status=plan.status_enum.label))


def _touch(plan: Plan) -> None:
    # Any write raises the plan's version, even one that only changed a child row.
    plan.updated_at = utcnow()


def update_plan(plan: Plan, user, expected_version, changes: dict) -> Plan:
    """Apply `changes`: any of `title`, `legal_basis`, `introduction`, `closing`, the
    document fields, `sections` ({key: text}) and `targets` ([{indicator, sex, value}]).
    Everything is validated first; nothing is changed if anything is wrong."""
    require_allowed(Action.EDIT, plan, user)
    check_version(plan, expected_version)
    clean = validation.validate_plan_changes(plan, changes)
    recorded: list[dict] = []

    for name in (*TEXT_FIELDS, *DOCUMENT_FIELDS):
        if name in clean and getattr(plan, name) != clean[name]:
            recorded.append({"field": name, "before": _plain(getattr(plan, name)), "after": _plain(clean[name])})
            setattr(plan, name, clean[name])

    for key, text in clean.get("sections", {}).items():
        section = plan.section(key)
        if section.text != text:
            recorded.append({"field": f"section:{key}", "before": section.text, "after": text})
            section.text = text

    # Only when there are targets to set: loading plan.targets would autoflush the changes
    # above, and the version would go up twice for one edit.
    if clean.get("targets"):
        recorded += apply_figures(clean["targets"], plan.targets, plan.target, PlanTarget, plan.unit_id, "target")

    if recorded:
        _touch(plan)
        db.session.flush()
        audit.record(plan.unit_id, subject(plan), "edited", user, recorded)
    return plan


def apply_figures(figures: dict, rows: list, saved_row: Callable, row_class: type, unit_id: int,
                  log_name: str) -> list[dict]:
    """Set a plan's targets or a report's values (`rows`, where `saved_row(indicator id, sex)`
    finds one; a new one is a `row_class`) to `figures`, {(indicator, sex): figure}, None
    removing it. Returns the changes for the audit log, named `<log_name>:<code>[:<sex>]`."""
    recorded = []
    for (indicator, sex), value in figures.items():
        row = saved_row(indicator.id, sex)
        before = row.value if row else None
        if before == value:
            continue
        recorded.append({"field": f"{log_name}:{indicator.code}" + (f":{sex}" if sex else ""),
                         "before": number_json(before), "after": number_json(value)})
        if value is None:
            rows.remove(row)
        elif row is None:
            rows.append(row_class(indicator=indicator, sex=sex, value=value, unit_id=unit_id))
        else:
            row.value = value
    return recorded


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def add_activity(plan: Plan, user, expected_version, data: dict) -> PlanActivity:
    require_allowed(Action.EDIT, plan, user)
    check_version(plan, expected_version)
    clean = validation.validate_activity(plan, data)
    position = max((activity.position for activity in plan.activities), default=-1) + 1
    activity = PlanActivity(position=position, unit_id=plan.unit_id, **clean)
    plan.activities.append(activity)
    _touch(plan)
    db.session.flush()
    audit.record(plan.unit_id, subject(plan), "activity_added", user,
                 [{"field": "activity", "before": None, "after": activity.name}])
    return activity


def update_activity(plan: Plan, activity: PlanActivity, user, expected_version, data: dict) -> PlanActivity:
    require_allowed(Action.EDIT, plan, user)
    check_version(plan, expected_version)
    clean = validation.validate_activity(plan, data)
    recorded = audit.apply_changes(activity, clean, clean, "activity:")
    if recorded:
        _touch(plan)
        db.session.flush()
        audit.record(plan.unit_id, subject(plan), "activity_edited", user, recorded,
                     comment=activity.name)
    return activity


def remove_activity(plan: Plan, activity: PlanActivity, user, expected_version) -> None:
    require_allowed(Action.EDIT, plan, user)
    check_version(plan, expected_version)
    plan.activities.remove(activity)
    _touch(plan)
    db.session.flush()
    audit.record(plan.unit_id, subject(plan), "activity_removed", user,
                 [{"field": "activity", "before": activity.name, "after": None}])


@contextmanager
def workflow_transition(item, action, user, expected_version, comment: str, *, require_allowed: Callable,
                        transitions: dict, audit_subject: Callable, ready: Callable | None = None):
    """A workflow step of a plan or a report, around what only that step changes (the block,
    entered `as (comment, now)` once the status has moved).

    Refused before anything changes: for the role or the state (`require_allowed`), a stale
    version, a return without a comment, or by `ready(item)`. After the block the item is
    touched, flushed and the step logged; an error in the block logs nothing."""
    transition = transitions[action]
    if transition.to_state is None:
        raise ValueError("edits go through update_plan or update_report")
    require_allowed(action, item, user)
    check_version(item, expected_version)
    # Both workflows' return sends the item back to the commune, which must be told why.
    comment = validation.clean_comment(comment, required=action == "return")
    if ready is not None:
        ready(item)
    before, now = item.status, utcnow()
    item.status = transition.to_state
    yield comment, now
    item.updated_at = now  # raises the version even when only child rows changed
    db.session.flush()
    audit.record(item.unit_id, audit_subject(item), action.value, user,
                 [{"field": "status", "before": before, "after": item.status}], comment=comment)


def perform(plan: Plan, action: Action | str, user, expected_version, comment: str = "") -> Plan:
    """Move the plan through the workflow: submit, approve, return (with a comment), amend."""
    action = Action(action)
    with workflow_transition(plan, action, user, expected_version, comment, require_allowed=require_allowed,
                             transitions=TRANSITIONS, audit_subject=subject,
                             ready=_require_complete if action == Action.SUBMIT else None) as (comment, now):
        if action == Action.SUBMIT:
            plan.submitted_at = now
            plan.return_comment = ""
            db.session.flush()
            plan.versions.append(PlanVersion(
                number=len(plan.versions) + 1, edition=plan.edition, content=plan_content(plan),
                status=PlanStatus.SUBMITTED, created_by_id=user.id, unit_id=plan.unit_id))
        elif action in (Action.APPROVE, Action.RETURN):
            plan.decided_at = now
            if action == Action.RETURN:
                plan.return_comment = comment
            if plan.versions:
                plan.versions[-1].status = plan.status
        elif action == Action.AMEND:
            plan.edition += 1
    if action == Action.APPROVE:
        _approve_targets(plan)
        _expect_reports(plan)
    return plan


def _approve_targets(plan: Plan) -> None:
    """The plan's targets become the ones its reports and the rollups are set against (rows
    updated in place: replacing them would insert a target before deleting its old row)."""
    figures = {(row.indicator, row.sex): None for row in plan.approved_targets}  # gone, unless set again
    figures.update({(target.indicator, target.sex): target.value for target in plan.targets})
    apply_figures(figures, plan.approved_targets, plan.approved_target, ApprovedTarget, plan.unit_id,
                  "approved_target")


def _require_complete(plan: Plan) -> None:
    if problems := validation.submission_problems(plan):
        raise PlanError(problems, message=_("The plan is not complete yet."))


def _expect_reports(plan: Plan) -> None:
    """An approved plan is expected to report: the completeness above it changes."""
    from app import periods
    from app.rollups.services import request_refresh

    request_refresh(plan.unit, *[period.id for period in periods.periods_of_year(
        plan.year, plan.template.report_period_type)])
