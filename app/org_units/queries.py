"""Reads of the org-unit tree. Every query here is limited to the current tenant scope."""
from sqlalchemy import func

from app.extensions import db
from app.org_units.models import Level, OrgUnit
from app.text import VIETNAMESE_COLLATION
from tenants import Scope

SORTABLE_COLUMNS = {
    "name": OrgUnit.name.collate(VIETNAMESE_COLLATION),
    "code": OrgUnit.code,
    "type": OrgUnit.division_type.collate(VIETNAMESE_COLLATION),
}


def get_by_code(code: str) -> OrgUnit | None:
    return db.session.execute(db.select(OrgUnit).where(OrgUnit.code == code)).scalar_one_or_none()


def children_of(unit: OrgUnit | None, sort: str = "name", descending: bool = False) -> list[OrgUnit]:
    """The visible children of `unit` (the visible roots when `unit` is None), sorted."""
    order = SORTABLE_COLUMNS.get(sort, SORTABLE_COLUMNS["name"])
    order = order.desc() if descending else order.asc()
    parent_clause = OrgUnit.parent_id.is_(None) if unit is None else OrgUnit.parent_id == unit.id
    statement = db.select(OrgUnit).where(parent_clause).order_by(order, OrgUnit.code)
    return list(db.session.execute(statement).scalars())


def children_by_parent(units: list[OrgUnit]) -> dict[int, list[OrgUnit]]:
    """The visible children of each of `units`, by parent id, in one query, sorted by name as
    `children_of` sorts them."""
    children: dict[int, list[OrgUnit]] = {unit.id: [] for unit in units}
    statement = db.select(OrgUnit).where(OrgUnit.parent_id.in_(children)).order_by(
        SORTABLE_COLUMNS["name"].asc(), OrgUnit.code)
    for child in db.session.execute(statement).scalars():
        children[child.parent_id].append(child)
    return children


def count_below(unit: OrgUnit, level: str) -> int:
    statement = (
        db.select(func.count())
        .select_from(OrgUnit)
        .where(OrgUnit.path.startswith(unit.path), OrgUnit.level == level)
    )
    return db.session.execute(statement).scalar_one()


def supervises_communes(unit: OrgUnit) -> bool:
    """A district, or a province with communes directly under it: the tree after 1 July 2025
    has no districts (DESIGN.md)."""
    if unit.level == Level.DISTRICT:
        return True
    commune_child = db.select(OrgUnit.id).where(OrgUnit.parent_id == unit.id, OrgUnit.level == Level.COMMUNE)
    return unit.level == Level.PROVINCE and db.session.execute(db.select(commune_child.exists())).scalar()


def ancestors_of(unit: OrgUnit) -> list[OrgUnit]:
    """From the root down to the unit's parent."""
    codes = unit.ancestor_codes
    if not codes:
        return []
    rows = db.session.execute(db.select(OrgUnit).where(OrgUnit.code.in_(codes))).scalars()
    by_code = {row.code: row for row in rows}
    return [by_code[code] for code in codes if code in by_code]


def scope_of(unit: OrgUnit, label: str) -> Scope:
    """The scope of a user at home in `unit`: its subtree, plus its ancestors for reading.

    Call it in a system scope: it must see the whole subtree to describe it.
    """
    # A table alias of its own: the guard writes these subqueries into queries of org_units
    # too, where a second `org_units` could be taken for the outer query's (correlated).
    units = OrgUnit.__table__.alias("scope_unit")
    in_subtree = units.c.path.startswith(unit.path)
    subtree = db.select(units.c.id).where(in_subtree)
    ancestor_ids = db.session.execute(
        db.select(units.c.id).where(units.c.code.in_(unit.ancestor_codes))
    ).scalars().all()
    return Scope.for_subtree(
        label, db.session.execute(subtree).scalars(), ancestor_ids, subtree_query=subtree,
        readable_query=db.select(units.c.id).where(in_subtree | units.c.id.in_(ancestor_ids)),
    )
