"""Shared fixtures of the report tests."""
import pytest

from app.plans.models import Plan
from app.reports import services
from tenants import system_scope
from tests.factories import add_ratio, approve_plan, make_plan, make_template
from tests.reports.edit_form import Draft


def _approved_plan(tree, users, db, with_ratio: bool = False):
    with system_scope("test data"):
        template = make_template(tree.district)
        plan = make_plan(add_ratio(template) if with_ratio else template, tree.commune, users["editor"])
        approve_plan(plan, users["editor"], users["leader"], users["officer"])
        db.session.commit()
    return plan


@pytest.fixture
def plan(tree, users, db):
    """Bình Lương's approved 2023 plan, reported on by quarter: every period is past."""
    return _approved_plan(tree, users, db)


@pytest.fixture
def ratio_plan(tree, users, db):
    """The same, with a ratio in its template: TL01 = 100 × HS02 ÷ HS01."""
    return _approved_plan(tree, users, db, with_ratio=True)


@pytest.fixture
def report(plan, users, db) -> Draft:
    """A draft report for 2023Q1, with no figure yet."""
    with system_scope("test data"):
        report = services.create_report(db.session.get(Plan, plan.id), "2023Q1", users["editor"])
        db.session.commit()
        return Draft(report.id, report.version, [row.activity_id for row in report.activities])
