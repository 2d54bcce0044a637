"""Reading rollups, for the API and the comparison pages. The rows of the units above the
communes are stored; a commune's are read from its reports now (app/rollups/commune_figures.py),
as `CommuneRollup` and `CommuneState` records with the same attributes.

The tenant guard limits every ORM query to the reader's scope; read an ancestor's figures
inside a system scope. The communes' figures are read with Core SQL, which the guard does not
see: they are read only for units the caller loaded through the guard (or in a system scope)."""
import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Row, bindparam, func, or_
from sqlalchemy.orm import aliased

from app import periods
from app.database import one_snapshot, utcnow
from app.extensions import db
from app.org_units.models import Level, OrgUnit
from app.org_units.queries import children_of
from app.plan_templates.models import LabelledEnum, PlanTemplate
from app.plans.models import Plan
from app.rollups import commune_figures, completeness, engine, planner
from app.rollups.models import TOTAL, Rollup, RollupState, as_stored
from tenants import system_scope

_SEX_ORDER = {TOTAL: 0, "male": 1, "female": 2}
_ROW_FIELDS = [name for name in engine.ROLLUP_COLUMNS if name != "computed_at"]
# A stored row's columns, read as plain rows (the tenant guard limits them as it limits
# objects): building a province's thousands of Rollup objects took a tenth of its page.
_STORED_COLUMNS = [getattr(Rollup, name) for name in engine.ROLLUP_COLUMNS]


def figures_snapshot():
    """`one_snapshot` for reading rollups (a context manager, or a view's decorator), their
    table locked before anything is read. A rebuild of the whole tree empties it with TRUNCATE
    and drops its keys, one naming the units' table (`engine.rows_replaced`): a snapshot taken
    before that step commits would see no rollups, and a page that had read the units first
    would deadlock with the step, which holds the rollups while it waits for the units."""
    return one_snapshot(Rollup.__table__)


def _in_sex_order(rows: list) -> list:
    return sorted(rows, key=lambda row: (row.indicator_code, _SEX_ORDER.get(row.sex, 3)))


def _split(units: list[OrgUnit]) -> tuple[list[int], list[int]]:
    """The ids of the communes, and of the other units."""
    communes = [unit.id for unit in units if unit.level == Level.COMMUNE]
    others = [unit.id for unit in units if unit.level != Level.COMMUNE]
    return communes, others


@dataclass(frozen=True, slots=True)
class CommuneRollup:
    """A commune's row, read from its reports now: the columns of a stored `Rollup`."""

    unit_id: int
    period: str
    indicator_code: str
    sex: str
    aggregation: str
    value: Decimal | None
    value_sum: Decimal
    value_count: int
    value_min: Decimal | None
    value_max: Decimal | None
    numerator_sum: Decimal
    denominator_sum: Decimal
    reporting: int
    target: Decimal | None
    target_count: int
    computed_at: datetime


@dataclass(frozen=True, slots=True)
class CommuneState:
    """A commune's completeness, read now: never waiting for newer data."""

    unit_id: int
    period: str
    expected: int
    received: int
    on_time: int
    computed_at: datetime
    stale: bool = False


@functools.cache
def _commune_statement(is_year: bool):
    """The read of some communes' rows for a period or a year, built once: building it cost
    more than running it."""
    communes, period = bindparam("b_communes", expanding=True), bindparam("b_period")
    return commune_figures.commune_period_rows(
        lambda place: place.c.id.in_(communes),
        (lambda column: column.like(period)) if is_year else (lambda column: column == period), is_year)


def _commune_rows(commune_ids: list[int], period_id: str) -> list[CommuneRollup]:
    if not commune_ids:
        return []
    is_year = periods.is_year(period_id)
    now = utcnow()
    with planner.planned_as_written():
        rows = db.session.execute(_commune_statement(is_year), {
            "b_communes": commune_ids, "b_period": f"{period_id}%" if is_year else period_id}).mappings().all()
    return [CommuneRollup(**{name: as_stored(row[name]) for name in _ROW_FIELDS}, computed_at=now) for row in rows]


def rows_of_units(units: list[OrgUnit], period_id: str) -> list[Row | CommuneRollup]:
    """The rows of the units for the period, each with a stored `Rollup`'s columns as
    attributes: stored above the communes, read for communes."""
    communes, others = _split(units)
    stored = list(db.session.execute(db.select(*_STORED_COLUMNS).where(
        Rollup.unit_id.in_(others), Rollup.period == period_id)).all()) if others else []
    return stored + _commune_rows(communes, period_id)


def states_of_units(units: list[OrgUnit], period_id: str) -> dict[int, RollupState | CommuneState]:
    """Completeness and freshness of each unit for the period, by unit id (a unit above the
    communes that was never computed has none). A commune's is read now, so never stale."""
    communes, others = _split(units)
    found = {state.unit_id: state for state in db.session.execute(db.select(RollupState).where(
        RollupState.unit_id.in_(others), RollupState.period == period_id)).scalars()} if others else {}
    if communes:
        statement = completeness.commune_states(utcnow(), lambda place: place.c.id.in_(communes), period_id)
        for row in db.session.execute(statement).mappings():
            found[row["unit_id"]] = CommuneState(**row)
    return found


def rollup_rows(unit: OrgUnit, period_id: str) -> list[Row | CommuneRollup]:
    """The unit's rows for the period, by indicator code, the total before male and female."""
    return _in_sex_order(rows_of_units([unit], period_id))


def state_of(unit: OrgUnit, period_id: str) -> RollupState | CommuneState | None:
    """Completeness and freshness of the unit's rollups for the period."""
    return states_of_units([unit], period_id).get(unit.id)


def waiting_below(unit: OrgUnit, period_id: str) -> bool:
    """Newer data waits for the unit's figures of the period: at the unit or at any unit below
    it. Read across tenants: it is one yes or no about the unit's own total."""
    below = db.select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
    waiting = db.select(RollupState.id).where(
        RollupState.unit_id.in_(below), RollupState.period == period_id,
        or_(RollupState.computed_at.is_(None), RollupState.requested_at > RollupState.computed_at))
    with system_scope("whether any unit below one waits for newer figures"):
        return db.session.execute(db.select(waiting.exists())).scalar()


def overdue_refreshes(asked_before: datetime, limit: int) -> list[tuple[int, str]]:
    """The refreshes to send again for the stored rollups asked for before `asked_before` and
    not computed since, the oldest first: (a commune below the unit, the period). Its refresh
    recomputes the unit and every unit above it, and a shorter period's its year too. A unit
    with no commune below it has no refresh to send (a rebuild computes it), and is left out
    of the query, so that such units never fill `limit` before those that have one. Read in a
    system scope."""
    unit, commune = aliased(OrgUnit), aliased(OrgUnit)
    below_unit = (commune.path.startswith(unit.path), commune.level == Level.COMMUNE)
    overdue = db.session.execute(
        db.select(db.select(func.min(commune.id)).where(*below_unit).scalar_subquery(),
                  RollupState.unit_id, RollupState.period)
        .join(unit, unit.id == RollupState.unit_id)
        .where(RollupState.requested_at < asked_before,
               or_(RollupState.computed_at.is_(None), RollupState.requested_at > RollupState.computed_at),
               db.select(commune.id).where(*below_unit).exists())  # stops at the first commune
        .order_by(RollupState.requested_at).limit(limit)).all()
    years_with_shorter = {(unit_id, period_id[:4]) for _, unit_id, period_id in overdue
                          if not periods.is_year(period_id)}
    return list(dict.fromkeys(
        (commune_id, period_id) for commune_id, unit_id, period_id in overdue
        if (unit_id, period_id) not in years_with_shorter))


class Counted(LabelledEnum):
    """Which reports a unit's figures count: the setting of the templates that the plans below
    it follow (`PlanTemplate.rollup_includes_submitted`)."""

    ACCEPTED = "accepted", _l("Only the reports the district has accepted count.")
    SUBMITTED = "submitted", _l("Submitted reports count before the district accepts them.")
    BY_TEMPLATE = "by_template", _l(
        "Whether submitted reports count before they are accepted depends on the template each plan follows.")


def counted_below(unit: OrgUnit, year: int) -> Counted | None:
    """Which reports the unit's figures of the year count, by the templates that the plans at
    and below it follow (None: no plan yet). Read across tenants, as `waiting_below`: a
    commune's users read their district total's rule."""
    below = db.select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
    statement = db.select(PlanTemplate.rollup_includes_submitted).distinct().join(
        Plan, Plan.template_id == PlanTemplate.id).where(Plan.unit_id.in_(below), Plan.year == year)
    with system_scope("which reports a unit's own total counts"):
        includes_submitted = set(db.session.execute(statement).scalars())
    if len(includes_submitted) > 1:
        return Counted.BY_TEMPLATE
    return next((Counted.SUBMITTED if flag else Counted.ACCEPTED for flag in includes_submitted), None)


def children_rows(unit: OrgUnit, period_id: str) -> list[tuple[OrgUnit, Row | CommuneRollup]]:
    """The rows of the unit's children for the period, with their units, in Vietnamese name
    order, then by indicator code and sex."""
    children = children_of(unit)
    rows_of = defaultdict(list)
    for row in rows_of_units(children, period_id):
        rows_of[row.unit_id].append(row)
    return [(child, row) for child in children for row in _in_sex_order(rows_of[child.id])]


def children_states(unit: OrgUnit, period_id: str) -> list[tuple[OrgUnit, RollupState]]:
    """Completeness of each child for the period, in Vietnamese name order."""
    children = children_of(unit)
    states = states_of_units(children, period_id)
    return [(child, states[child.id]) for child in children if child.id in states]
