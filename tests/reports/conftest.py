"""Shared fixtures of the report tests."""
import pytest

from tenants import system_scope
from tests.factories import approve_plan, make_plan, make_template


@pytest.fixture
def plan(tree, users, db):
    """Bình Lương's approved 2023 plan, reported on by quarter: every period is past."""
    with system_scope("test data"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        approve_plan(plan, users["editor"], users["leader"], users["officer"])
        db.session.commit()
    return plan
