"""Where the communes' reports stand, period by period, for the compare page and its XLSX
(app/rollups/comparison.py, export.py): the reports of a period that need the district's attention
(missing past the deadline, waiting for a decision, returned, accepted late), and for a year a
grid of every commune's reports, one column per period.

Only communes with a reportable plan are expected to report; the others are named apart
(`comparison.PlanGap`)."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from app import periods
from app.plans.models import Plan
from app.reports.models import Report, ReportStatus
from app.reports.services import is_reportable
from app.text import vietnamese_sort_key

# A report's state, as the page names it: a state in ISSUES needs the district's attention.
ACCEPTED, LATE, WAITING, RETURNED, MISSING, NOT_DUE = "accepted", "late", "waiting", "returned", "missing", "not_due"
ISSUES = (MISSING, WAITING, RETURNED, LATE)
STATE_LABELS = {ACCEPTED: _l("accepted"), LATE: _l("late"), WAITING: _l("waiting for acceptance"),
                RETURNED: _l("returned"), MISSING: _l("missing"), NOT_DUE: _l("not due yet")}


def state_of(report: Report | None, deadline: date, today: date) -> str:
    """A draft counts as no report: the district sees nothing of it until it is submitted."""
    if report is None or report.status == ReportStatus.DRAFT:
        return MISSING if today > deadline else NOT_DUE
    if report.status == ReportStatus.SUBMITTED:
        return WAITING  # for the district to accept or return
    if report.status == ReportStatus.RETURNED:
        return RETURNED
    return LATE if report.late else ACCEPTED


@dataclass
class ReportCell:
    """One commune's report for one period: its state, the plan and report it links to, and
    whether a report waiting or returned was submitted late (`also_late`)."""

    unit_name: str
    period: str
    state: str
    plan_id: int
    report_id: int | None
    also_late: bool = False

    @property
    def label(self) -> str:
        """As a period's list names it: a report accepted late is just "late"."""
        label = str(STATE_LABELS[self.state])
        return f"{label}, {STATE_LABELS[LATE]}" if self.also_late else label

    @property
    def grid_label(self) -> str:
        """As the year's grid names it, beside reports on time: "accepted, late"."""
        return f"{STATE_LABELS[ACCEPTED]}, {STATE_LABELS[LATE]}" if self.state == LATE else self.label


def _cells(plan: Plan, unit_name: str, reports: dict[tuple[int, str], Report], today: date) -> list[ReportCell]:
    """The commune's reports for each period its plan asks for, in order."""
    template = plan.template
    cells = []
    for due in periods.periods_of_year(plan.year, template.report_period_type):
        report = reports.get((plan.id, due.id))
        state = state_of(report, due.deadline(template.report_deadline_days), today)
        # A draft is linked as no report is, to the plan's reports: a province viewer cannot open it.
        report_id = report.id if report is not None and report.status != ReportStatus.DRAFT else None
        cells.append(ReportCell(unit_name, due.id, state, plan.id, report_id,
                                also_late=state != LATE and report is not None and report.late))
    return cells


def commune_cells(plans: dict[int, Plan], names: dict[int, str], reports: dict[tuple[int, str], Report],
                  today: date) -> list[tuple[str, list[ReportCell]]]:
    """Each commune with a reportable plan, by name, with its reports for every period the
    plan asks for. `plans`: each commune's plan of the year by unit id; `names`: the communes'
    by unit id; `reports`: the plans' by (plan, period)."""
    found = [(names[unit_id], plan) for unit_id, plan in plans.items() if is_reportable(plan)]
    return [(unit_name, _cells(plan, unit_name, reports, today))
            for unit_name, plan in sorted(found, key=lambda pair: vietnamese_sort_key(pair[0]))]


def issues_of(communes: list[tuple[str, list[ReportCell]]], period_id: str) -> list[ReportCell]:
    """The reports needing attention for the period or, for a year, for each of its periods,
    by commune then period, from `commune_cells`."""
    period = periods.parse(period_id)
    return [cell for _unit_name, cells in communes for cell in cells
            if cell.state in ISSUES and (cell.period == period.id or period.type == "year")]


@dataclass
class GridRow:
    unit_name: str
    cells: dict[str, ReportCell]  # by period: a plan of another period type has none for some


@dataclass
class ReportGrid:
    periods: list[str]  # in order
    rows: list[GridRow]


def grid_of(communes: list[tuple[str, list[ReportCell]]]) -> ReportGrid | None:
    """Every commune's report for every period of the year (`commune_cells`), one row per
    commune; None when no commune is expected to report."""
    rows = [GridRow(unit_name, {cell.period: cell for cell in cells}) for unit_name, cells in communes]
    if not rows:
        return None
    found = {period_id for row in rows for period_id in row.cells}
    return ReportGrid(sorted(found, key=lambda period_id: periods.parse(period_id).start), rows)
