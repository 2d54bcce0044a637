"""Comparing the units below one unit for a period: the table behind the compare page, its
charts and its XLSX export. Read from the rollups only (the engine computes them); names of
indicators come from the templates.

A supervising unit (district, province) compares its children against its own total. A commune
is shown alone beside its parent's total: its users never see their sibling communes.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from flask_babel import gettext as _

from app import periods
from app.extensions import db
from app.org_units.models import Level, OrgUnit
from app.org_units.queries import children_of
from app.plan_templates.models import Aggregation, TemplateIndicator, TimeAggregation
from app.plan_templates.queries import visible_templates
from app.plans.models import Plan
from app.plans.queries import readable
from app.reports.models import Report
from app.reports.services import is_reportable
from app.rollups import queries, timeliness
from app.rollups.models import TOTAL, Rollup, RollupState, target_of_value
from app.text import vietnamese_sort_key
from tenants import system_scope

SEX_ORDER = {TOTAL: 0, "female": 1, "male": 2}
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


class Band(NamedTuple):
    """A colour band of the percentage achieved: from `lowest` up to the next band's."""

    lowest: Decimal
    css_class: str  # in app.css, which paints it in `colour`
    colour: str


BANDS = [Band(Decimal(100), "achieved-met", "#a3cfbb"), Band(Decimal(80), "achieved-near", "#e2f4e8"),
         Band(Decimal(50), "achieved-mid", "#fff3cd"), Band(Decimal("-Infinity"), "achieved-low", "#f8d7da")]


def band_of(percent: Decimal | None) -> str | None:
    """The colour class of a percentage achieved."""
    if percent is None:
        return None
    return next(band.css_class for band in BANDS if percent >= band.lowest)


@dataclass(frozen=True)
class Column:
    code: str
    sex: str
    name: str
    measure_unit: str = ""
    position: int = 0
    # The part of the year's target due by the period's end (`due_share`): its colour compares
    # a percentage with it, so that a quarter a quarter of the way there is on track.
    due: Decimal = Decimal(1)

    @property
    def key(self) -> str:
        return f"{self.code}.{self.sex}"

    def due_of(self, target: Decimal | None) -> Decimal | None:
        """The part of `target` (the year's) due by the period's end."""
        return None if target is None else target * self.due

    def band(self, cell: "Cell") -> str | None:
        """The colour class of the cell against what is due by the period's end, from its
        figures rather than its rounded percentage: 1 of 12 in a month is on track, not 99.6 %."""
        if cell.percent is None:
            return None
        return band_of(HUNDRED * cell.value / self.due_of(cell.target))


def _months(period: periods.Period) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def due_share(period_id: str, report_period_type: str, today: date) -> Decimal:
    """The part of the year's target due by the period's end, for a figure added up over the
    year (sessions held): a quarter's figure a quarter of it; the year to date the part of the
    year that its reporting periods ended by `today` cover (the first one's while none has
    ended), and all of it once the year is over."""
    period = periods.parse(period_id)
    if period.type != "year":
        return Decimal(_months(period)) / 12
    year_periods = periods.periods_of_year(period.year, report_period_type)
    ended = sum(_months(part) for part in year_periods if part.end < today)
    return Decimal(max(ended, _months(year_periods[0]))) / 12


@dataclass(frozen=True, slots=True)
class Cell:
    value: Decimal | None = None
    target: Decimal | None = None
    # Computed with the cell: a page reads each of its cells' percentage up to three times (its
    # figure, its colour, its sorting).
    percent: Decimal | None = field(init=False, default=None)

    def __post_init__(self):
        if self.value is None or self.target is None or self.target <= 0:
            return
        percent = (HUNDRED * self.value / self.target).quantize(TENTH)
        if percent >= HUNDRED and self.value < self.target:
            # 100 (in the colour of a target met) only when it is met, as the chart draws it:
            # 31.818 of a target of 31.82 is 99.9, not 100.
            percent = HUNDRED - TENTH
        object.__setattr__(self, "percent", percent)


@dataclass
class Completeness:
    expected: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def percent(self) -> Decimal | None:
        if not self.expected:
            return None
        return (HUNDRED * self.received / self.expected).quantize(TENTH)


@dataclass
class Row:
    code: str
    name: str
    cells: dict[str, Cell]
    completeness: Completeness
    # The commune's plan and its report for the period, for the drill-down links.
    plan_id: int | None = None
    report_id: int | None = None
    is_commune: bool = False

    def cell(self, column: Column) -> Cell:
        return self.cells.get(column.key) or Cell()


@dataclass
class PlanGap:
    """A commune with no approved plan for the year (`plan`: its latest edition, if any): no
    report is expected of it, which is why its row has no figures."""

    unit_name: str
    plan: Plan | None


@dataclass
class Comparison:
    unit: OrgUnit  # whose total is in the header
    period: str
    columns: list[Column]
    rows: list[Row]
    totals: Row
    computed_at: datetime | None
    stale: bool
    issues: list[timeliness.ReportCell] = field(default_factory=list)
    # Set when one commune is shown beside its parent's total.
    focus: OrgUnit | None = None
    counted: queries.Counted | None = None
    without_plan: list[PlanGap] = field(default_factory=list)
    report_grid: timeliness.ReportGrid | None = None  # for a year of communes expected to report

    @property
    def report_grid_title(self) -> str:
        year = self.period[:4]
        if self.focus is not None:
            return _("The commune's reports in %(year)s", year=year)
        return _("Each commune's reports in %(year)s", year=year)


def total_unit_of(unit: OrgUnit) -> OrgUnit:
    """A commune is compared with its parent's total; any other unit with its own."""
    if unit.level == Level.COMMUNE and unit.parent is not None:
        return unit.parent
    return unit


def period_choices(unit: OrgUnit) -> list[str]:
    """The periods with rollups at the unit, and their years: the year first, then the newest."""
    total = total_unit_of(unit)
    with system_scope("the periods of a commune's parent total"):
        found = set(db.session.execute(
            db.select(RollupState.period).where(RollupState.unit_id == total.id)).scalars())
        found |= set(db.session.execute(
            db.select(Rollup.period).where(Rollup.unit_id == total.id).distinct()).scalars())
    ids = {period_id for period_id in found if periods.is_period(period_id)}
    ids |= {str(periods.parse(period_id).year) for period_id in ids}

    def newest_first(period_id: str):
        period = periods.parse(period_id)
        return period.year, period.type == "year", period.start

    return sorted(ids, key=newest_first, reverse=True)


def build(unit: OrgUnit, period_id: str, user, today: date | None = None) -> Comparison:
    """The comparison at `unit` for the period, as `user` may see it."""
    return build_from(unit, period_id, visible_templates(user, periods.parse(period_id).year), today)


def build_from(unit: OrgUnit, period_id: str, templates: list, today: date | None = None) -> Comparison:
    """The comparison at `unit` for the period, its columns named from `templates` (the
    ones the reader may see, newest revision first among equals as `visible_templates`)."""
    total = total_unit_of(unit)
    is_focus = total is not unit
    children = [unit] if is_focus else children_of(unit)

    found = children_rows(children, period_id)
    # A commune user may not read its district's rows through the guard: only its total is read.
    with system_scope("a unit's own total, shown beside one of its children"):
        total_rollups = queries.rows_of_units([total], period_id)
        total_state = queries.state_of(total, period_id)

    columns = _columns(total, templates, [*found.rollups, *total_rollups], period_id, today or periods.local_today())
    totals = Row(code=total.code, name=total.name, cells=_cells(total_rollups),
                 completeness=_completeness(total_state))
    computed = [rollup.computed_at for rollup in total_rollups]
    computed_at = (total_state.computed_at if total_state and total_state.computed_at
                   else max(computed, default=None))
    stale = queries.waiting_below(total, period_id)
    communes = found.report_cells(children, today or periods.local_today())
    issues = timeliness.issues_of(communes, period_id)
    of_communes = _are_communes(children)
    grid = timeliness.grid_of(communes) if of_communes and periods.is_year(period_id) else None
    return Comparison(unit=total, period=period_id, columns=columns, rows=found.rows, totals=totals,
                      computed_at=computed_at, stale=stale, issues=issues, focus=unit if is_focus else None,
                      counted=queries.counted_below(total, periods.parse(period_id).year),
                      without_plan=_plan_gaps(children, found.plans) if of_communes else [], report_grid=grid)


@dataclass
class ChildrenRows:
    """`children_rows`: the children's rows, the rollups they were made from, and for communes
    each one's plan of the year (by unit id) and the plans' reports (by plan and period)."""

    rows: list[Row]
    rollups: list
    plans: dict[int, Plan]
    reports: dict[tuple[int, str], Report]

    def report_cells(self, communes: list[OrgUnit], today: date) -> list[tuple[str, list[timeliness.ReportCell]]]:
        """`timeliness.commune_cells` of some of the communes."""
        ids = {commune.id for commune in communes}
        return timeliness.commune_cells({unit_id: plan for unit_id, plan in self.plans.items() if unit_id in ids},
                                        {commune.id: commune.short_name for commune in communes}, self.reports, today)


def children_rows(children: list[OrgUnit], period_id: str) -> ChildrenRows:
    """A row per child for the period, in the children's order: its figures, its completeness
    and, for a commune, its plan and report. Read at once for every child given: a province's
    report reads all its communes, of every district, this way."""
    child_rollups = queries.rows_of_units(children, period_id)
    child_states = queries.states_of_units(children, period_id)
    of_communes = _are_communes(children)
    plans, reports = _plans_and_reports(children, periods.parse(period_id).year) if of_communes else ({}, {})
    rollups_of = defaultdict(list)
    for rollup in child_rollups:
        rollups_of[rollup.unit_id].append(rollup)
    rows = []
    for child in children:
        plan = plans.get(child.id)
        report = reports.get((plan.id, period_id)) if plan else None
        rows.append(Row(
            code=child.code, name=child.short_name, cells=_cells(rollups_of[child.id]),
            completeness=_completeness(child_states.get(child.id)),
            plan_id=plan.id if plan else None, report_id=report.id if report else None,
            is_commune=child.level == Level.COMMUNE))
    return ChildrenRows(rows, child_rollups, plans, reports)


def sort_rows(rows: list[Row], columns: list[Column], sort: str, descending: bool) -> list[Row]:
    """Sort by `name`, `completeness`, a column key (its value) or `<key>.percent`;
    names in Vietnamese order, empty numbers last whichever the direction."""
    if sort == "name" or not sort:
        return sorted(rows, key=lambda row: vietnamese_sort_key(row.name), reverse=descending)
    keys = {column.key for column in columns}
    if sort == "completeness":
        def number(row: Row):
            return row.completeness.percent
    elif sort in keys:
        def number(row: Row):
            return row.cells[sort].value if sort in row.cells else None
    elif sort.endswith(".percent") and sort.removesuffix(".percent") in keys:
        key = sort.removesuffix(".percent")

        def number(row: Row):
            return row.cells[key].percent if key in row.cells else None
    else:
        return sort_rows(rows, columns, "name", descending)
    by_name = sorted(rows, key=lambda row: vietnamese_sort_key(row.name))
    known = [row for row in by_name if number(row) is not None]
    unknown = [row for row in by_name if number(row) is None]
    return sorted(known, key=number, reverse=descending) + unknown


def is_sort_key(sort: str, columns: list[Column]) -> bool:
    keys = {column.key for column in columns}
    return sort in {"name", "completeness"} or sort in keys or sort.removesuffix(".percent") in keys


def _are_communes(units: list[OrgUnit]) -> bool:
    return bool(units) and all(unit.level == Level.COMMUNE for unit in units)


def _cells(rollups) -> dict[str, Cell]:
    return {f"{rollup.indicator_code}.{rollup.sex}": Cell(rollup.value, target_of_value(rollup)) for rollup in rollups}


def _completeness(state: RollupState | None) -> Completeness:
    if state is None:
        return Completeness()
    return Completeness(state.expected, state.received, state.on_time)


def _columns(total: OrgUnit, templates: list, rollups, period_id: str, today: date) -> list[Column]:
    """One column per indicator and sex found, named from the latest template of the year, with
    the part of its target due by the period's end: a figure added up over the year (its time
    aggregation a sum, not a ratio) owes its share of the year; any other (a share of women,
    a ratio, a latest count) its whole target in every period."""
    related = [template for template in templates
               if total.path.startswith(template.unit.path) or template.unit.path.startswith(total.path)]
    # The latest revision names an indicator; among equal revisions, the higher unit's template.
    rank = {template.id: rank for rank, template in enumerate(sorted(related, key=lambda template: -template.revision))}
    pairs = {(rollup.indicator_code, rollup.sex) for rollup in rollups}
    # Plain rows of the indicators found: loading every indicator of a province's templates as
    # objects took about 5 ms of its page.
    found = db.session.execute(db.select(
        TemplateIndicator.template_id, TemplateIndicator.code, TemplateIndicator.name, TemplateIndicator.measure_unit,
        TemplateIndicator.position, TemplateIndicator.aggregation, TemplateIndicator.time_aggregation,
    ).where(TemplateIndicator.template_id.in_(list(rank)),
            TemplateIndicator.code.in_(sorted({code for code, _sex in pairs})))).all()
    indicators = {}
    for indicator in sorted(found, key=lambda indicator: (rank[indicator.template_id], indicator.position)):
        indicators.setdefault(indicator.code, indicator)
    period_types = {template.id: template.report_period_type for template in related}
    columns = []
    for code, sex in pairs:
        indicator = indicators.get(code)
        added_up = (indicator is not None and indicator.time_aggregation == TimeAggregation.SUM
                    and indicator.aggregation != Aggregation.RATIO)
        columns.append(Column(code=code, sex=sex, name=indicator.name if indicator else code,
                              measure_unit=indicator.measure_unit if indicator else "",
                              position=indicator.position if indicator else 10_000,
                              due=due_share(period_id, period_types[indicator.template_id], today) if added_up
                              else Decimal(1)))
    return sorted(columns, key=lambda column: (column.position, column.code, SEX_ORDER.get(column.sex, 9)))


def _plans_and_reports(communes: list[OrgUnit], year: int) -> tuple[dict[int, Plan], dict[tuple[int, str], Report]]:
    """Each commune's latest plan edition of the year, and every report of those plans by
    (plan, period): read once for the rows' links and for the issues."""
    plans: dict[int, Plan] = {}
    statement = readable(db.select(Plan)).where(Plan.unit_id.in_([unit.id for unit in communes]), Plan.year == year) \
        .order_by(Plan.edition)
    for plan in db.session.execute(statement).scalars():
        plans[plan.unit_id] = plan
    reports = {(report.plan_id, report.period): report for report in db.session.execute(
        db.select(Report).where(Report.plan_id.in_([plan.id for plan in plans.values()]))).scalars()}
    return plans, reports


def _plan_gaps(communes: list[OrgUnit], plans: dict[int, Plan]) -> list[PlanGap]:
    """The communes whose plan of the year is missing or not approved, by name."""
    gaps = [PlanGap(unit.short_name, plans.get(unit.id)) for unit in communes
            if unit.id not in plans or not is_reportable(plans[unit.id])]
    return sorted(gaps, key=lambda gap: vietnamese_sort_key(gap.unit_name))
