"""The plan workflow as a table: role × state × action → allowed or refused.

The expected table is written out here, independently of app/plans/workflow.py, and every
cell is tried through the service in the user's own tenant scope. A refused action changes
nothing: neither the status nor the version.
"""
from decimal import Decimal

import pytest

from app.auth.sessions import scope_for_user
from app.plans import services
from app.plans.models import PlanStatus, PlanTarget
from app.plans.workflow import Action
from tenants import system_scope, tenant_scope
from tests.factories import make_plan, make_template

DRAFT, SUBMITTED, APPROVED, RETURNED = (PlanStatus.DRAFT, PlanStatus.SUBMITTED,
                                        PlanStatus.APPROVED, PlanStatus.RETURNED)
ROLES = ["editor", "leader", "officer", "district_admin", "province_viewer", "admin"]

# (action, state) → who may, and the state it leads to.
ALLOWED = {
    (Action.EDIT, DRAFT): ({"editor", "leader", "admin"}, DRAFT),
    (Action.EDIT, RETURNED): ({"editor", "leader", "admin"}, RETURNED),
    (Action.SUBMIT, DRAFT): ({"leader", "admin"}, SUBMITTED),
    (Action.SUBMIT, RETURNED): ({"leader", "admin"}, SUBMITTED),
    (Action.APPROVE, SUBMITTED): ({"officer", "admin"}, APPROVED),
    (Action.RETURN, SUBMITTED): ({"officer", "admin"}, RETURNED),
    (Action.AMEND, APPROVED): ({"editor", "leader", "admin"}, DRAFT),
}

CASES = [
    (role, state, action)
    for action in Action
    for state in (DRAFT, SUBMITTED, APPROVED, RETURNED)
    for role in ROLES
]

# How to bring a fresh, complete draft into each state: (action, by whom).
PATH_TO = {
    DRAFT: [],
    SUBMITTED: [(Action.SUBMIT, "leader")],
    APPROVED: [(Action.SUBMIT, "leader"), (Action.APPROVE, "officer")],
    RETURNED: [(Action.SUBMIT, "leader"), (Action.RETURN, "officer")],
}


def complete_plan(tree, users):
    template = make_template(tree.district)
    plan = make_plan(template, tree.commune, users["editor"])
    services.update_plan(plan, users["editor"], plan.version, {
        "document_number": "45/KH-UBND", "document_date": "2023-05-05", "signer_name": "Lê Văn Bình",
        "targets": [{"indicator": "TT01", "sex": None, "value": 150},
                    {"indicator": "CB01", "sex": None, "value": 30},
                    {"indicator": "TR01", "sex": None, "value": 500}],
    })
    return plan


def act(plan, action, user):
    if action == Action.EDIT:
        return services.update_plan(plan, user, plan.version, {"sections": {"muc-dich": "Văn bản mới."}})
    return services.perform(plan, action, user, plan.version, comment="Bổ sung chỉ tiêu.")


@pytest.mark.parametrize("role, state, action", CASES)
def test_the_workflow_table(tree, users, db, role, state, action):
    with system_scope("test data"):
        plan = complete_plan(tree, users)
        for step, by in PATH_TO[state]:
            act(plan, step, users[by])
        db.session.commit()
        plan_id, version_before = plan.id, plan.version

    user = users[role]
    allowed_roles, next_state = ALLOWED.get((action, state), (set(), None))
    with tenant_scope(scope_for_user(user)):
        plan = db.session.get(type(plan), plan_id)
        if role in allowed_roles:
            act(plan, action, user)
            db.session.commit()
            assert plan.status == next_state
            assert plan.version > version_before
        else:
            with pytest.raises(services.TransitionRefused) as refused:
                act(plan, action, user)
            db.session.rollback()
            expected_status = 409 if any(role in roles for (a, _), (roles, _n) in ALLOWED.items()
                                         if a == action) else 403
            assert refused.value.status == expected_status
            assert (plan.status, plan.version) == (state, version_before)


def test_an_amendment_is_a_new_edition_and_the_approved_version_is_kept(tree, users, db):
    with system_scope("test"):
        plan = complete_plan(tree, users)
        act(plan, Action.SUBMIT, users["leader"])
        act(plan, Action.APPROVE, users["officer"])
        act(plan, Action.AMEND, users["editor"])

        assert (plan.status, plan.edition) == (DRAFT, 2)
        assert [(version.number, version.edition, version.status) for version in plan.versions] == [
            (1, 1, APPROVED)]


def test_returning_needs_a_comment_and_keeps_it_for_the_commune(tree, users, db):
    with system_scope("test"):
        plan = complete_plan(tree, users)
        act(plan, Action.SUBMIT, users["leader"])
        with pytest.raises(services.PlanError) as refused:
            services.perform(plan, Action.RETURN, users["officer"], plan.version, comment="  ")
        assert set(refused.value.fields) == {"comment"}
        assert plan.status == SUBMITTED

        services.perform(plan, Action.RETURN, users["officer"], plan.version, comment="Thiếu chỉ tiêu nữ.")
        assert (plan.status, plan.return_comment) == (RETURNED, "Thiếu chỉ tiêu nữ.")


def test_an_incomplete_plan_cannot_be_submitted(tree, users, db):
    with system_scope("test"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        with pytest.raises(services.PlanError) as refused:
            services.perform(plan, Action.SUBMIT, users["leader"], plan.version)
        assert {"document_number", "document_date", "signer_name", "targets.CB01.total"} <= set(refused.value.fields)
        assert plan.status == DRAFT


def test_targets_saved_before_a_rule_hold_the_submission_until_mended(tree, users, db):
    """Men alone, saved before both were asked for: a save now refuses it, and so does the
    submission, which the forms' saves no longer check every indicator for."""
    with system_scope("test"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        services.update_plan(plan, users["editor"], plan.version, {
            "document_number": "45/KH-UBND", "document_date": "2023-05-05", "signer_name": "Lê Văn Bình",
            "targets": [{"indicator": code, "sex": None, "value": 30} for code in ("CB01", "TR01")]})
        tt01 = plan.template.indicator("TT01")
        # The total and men above it, as saves before the rule left them (its women are the
        # difference now).
        for target in [row for row in plan.targets if row.indicator_id == tt01.id]:
            db.session.delete(target)
        db.session.add_all([PlanTarget(plan_id=plan.id, unit_id=plan.unit_id, indicator_id=tt01.id, sex=sex,
                                       value=Decimal(value)) for sex, value in ((None, 130), ("male", 140))])
        db.session.flush()
        db.session.expire(plan, ["targets"])

        with pytest.raises(services.PlanError) as refused:
            services.perform(plan, Action.SUBMIT, users["leader"], plan.version)
        assert refused.value.fields == {"targets.TT01.male": "Chỉ tiêu của nam không được lớn hơn tổng."}
        assert plan.status == DRAFT
