"""Như Xuân's 2023Q1 for the comparison pages: three communes, whose figures come from their
reports (Bình Lương's submitted late and counted, as the template allows; Yên Cát's accepted
late; Xuân Bình has no plan), and the stored rows of the districts above them, written
directly with newer data waiting at Như Xuân (the engine that computes them is tested on its
own). (Not a conftest: the test modules of the comparison import the `figures` fixture.)"""
import re
from dataclasses import dataclass
from datetime import datetime

import pytest

from app.auth.models import Role
from app.extensions import db
from app.org_units.models import OrgUnit
from app.reports.models import Report
from app.rollups import comparison
from tenants import system_scope
from tests.factories import (
    OrgUnitFactory,
    UserFactory,
    approve_plan,
    make_plan,
    make_report,
    make_template,
    put_rollup_state,
    refresh_committed_elsewhere,
    stored_rollup,
)

COMPUTED_AT = datetime(2023, 4, 20, 8, 30)


@dataclass
class Figures:
    third_commune: OrgUnit  # Xuân Bình: no plan, no figures
    report: Report  # Bình Lương's 2023Q1 report, submitted late


def add_rollups(unit: OrgUnit, period: str, figures: dict) -> None:
    for (code, sex), (value, target) in figures.items():
        db.session.add(stored_rollup(unit, period, code, value, COMPUTED_AT, sex=sex, target=target))


@pytest.fixture
def figures(tree, users, db):
    with system_scope("test data"):
        third = OrgUnitFactory(code="16180", name="Xã Xuân Bình", parent=tree.district)
        sibling_leader = UserFactory(username="sibling.leader", role=Role.COMMUNE_LEADER.value,
                                     unit=tree.sibling_commune)
        template = make_template(tree.district, rollup_includes_submitted=True)
        targets = {"TR01": 100, "TT01": 100, "CB01": 30}
        plan = approve_plan(make_plan(template, tree.commune, users["editor"]), users["editor"], users["leader"],
                            users["officer"], targets)
        sibling_plan = approve_plan(make_plan(template, tree.sibling_commune, users["sibling_editor"]),
                                    users["sibling_editor"], sibling_leader, users["officer"], targets)
        # 2023Q1's deadline has passed: both reports are late.
        report = make_report(plan, "2023Q1", {"TR01": 90, ("TT01", "male"): 15, ("TT01", "female"): 25},
                             users["editor"], users["leader"])
        make_report(sibling_plan, "2023Q1", {"TR01": 120, ("TT01", "male"): 30, ("TT01", "female"): 30},
                    users["sibling_editor"], sibling_leader, users["officer"])

        add_rollups(tree.district, "2023Q1", {("TR01", "total"): (210, 200), ("TT01", "total"): (100, 200),
                                              ("TT01", "female"): (55, None)})
        add_rollups(tree.other_district, "2023Q1", {("TR01", "total"): (7, 10)})
        put_rollup_state(tree.district, "2023Q1", 3, 1, 0, COMPUTED_AT, requested_at=datetime(2023, 4, 21))
        put_rollup_state(tree.district, "2023", 12, 1, 0, COMPUTED_AT)
        db.session.commit()
        return Figures(third_commune=third, report=report)


@pytest.fixture
def refresh_after_the_communes_are_read(tree, monkeypatch):
    """A refresh that a worker commits after a comparison has read its communes' figures and
    before it reads the district's total: Bình Lương's figures and the district's stored
    totals each grow by 90. (Read in one snapshot, the total stays 210, its communes' sum.)"""
    read_children = comparison.children_rows

    def refreshed_after_the_children_are_read(children, period_id):
        found = read_children(children, period_id)
        refresh_committed_elsewhere(tree.commune, tree.district, added=90)
        return found

    monkeypatch.setattr(comparison, "children_rows", refreshed_after_the_children_are_read)


def table_units(html: str) -> list[str]:
    return re.findall(r'<tr data-unit="(\d+)">', html)
