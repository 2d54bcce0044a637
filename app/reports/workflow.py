"""Who may do what to a report in which state (DESIGN.md, Workflows), as one table read by
the services, the pages and the tests."""
from enum import StrEnum

from app.auth.models import Role
from app.plans.workflow import COMMUNE_WRITERS, REVIEWERS, Transition
from app.reports.models import ReportStatus


class ReportAction(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"


TRANSITIONS: dict[ReportAction, Transition] = {
    ReportAction.EDIT: Transition(frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}), None, COMMUNE_WRITERS),
    ReportAction.SUBMIT: Transition(frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}), ReportStatus.SUBMITTED,
                                    frozenset({Role.COMMUNE_LEADER, Role.ADMIN})),
    ReportAction.ACCEPT: Transition(frozenset({ReportStatus.SUBMITTED}), ReportStatus.ACCEPTED, REVIEWERS),
    ReportAction.RETURN: Transition(frozenset({ReportStatus.SUBMITTED}), ReportStatus.RETURNED, REVIEWERS),
}

REPORT_CREATORS = COMMUNE_WRITERS


def state_allows(action: ReportAction, status: str) -> bool:
    return status in TRANSITIONS[action].from_states


def is_allowed(action: ReportAction, status: str, role: str) -> bool:
    return role in TRANSITIONS[action].roles and state_allows(action, status)


def allowed_actions(report, user) -> list[ReportAction]:
    return [action for action in ReportAction if is_allowed(action, report.status, user.role)]
