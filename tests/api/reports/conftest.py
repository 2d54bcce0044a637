"""Bình Lương's approved 2023 plan and its draft 2023Q1 report, for the reports API's tests."""

import pytest

from app.extensions import db as _db
from app.plans.models import Plan
from app.reports import services
from tenants import system_scope
from tests.factories import (
    add_ratio,
    approve_plan,
    make_plan,
    make_template,
)


@pytest.fixture
def plan_id(tree, users, db):
    """Bình Lương's approved plan for 2023 (quarterly reports)."""
    with system_scope("test data"):
        plan = approve_plan(make_plan(make_template(tree.district), tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        db.session.commit()
        return plan.id


@pytest.fixture
def report_id(plan_id, users, db):
    """Its draft report for 2023Q1."""
    with system_scope("test data"):
        report = services.create_report(_db.session.get(Plan, plan_id), "2023Q1", users["editor"])
        db.session.commit()
        return report.id


@pytest.fixture
def ratio_report_id(tree, users, db):
    """A draft 2024Q1 report of a plan whose template has a ratio: TL01 = 100 × HS02 ÷ HS01."""
    with system_scope("test data"):
        template = add_ratio(make_template(tree.district, year=2024))
        plan = approve_plan(make_plan(template, tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        report = services.create_report(plan, "2024Q1", users["editor"])
        db.session.commit()
        return report.id
