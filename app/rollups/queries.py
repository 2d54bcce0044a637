"""Reading rollups, for the API and the comparison pages. The tenant guard limits every query
to the reader's scope; read an ancestor's figures inside a system scope."""
from sqlalchemy import or_

from app.extensions import db
from app.org_units.models import OrgUnit
from app.rollups.models import TOTAL, Rollup, RollupState
from app.text import VIETNAMESE_COLLATION
from tenants import system_scope

_SEX_ORDER = {TOTAL: 0, "male": 1, "female": 2}


def _in_sex_order(rows: list[Rollup]) -> list[Rollup]:
    return sorted(rows, key=lambda row: (row.indicator_code, _SEX_ORDER.get(row.sex, 3)))


def rollup_rows(unit: OrgUnit, period_id: str) -> list[Rollup]:
    """The unit's rows for the period, by indicator code, the total before male and female."""
    rows = db.session.execute(db.select(Rollup).where(
        Rollup.unit_id == unit.id, Rollup.period == period_id)).scalars()
    return _in_sex_order(list(rows))


def state_of(unit: OrgUnit, period_id: str) -> RollupState | None:
    """Completeness and freshness of the unit's rollups for the period."""
    return db.session.execute(db.select(RollupState).where(
        RollupState.unit_id == unit.id, RollupState.period == period_id)).scalar_one_or_none()


def waiting_below(unit: OrgUnit, period_id: str) -> bool:
    """Newer data waits for the unit's figures of the period: at the unit or at any unit below
    it, as a commune's own refresh may still be queued after a sibling's recomputed their
    district. Read across tenants: it is one yes or no about the unit's own total."""
    below = db.select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
    waiting = db.select(RollupState.id).where(
        RollupState.unit_id.in_(below), RollupState.period == period_id,
        or_(RollupState.computed_at.is_(None), RollupState.requested_at > RollupState.computed_at))
    with system_scope("whether any unit below one waits for newer figures"):
        return db.session.execute(db.select(waiting.exists())).scalar()


def children_rows(unit: OrgUnit, period_id: str) -> list[tuple[OrgUnit, Rollup]]:
    """The rows of the unit's children for the period, with their units, in Vietnamese name
    order, then by indicator code and sex."""
    statement = (
        db.select(OrgUnit, Rollup)
        .join(Rollup, Rollup.unit_id == OrgUnit.id)
        .where(OrgUnit.parent_id == unit.id, Rollup.period == period_id)
        .order_by(OrgUnit.name.collate(VIETNAMESE_COLLATION), OrgUnit.code, Rollup.indicator_code)
    )
    return _ordered([(unit, row) for unit, row in db.session.execute(statement)])


def _ordered(pairs: list[tuple[OrgUnit, Rollup]]) -> list[tuple[OrgUnit, Rollup]]:
    """Keep the database's unit order; within a unit, the total before male and female."""
    position = {}
    for unit, _row in pairs:
        position.setdefault(unit.id, len(position))
    return sorted(pairs, key=lambda pair: (position[pair[0].id], pair[1].indicator_code,
                                           _SEX_ORDER.get(pair[1].sex, 3)))


def children_states(unit: OrgUnit, period_id: str) -> list[tuple[OrgUnit, RollupState]]:
    """Completeness of each child for the period, in Vietnamese name order."""
    statement = (
        db.select(OrgUnit, RollupState)
        .join(RollupState, RollupState.unit_id == OrgUnit.id)
        .where(OrgUnit.parent_id == unit.id, RollupState.period == period_id)
        .order_by(OrgUnit.name.collate(VIETNAMESE_COLLATION), OrgUnit.code)
    )
    return [(unit, state) for unit, state in db.session.execute(statement)]
