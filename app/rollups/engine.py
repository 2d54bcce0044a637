"""The set-based SQL of the rollup engine (app/rollups/services.py drives it).

Every statement works on a set of units at once, chosen by a `UnitClause` (a function that
limits a unit-id column): one commune and one period for a refresh, every commune or every
unit of one depth below a unit for a rebuild. Rows are replaced by DELETE then INSERT …
SELECT; states are upserted (their `requested_at` belongs to `request_refresh`). The same SQL
runs on SQLite and PostgreSQL.
"""
import hashlib
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    and_,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import ColumnElement, Select

from app import periods
from app.extensions import db
from app.org_units.models import Level, OrgUnit
from app.plan_templates.models import (
    Aggregation,
    PlanTemplate,
    TemplateIndicator,
    TimeAggregation,
)
from app.plans.models import Plan, PlanStatus, PlanTarget, PlanVersion
from app.reports.models import Report, ReportStatus, ReportValue
from app.rollups.models import AMOUNT, TOTAL, Rollup, RollupState

rollups = Rollup.__table__
states = RollupState.__table__
reports = Report.__table__
report_values = ReportValue.__table__
indicators = TemplateIndicator.__table__
plans = Plan.__table__
plan_targets = PlanTarget.__table__
plan_versions = PlanVersion.__table__
templates = PlanTemplate.__table__
units = OrgUnit.__table__

UnitClause = Callable[[ColumnElement], ColumnElement]
PeriodClause = Callable[[ColumnElement], ColumnElement]

ROLLUP_COLUMNS = ["unit_id", "period", "indicator_code", "sex", "aggregation", "value", "value_sum",
                  "value_count", "value_min", "value_max", "numerator_sum", "denominator_sum",
                  "reporting", "target", "computed_at"]
STATE_COLUMNS = ["unit_id", "period", "expected", "received", "on_time", "computed_at"]
PERIODS_PER_YEAR = {"year": 1, "six_months": 2, "quarter": 4, "month": 12}
# Taken shared by every refresh and exclusively by a rebuild (PostgreSQL only).
REBUILD_LOCK = ("rebuild", "")


def _value(value) -> ColumnElement:
    """A literal, or the bound parameter a cached statement takes it from."""
    return value if isinstance(value, ColumnElement) else literal(value)


def _amount(number) -> ColumnElement:
    """A decimal literal: on SQLite it makes a division real, not integer."""
    return literal(Decimal(number), AMOUNT)


def _percent_of(numerator: ColumnElement, denominator: ColumnElement) -> ColumnElement:
    return case((denominator != 0, _amount(100) * numerator / denominator), else_=None)


def _counted() -> ColumnElement:
    """Accepted reports count; submitted ones too when the template says so."""
    return or_(reports.c.status == ReportStatus.ACCEPTED.value,
               and_(reports.c.status == ReportStatus.SUBMITTED.value,
                    templates.c.rollup_includes_submitted == true()))


def _sex_key(column: ColumnElement) -> ColumnElement:
    return func.coalesce(column, TOTAL)


def _reports_of_plans():
    return reports.join(plans, reports.c.plan_id == plans.c.id).join(
        templates, plans.c.template_id == templates.c.id)


def _target_of(indicator_id: ColumnElement, sex: ColumnElement):
    return and_(plan_targets.c.plan_id == plans.c.id, plan_targets.c.indicator_id == indicator_id,
                _sex_key(plan_targets.c.sex) == sex)


# --- locks -----------------------------------------------------------------------------------

def lock_key(unit_id: int | str, period_id: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks."""
    digest = hashlib.blake2b(f"rollup:{unit_id}:{period_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def lock(unit_id: int | str, period_id: str, shared: bool = False) -> None:
    """Serialise the computations of one unit × period until the transaction ends. SQLite
    serialises writers by itself."""
    if _is_postgresql():
        function = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
        db.session.execute(select(function(lock_key(unit_id, period_id))))


def plan_as_written() -> None:
    """PostgreSQL: join in the order the statements are written (from the reports or the
    children of one unit), for the rest of the transaction. A refresh's statements each touch a
    few hundred rows, and searching every join order of ten tables took far longer (≈ 50 ms
    of planning) than running them."""
    if _is_postgresql():
        db.session.execute(text("SET LOCAL join_collapse_limit = 1"))
        db.session.execute(text("SET LOCAL from_collapse_limit = 1"))


def refresh_statistics() -> None:
    """PostgreSQL: after a rebuild replaced most rows, sample the tables again; with the old
    statistics the planner read a few children's rows by scanning every row."""
    if _is_postgresql():
        db.session.execute(text("ANALYZE rollups, rollup_states"))


# --- commune rows ----------------------------------------------------------------------------

def _reported_rows(now: datetime, unit_clause: UnitClause, period_clause: PeriodClause) -> Select:
    """A commune's figures as entered, one row per indicator × sex of its counted reports."""
    sex = _sex_key(report_values.c.sex)
    value = report_values.c.value
    source = _reports_of_plans().join(report_values, report_values.c.report_id == reports.c.id).join(
        indicators, report_values.c.indicator_id == indicators.c.id).outerjoin(
        plan_targets, _target_of(indicators.c.id, sex))
    return select(
        reports.c.unit_id, reports.c.period, indicators.c.code, sex, indicators.c.aggregation,
        value, value, literal(1), value, value, _amount(0), _amount(0), literal(1),
        plan_targets.c.value, _value(now),
    ).select_from(source).where(
        unit_clause(reports.c.unit_id), period_clause(reports.c.period), _counted(),
        indicators.c.aggregation != Aggregation.RATIO.value)


def _ratio_rows(now: datetime, unit_clause: UnitClause, period_clause: PeriodClause) -> Select:
    """A ratio at a commune: its numerator's and denominator's values (same sex), 100 × n ÷ d."""
    ratio = indicators.alias("ratio_indicator")
    numerator, denominator = indicators.alias("numerator_indicator"), indicators.alias("denominator_indicator")
    top, bottom = report_values.alias("numerator_value"), report_values.alias("denominator_value")
    sex = _sex_key(top.c.sex)
    value = _percent_of(top.c.value, bottom.c.value)
    source = _reports_of_plans().join(
        ratio, ratio.c.template_id == plans.c.template_id).join(
        numerator, and_(numerator.c.template_id == plans.c.template_id, numerator.c.code == ratio.c.numerator_code)).join(
        denominator, and_(denominator.c.template_id == plans.c.template_id,
                          denominator.c.code == ratio.c.denominator_code)).join(
        top, and_(top.c.report_id == reports.c.id, top.c.indicator_id == numerator.c.id)).join(
        bottom, and_(bottom.c.report_id == reports.c.id, bottom.c.indicator_id == denominator.c.id,
                     _sex_key(bottom.c.sex) == sex)).outerjoin(
        plan_targets, _target_of(ratio.c.id, sex))
    return select(
        reports.c.unit_id, reports.c.period, ratio.c.code, sex, ratio.c.aggregation,
        value, func.coalesce(value, 0), case((bottom.c.value != 0, 1), else_=0), value, value,
        top.c.value, bottom.c.value, literal(1), plan_targets.c.value, _value(now),
    ).select_from(source).where(
        unit_clause(reports.c.unit_id), period_clause(reports.c.period), _counted(),
        ratio.c.aggregation == Aggregation.RATIO.value,
        or_(top.c.sex.is_(None), ratio.c.disaggregation == "sex"))


def insert_commune_rows(now, unit_clause: UnitClause, period_clause: PeriodClause):
    """The communes' rows for their reports' periods (a year-type template's year included)."""
    rows = _reported_rows(now, unit_clause, period_clause).union_all(
        _ratio_rows(now, unit_clause, period_clause))
    return rollups.insert().from_select(ROLLUP_COLUMNS, rows)


def insert_commune_year_rows(now, unit_clause: UnitClause, year, year_id=None, year_prefix=None):
    """A commune's year from its periods' rows, by each indicator's time aggregation: `sum`
    adds the periods up, `last` copies the latest period that has a value. (`year_id` "2023"
    and `year_prefix` "2023%" are given as bound parameters with `year` in a cached statement.)"""
    year_id = str(year) if year_id is None else year_id
    year_prefix = f"{year}%" if year_prefix is None else year_prefix

    def in_year(table) -> ColumnElement:
        return and_(table.c.period.like(year_prefix), table.c.period != year_id)

    def time_aggregation_of(source):
        """`source` (rollups, maybe joined) with the commune's plan's indicator of each row."""
        return source.join(plans, and_(plans.c.unit_id == rollups.c.unit_id, plans.c.year == year)).join(
            indicators, and_(indicators.c.template_id == plans.c.template_id,
                             indicators.c.code == rollups.c.indicator_code))

    numerator, denominator = func.sum(rollups.c.numerator_sum), func.sum(rollups.c.denominator_sum)
    value = case((func.max(rollups.c.aggregation) == Aggregation.RATIO.value,
                  _percent_of(numerator, denominator)), else_=func.sum(rollups.c.value))
    summed = select(
        rollups.c.unit_id, _value(year_id), rollups.c.indicator_code, rollups.c.sex,
        func.max(rollups.c.aggregation), value, func.coalesce(value, 0),
        case((value.is_(None), 0), else_=1), value, value, numerator, denominator, literal(1),
        func.max(rollups.c.target), _value(now),
    ).select_from(time_aggregation_of(rollups)).where(
        unit_clause(rollups.c.unit_id), in_year(rollups),
        indicators.c.time_aggregation == TimeAggregation.SUM.value,
    ).group_by(rollups.c.unit_id, rollups.c.indicator_code, rollups.c.sex)

    earlier = rollups.alias("latest_rollup")
    latest = select(earlier.c.unit_id, earlier.c.indicator_code, earlier.c.sex,
                    func.max(earlier.c.period).label("period")).where(
        unit_clause(earlier.c.unit_id), in_year(earlier), earlier.c.value.is_not(None),
    ).group_by(earlier.c.unit_id, earlier.c.indicator_code, earlier.c.sex).subquery()
    copied = [rollups.c[name] for name in ROLLUP_COLUMNS[4:-1]]
    last = select(
        rollups.c.unit_id, _value(year_id), rollups.c.indicator_code, rollups.c.sex, *copied, _value(now),
    ).select_from(time_aggregation_of(rollups.join(latest, and_(
        latest.c.unit_id == rollups.c.unit_id, latest.c.indicator_code == rollups.c.indicator_code,
        latest.c.sex == rollups.c.sex, latest.c.period == rollups.c.period)))).where(
        indicators.c.time_aggregation == TimeAggregation.LAST.value)
    return rollups.insert().from_select(ROLLUP_COLUMNS, summed.union_all(last))


# --- parent rows -----------------------------------------------------------------------------

def insert_parent_rows(now, child_clause: Callable, period_clause: PeriodClause):
    """Each parent's rows from its children's: Σ, count, min, max, Σ numerator, Σ denominator,
    Σ reporting, Σ target; the value by the indicator's aggregation."""
    child = units.alias("child")
    aggregation = func.max(rollups.c.aggregation)
    value_sum, value_count = func.sum(rollups.c.value_sum), func.sum(rollups.c.value_count)
    numerator, denominator = func.sum(rollups.c.numerator_sum), func.sum(rollups.c.denominator_sum)
    value_min, value_max = func.min(rollups.c.value_min), func.max(rollups.c.value_max)
    value = case(
        (aggregation == Aggregation.AVERAGE.value,
         case((value_count > 0, value_sum * _amount(1) / value_count), else_=None)),
        (aggregation == Aggregation.MIN.value, value_min),
        (aggregation == Aggregation.MAX.value, value_max),
        (aggregation == Aggregation.RATIO.value, _percent_of(numerator, denominator)),
        else_=value_sum,  # sum and count_true
    )
    rows = select(
        child.c.parent_id, rollups.c.period, rollups.c.indicator_code, rollups.c.sex, aggregation,
        value, value_sum, value_count, value_min, value_max, numerator, denominator,
        func.sum(rollups.c.reporting), func.sum(rollups.c.target), _value(now),
    ).select_from(rollups.join(child, rollups.c.unit_id == child.c.id)).where(
        child_clause(child), period_clause(rollups.c.period),
    ).group_by(child.c.parent_id, rollups.c.period, rollups.c.indicator_code, rollups.c.sex)
    return rollups.insert().from_select(ROLLUP_COLUMNS, rows)


def delete_rows(unit_clause: UnitClause, period_clause: PeriodClause):
    return delete(rollups).where(unit_clause(rollups.c.unit_id), period_clause(rollups.c.period))


# --- completeness ----------------------------------------------------------------------------

def _reportable() -> ColumnElement:
    """Approved, or approved before and being amended now."""
    return or_(plans.c.status == PlanStatus.APPROVED.value, exists().where(
        plan_versions.c.plan_id == plans.c.id, plan_versions.c.status == PlanStatus.APPROVED.value))


def commune_states(now, place_clause: Callable, period_id, is_year: bool | None = None,
                   year=None, period_type=None) -> Select:
    """Per commune chosen by `place_clause` (on a units alias): reports expected (reportable
    plans asking for the period; for a year, the number of periods of the year they ask for),
    received (counted) and received on time. Every join starts from those communes, so a
    refresh reads their plans and reports only, whatever the size of the tree. (A cached
    statement gives `period_id`, `year` and `period_type` as bound parameters.)"""
    if is_year is None:
        period = periods.parse(period_id)
        is_year, year, period_type = period.type == "year", period.year, period.type
    if is_year:
        per_plan = case(PERIODS_PER_YEAR, value=templates.c.report_period_type, else_=1)
        plan_type = true()
        report_period = plans.c.year == year
    else:
        per_plan = literal(1)
        plan_type = templates.c.report_period_type == period_type
        report_period = reports.c.period == period_id
    place = units.alias("place")
    expected = select(plans.c.unit_id, func.sum(per_plan).label("expected")).select_from(
        place.join(plans, plans.c.unit_id == place.c.id).join(templates, plans.c.template_id == templates.c.id)
    ).where(place_clause(place), plans.c.year == year, plan_type, _reportable()).group_by(plans.c.unit_id).subquery()
    place = units.alias("reporting_place")
    received = select(
        reports.c.unit_id, func.count().label("received"),
        func.sum(case((reports.c.late == true(), 0), else_=1)).label("on_time"),
    ).select_from(place.join(reports, reports.c.unit_id == place.c.id).join(
        plans, reports.c.plan_id == plans.c.id).join(templates, plans.c.template_id == templates.c.id)).where(
        place_clause(place), report_period, _counted(),
    ).group_by(reports.c.unit_id).subquery()
    return select(
        units.c.id, _value(period_id), func.coalesce(expected.c.expected, 0),
        func.coalesce(received.c.received, 0), func.coalesce(received.c.on_time, 0), _value(now),
    ).select_from(units.outerjoin(expected, expected.c.unit_id == units.c.id).outerjoin(
        received, received.c.unit_id == units.c.id)).where(
        place_clause(units), units.c.level == Level.COMMUNE)


def parent_states(now: datetime, child_clause: Callable, period_clause: PeriodClause) -> Select:
    child = units.alias("child")
    return select(
        child.c.parent_id, states.c.period, func.sum(states.c.expected), func.sum(states.c.received),
        func.sum(states.c.on_time), _value(now),
    ).select_from(states.join(child, states.c.unit_id == child.c.id)).where(
        child_clause(child), period_clause(states.c.period),
    ).group_by(child.c.parent_id, states.c.period)


def upsert_states(rows: Select, dialect_name: str | None = None, keep_computed_at: bool = False):
    """Insert or update completeness and `computed_at`, keeping `requested_at`. A parent writes
    its communes' completeness with `keep_computed_at`: their figures were not recomputed, so
    one still waiting for its own refresh stays stale."""
    dialect = postgresql if (dialect_name or db.session.get_bind().dialect.name) == "postgresql" else sqlite
    statement = dialect.insert(states).from_select(STATE_COLUMNS, rows)
    updated = STATE_COLUMNS[2:-1] if keep_computed_at else STATE_COLUMNS[2:]
    statement = statement.on_conflict_do_update(
        index_elements=["unit_id", "period"], set_={name: statement.excluded[name] for name in updated})
    return statement


def mark_requested(unit_id: int, period_id: str, now: datetime) -> None:
    """Newer data is waiting for the unit × period (the row is made if missing)."""
    dialect = postgresql if _is_postgresql() else sqlite
    statement = dialect.insert(states).values(unit_id=unit_id, period=period_id, expected=0, received=0,
                                              on_time=0, requested_at=now)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["unit_id", "period"], set_={"requested_at": statement.excluded.requested_at}))
