"""Who may do what to a plan in which state (DESIGN.md, Workflows). One table, read by the
services (which enforce it), the pages (which show only the allowed buttons) and the tests."""
from dataclasses import dataclass
from enum import StrEnum

from app.auth.models import Role
from app.plans.models import PlanStatus


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    AMEND = "amend"


@dataclass(frozen=True)
class Transition:
    from_states: frozenset[PlanStatus]
    to_state: PlanStatus | None  # None: the state stays (an edit)
    roles: frozenset[Role]


COMMUNE_WRITERS = frozenset({Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER, Role.ADMIN})
REVIEWERS = frozenset({Role.DISTRICT_OFFICER, Role.ADMIN})

TRANSITIONS: dict[Action, Transition] = {
    Action.EDIT: Transition(frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED}), None, COMMUNE_WRITERS),
    Action.SUBMIT: Transition(frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED}), PlanStatus.SUBMITTED,
                              frozenset({Role.COMMUNE_LEADER, Role.ADMIN})),
    Action.APPROVE: Transition(frozenset({PlanStatus.SUBMITTED}), PlanStatus.APPROVED, REVIEWERS),
    Action.RETURN: Transition(frozenset({PlanStatus.SUBMITTED}), PlanStatus.RETURNED, REVIEWERS),
    # An approved plan is locked; an amendment reopens it as a new edition.
    Action.AMEND: Transition(frozenset({PlanStatus.APPROVED}), PlanStatus.DRAFT, COMMUNE_WRITERS),
}

# Who may create a plan for their commune.
PLAN_CREATORS = COMMUNE_WRITERS


def role_may(action: Action, role: str) -> bool:
    return role in TRANSITIONS[action].roles


def state_allows(action: Action, status: str) -> bool:
    return status in TRANSITIONS[action].from_states


def is_allowed(action: Action, status: str, role: str) -> bool:
    return role_may(action, role) and state_allows(action, status)


def allowed_actions(plan, user) -> list[Action]:
    return [action for action in Action if is_allowed(action, plan.status, user.role)]
