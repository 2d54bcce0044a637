"""The rollups' completeness (`rollup_states`): per unit × period, the reports expected,
received (counted) and received on time, and when the unit's rollup was computed or asked for.
A communes' parent counts its communes' plans and reports; a unit above it adds up its
children's states. States are upserted: their `requested_at` belongs to `request_refresh`
(`mark_requested`). app/rollups/services.py and rebuild.py drive these statements, beside the
rows' (app/rollups/engine.py). The same SQL runs on SQLite and PostgreSQL."""
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import and_, case, exists, func, literal, or_, select, true, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import ColumnElement, Select, Subquery

from app import periods
from app.extensions import db
from app.org_units.models import Level
from app.plans.models import PlanStatus
from app.rollups.commune_figures import counted_reports_of
from app.rollups.engine import (
    PeriodClause,
    as_value,
    counted,
    plan_versions,
    plans,
    reports,
    states,
    templates,
    units,
)

STATE_COLUMNS = ["unit_id", "period", "expected", "received", "on_time", "computed_at"]
PERIODS_PER_YEAR = {"year": 1, "six_months": 2, "quarter": 4, "month": 12}


def reportable() -> ColumnElement:
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
        per_plan = _reports_a_year(templates.c.report_period_type)
        plan_type = true()
        report_period = plans.c.year == year
    else:
        per_plan = literal(1)
        plan_type = templates.c.report_period_type == period_type
        report_period = reports.c.period == period_id
    place = units.alias("place")
    expected = select(plans.c.unit_id, func.sum(per_plan).label("expected")).select_from(
        place.join(plans, plans.c.unit_id == place.c.id).join(templates, plans.c.template_id == templates.c.id)
    ).where(place_clause(place), plans.c.year == year, plan_type, reportable()).group_by(plans.c.unit_id).subquery()
    place = units.alias("reporting_place")
    received = select(
        reports.c.unit_id, func.count().label("received"), _on_time().label("on_time"),
    ).select_from(counted_reports_of(place)).where(
        place_clause(place), report_period, counted(),
    ).group_by(reports.c.unit_id).subquery()
    return select(
        units.c.id.label("unit_id"), as_value(period_id).label("period"),
        func.coalesce(expected.c.expected, 0).label("expected"),
        func.coalesce(received.c.received, 0).label("received"),
        func.coalesce(received.c.on_time, 0).label("on_time"), as_value(now).label("computed_at"),
    ).select_from(units.outerjoin(expected, expected.c.unit_id == units.c.id).outerjoin(
        received, received.c.unit_id == units.c.id)).where(
        place_clause(units), units.c.level == Level.COMMUNE)


def _reports_a_year(period_type: ColumnElement) -> ColumnElement:
    """How many reports a plan asks for in a year, by its template's period type."""
    return case(PERIODS_PER_YEAR, value=period_type, else_=1)


def _on_time() -> ColumnElement:
    """The number of reports not late, of a group of reports."""
    return func.sum(case((reports.c.late == true(), 0), else_=1))


def communes_parent_states(now, place_clause: Callable, period_id, is_year: bool | None = None,
                           year=None, period_type=None) -> Select:
    """The completeness of each parent of the communes chosen: theirs, summed."""
    communes = commune_states(now, place_clause, period_id, is_year, year, period_type).subquery("commune_state")
    commune = units.alias("state_commune")
    return select(
        commune.c.parent_id, as_value(period_id), func.sum(communes.c.expected), func.sum(communes.c.received),
        func.sum(communes.c.on_time), as_value(now),
    ).select_from(communes.join(commune, commune.c.id == communes.c.unit_id)).group_by(commune.c.parent_id)


def communes_parent_states_of_periods(now, place_clause: Callable, period_ids: list[str]) -> Select:
    """`communes_parent_states` of every period of `period_ids` at once, for a rebuild: the
    chosen communes' plans and reports are each read once, where a statement per period read
    them all again (the country: about 75 ms a period). Each parent has a row per period."""
    wanted = _periods_table(period_ids)
    expected, received = _expected_by_parent(place_clause, wanted), _received_by_parent(place_clause, wanted)
    parents = select(units.c.parent_id).distinct().where(
        place_clause(units), units.c.level == Level.COMMUNE).subquery("communes_parent")
    return select(
        parents.c.parent_id, wanted.c.period, func.coalesce(expected.c.expected, 0),
        func.coalesce(received.c.received, 0), func.coalesce(received.c.on_time, 0), as_value(now),
    ).select_from(parents.join(wanted, true()).outerjoin(expected, and_(
        expected.c.parent_id == parents.c.parent_id, expected.c.period == wanted.c.period)).outerjoin(received, and_(
            received.c.parent_id == parents.c.parent_id, received.c.period == wanted.c.period)))


def _periods_table(period_ids: list[str]) -> Subquery:
    """A row per period: its `period` id, its `year` and its `period_type`. A union of selects,
    not a VALUES list: SQLite cannot name a VALUES list's columns."""
    return union_all(*[
        select(literal(period.id).label("period"), literal(period.year).label("year"),
               literal(period.type).label("period_type")) for period in map(periods.parse, period_ids)
    ]).subquery("wanted_period")


def _expected_by_parent(place_clause: Callable, wanted: Subquery) -> Subquery:
    """Per parent and period of `wanted`, the reports its communes' reportable plans ask for, as
    `commune_states` counts them."""
    place = units.alias("place")
    plan_counts = select(
        place.c.parent_id, plans.c.year, templates.c.report_period_type, func.count().label("plans"),
    ).select_from(place.join(plans, plans.c.unit_id == place.c.id).join(
        templates, plans.c.template_id == templates.c.id)).where(
        place_clause(place), plans.c.year.in_(select(wanted.c.year)), reportable(),
    ).group_by(place.c.parent_id, plans.c.year, templates.c.report_period_type).subquery("plan_count")
    is_year = wanted.c.period_type == "year"
    per_plan = case((is_year, _reports_a_year(plan_counts.c.report_period_type)), else_=1)
    asked = and_(wanted.c.year == plan_counts.c.year,
                 or_(is_year, wanted.c.period_type == plan_counts.c.report_period_type))
    return select(plan_counts.c.parent_id, wanted.c.period, func.sum(plan_counts.c.plans * per_plan).label(
        "expected")).select_from(plan_counts.join(wanted, asked)).group_by(
        plan_counts.c.parent_id, wanted.c.period).subquery("expected")


def _received_by_parent(place_clause: Callable, wanted: Subquery) -> Subquery:
    """Per parent and period of `wanted`, its communes' counted reports and those on time, as
    `commune_states` counts them: a year counts every report of its plans."""
    place = units.alias("reporting_place")
    report_counts = select(
        place.c.parent_id, reports.c.period, plans.c.year, func.count().label("received"), _on_time().label("on_time"),
    ).select_from(counted_reports_of(place)).where(
        place_clause(place), plans.c.year.in_(select(wanted.c.year)), counted(),
    ).group_by(place.c.parent_id, reports.c.period, plans.c.year).subquery("report_count")
    of_period = or_(and_(wanted.c.period_type == "year", wanted.c.year == report_counts.c.year),
                    wanted.c.period == report_counts.c.period)
    return select(
        report_counts.c.parent_id, wanted.c.period, func.sum(report_counts.c.received).label("received"),
        func.sum(report_counts.c.on_time).label("on_time"),
    ).select_from(report_counts.join(wanted, of_period)).group_by(
        report_counts.c.parent_id, wanted.c.period).subquery("received")


def parent_states(now: datetime, child_clause: Callable, period_clause: PeriodClause) -> Select:
    """The completeness of each parent of the children chosen by `child_clause` (on a units
    alias), for the periods of `period_clause`: their stored states, summed."""
    child = units.alias("child")
    return select(
        child.c.parent_id, states.c.period, func.sum(states.c.expected), func.sum(states.c.received),
        func.sum(states.c.on_time), as_value(now),
    ).select_from(states.join(child, states.c.unit_id == child.c.id)).where(
        child_clause(child), period_clause(states.c.period),
    ).group_by(child.c.parent_id, states.c.period)


def _insert(dialect_name: str | None = None):
    """An INSERT into the states of the dialect named (None: the session's), which can upsert."""
    dialect = postgresql if (dialect_name or db.session.get_bind().dialect.name) == "postgresql" else sqlite
    return dialect.insert(states)


def upsert_states(rows: Select, dialect_name: str | None = None):
    """Insert or update completeness and `computed_at`, keeping `requested_at`."""
    statement = _insert(dialect_name).from_select(STATE_COLUMNS, rows)
    updated = STATE_COLUMNS[2:]
    statement = statement.on_conflict_do_update(
        index_elements=["unit_id", "period"], set_={name: statement.excluded[name] for name in updated})
    return statement


def mark_requested(unit_id: int, period_id: str, now: datetime) -> None:
    """Newer data is waiting for the unit × period (the row is made if missing)."""
    statement = _insert().values(unit_id=unit_id, period=period_id, expected=0, received=0, on_time=0,
                                 requested_at=now)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["unit_id", "period"], set_={"requested_at": statement.excluded.requested_at}))
