"""Rollups of Như Xuân for 2023Q1 written directly (the engine is tested on its own): three
communes, one of which reported nothing, and a district total with newer data waiting.
(Not a conftest: the test modules of the comparison import the `figures` fixture.)"""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest

from app.auth.models import Role
from app.extensions import db
from app.org_units.models import OrgUnit
from app.reports import services as report_services
from app.reports.models import Report, ReportStatus
from app.rollups.models import Rollup, RollupState
from tenants import system_scope
from tests.factories import (
    OrgUnitFactory,
    UserFactory,
    approve_plan,
    make_plan,
    make_template,
)

COMPUTED_AT = datetime(2023, 4, 20, 8, 30)


@dataclass
class Figures:
    third_commune: OrgUnit  # Xuân Bình: no plan, no figures
    report: Report  # Bình Lương's 2023Q1 report, submitted late


def add_rollups(unit: OrgUnit, period: str, figures: dict) -> None:
    for (code, sex), (value, target) in figures.items():
        db.session.add(Rollup(unit_id=unit.id, period=period, indicator_code=code, sex=sex,
                              aggregation="sum", value=None if value is None else Decimal(value),
                              target=None if target is None else Decimal(target),
                              reporting=1, computed_at=COMPUTED_AT))


def add_state(unit: OrgUnit, period: str, expected: int, received: int, on_time: int,
              requested_at: datetime | None = None) -> None:
    """The unit's completeness for the period, replacing the mark an approval left."""
    state = db.session.execute(db.select(RollupState).where(
        RollupState.unit_id == unit.id, RollupState.period == period)).scalar_one_or_none()
    if state is None:
        state = RollupState(unit_id=unit.id, period=period)
        db.session.add(state)
    state.expected, state.received, state.on_time = expected, received, on_time
    state.computed_at, state.requested_at = COMPUTED_AT, requested_at


@pytest.fixture
def figures(tree, users, db):
    with system_scope("test data"):
        third = OrgUnitFactory(code="16180", name="Xã Xuân Bình", parent=tree.district)
        sibling_leader = UserFactory(username="sibling.leader", role=Role.COMMUNE_LEADER.value,
                                     unit=tree.sibling_commune)
        template = make_template(tree.district)
        plan = make_plan(template, tree.commune, users["editor"])
        approve_plan(plan, users["editor"], users["leader"], users["officer"])
        sibling_plan = make_plan(template, tree.sibling_commune, users["sibling_editor"])
        approve_plan(sibling_plan, users["sibling_editor"], sibling_leader, users["officer"])
        report = report_services.create_report(plan, "2023Q1", users["editor"])
        report.status, report.late = ReportStatus.SUBMITTED, True

        add_rollups(tree.commune, "2023Q1", {("TR01", "total"): (90, 100), ("TT01", "total"): (40, 100),
                                             ("TT01", "female"): (25, None)})
        add_rollups(tree.sibling_commune, "2023Q1", {("TR01", "total"): (120, 100), ("TT01", "total"): (60, 100),
                                                     ("TT01", "female"): (30, None)})
        add_rollups(tree.district, "2023Q1", {("TR01", "total"): (210, 200), ("TT01", "total"): (100, 200),
                                              ("TT01", "female"): (55, None)})
        add_rollups(tree.other_district, "2023Q1", {("TR01", "total"): (7, 10)})
        add_rollups(tree.other_commune, "2023Q1", {("TR01", "total"): (7, 10)})
        add_state(tree.commune, "2023Q1", 1, 1, 0)
        add_state(tree.sibling_commune, "2023Q1", 1, 0, 0)
        add_state(third, "2023Q1", 1, 0, 0)
        add_state(tree.district, "2023Q1", 3, 1, 0, requested_at=datetime(2023, 4, 21))
        add_state(tree.district, "2023", 12, 1, 0)
        db.session.commit()
        return Figures(third_commune=third, report=report)
