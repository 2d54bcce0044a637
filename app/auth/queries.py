from sqlalchemy import func
from sqlalchemy.orm import contains_eager

from app.auth.models import User
from app.extensions import db
from app.org_units.models import OrgUnit
from app.text import VIETNAMESE_COLLATION


def get_user(user_id: int) -> User | None:
    return db.session.execute(db.select(User).where(User.id == user_id)).scalar_one_or_none()


def users_in_scope() -> list[User]:
    """Every user the current scope may see, by unit then username, each with its unit (one
    query, not one per unit)."""
    statement = (
        db.select(User)
        .outerjoin(User.unit)
        .options(contains_eager(User.unit))
        # Higher levels first (shorter paths), then units in Vietnamese order.
        .order_by(func.length(OrgUnit.path), OrgUnit.name.collate(VIETNAMESE_COLLATION), User.username)
    )
    return list(db.session.execute(statement).scalars())


def assignable_units(manager: User) -> list[OrgUnit]:
    """The units a user manager may put users in: its own unit and everything below it."""
    statement = db.select(OrgUnit).order_by(OrgUnit.path)
    if manager.unit is not None:
        statement = statement.where(OrgUnit.path.startswith(manager.unit.path))
    return list(db.session.execute(statement).scalars())
