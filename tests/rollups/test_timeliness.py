"""Where the communes' reports stand: each report's state against its deadline, and a year's
grid of them."""
from datetime import date

import pytest

from app.org_units.models import OrgUnit
from app.reports.models import Report, ReportStatus
from app.rollups import timeliness
from app.rollups.comparison import build
from tenants import system_scope
from tests.rollups import compare_data

figures = compare_data.figures  # the fixture: Như Xuân's 2023Q1 reports

DEADLINE = date(2023, 4, 10)


@pytest.mark.parametrize(("status", "late", "today", "state"), [
    (None, False, date(2023, 4, 10), "not_due"),  # no report yet, on the deadline itself
    (None, False, date(2023, 4, 11), "missing"),
    (ReportStatus.DRAFT, False, date(2023, 4, 5), "not_due"),
    (ReportStatus.DRAFT, False, date(2023, 4, 11), "missing"),  # a draft is not a report to the district
    (ReportStatus.SUBMITTED, True, date(2023, 4, 11), "waiting"),
    (ReportStatus.RETURNED, False, date(2023, 4, 11), "returned"),
    (ReportStatus.ACCEPTED, False, date(2023, 4, 11), "accepted"),
    (ReportStatus.ACCEPTED, True, date(2023, 4, 11), "late"),
])
def test_a_reports_state_against_its_deadline(status, late, today, state):
    report = None if status is None else Report(status=status.value, late=late)
    assert timeliness.state_of(report, DEADLINE, today) == state


def test_a_years_grid_has_a_row_per_reportable_commune_and_a_column_per_quarter(figures, tree, users, db):
    # Seen on 1 July 2023: Q1 is past its deadline; Q2's is 10 July.
    with system_scope("test"):
        district = db.session.get(OrgUnit, tree.district.id)
        grid = build(district, "2023", users["officer"], today=date(2023, 7, 1)).report_grid
    assert grid.periods == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    rows = {row.unit_name: {period: (cell.state, cell.also_late) for period, cell in row.cells.items()}
            for row in grid.rows}
    not_due = {period: ("not_due", False) for period in ("2023Q2", "2023Q3", "2023Q4")}
    assert rows == {"Bình Lương": {"2023Q1": ("waiting", True), **not_due},
                    "Yên Cát": {"2023Q1": ("late", False), **not_due}}  # Xuân Bình: no plan
    assert [row.unit_name for row in grid.rows] == ["Bình Lương", "Yên Cát"]
    assert grid.rows[0].cells["2023Q1"].report_id == figures.report.id


def test_a_quarter_has_no_grid(figures, tree, users, db):
    with system_scope("test"):
        district = db.session.get(OrgUnit, tree.district.id)
        found = build(district, "2023Q1", users["officer"], today=date(2023, 7, 1))
    assert found.report_grid is None
    assert [(issue.unit_name, issue.state) for issue in found.issues] == [("Bình Lương", "waiting"), ("Yên Cát", "late")]


def test_a_draft_is_linked_as_a_missing_report_is_to_its_plans_reports(figures, tree, users, db):
    """A province viewer cannot open a draft: the grid sends everyone to the plan's reports."""
    with system_scope("test"):
        report = db.session.get(Report, figures.report.id)
        report.status = ReportStatus.DRAFT.value
        db.session.commit()
        district = db.session.get(OrgUnit, tree.district.id)
        cell = build(district, "2023", users["officer"], today=date(2023, 7, 1)).report_grid.rows[0].cells["2023Q1"]
    assert (cell.unit_name, cell.state, cell.report_id, cell.plan_id) == (
        "Bình Lương", "missing", None, figures.report.plan_id)
