"""Reads of templates. The tenant guard already limits rows to the user's subtree plus its
ancestors; here drafts are further hidden from everyone who may not author them (a commune
never sees its district's draft)."""
from sqlalchemy.orm import contains_eager

from app.auth.models import Role
from app.extensions import db
from app.org_units.models import OrgUnit
from app.org_units.queries import ancestors_of
from app.plan_templates.models import PlanTemplate, TemplateStatus

AUTHOR_ROLES = (Role.DISTRICT_OFFICER, Role.ADMIN)


def may_author(user, unit: OrgUnit) -> bool:
    """District officers author their own unit's templates; an admin those of its subtree
    (every unit, for a platform admin with no unit). `None` is the system (demo loader)."""
    if user is None:
        return True
    if user.has_role(Role.ADMIN):
        return user.unit is None or unit.path.startswith(user.unit.path)
    return user.has_role(Role.DISTRICT_OFFICER) and user.unit_id == unit.id


def visible_templates(user, year: int | None = None) -> list[PlanTemplate]:
    """Newest year first, then unit, then the latest revision first."""
    statement = db.select(PlanTemplate).join(PlanTemplate.unit).options(contains_eager(PlanTemplate.unit)).order_by(
        PlanTemplate.year.desc(), OrgUnit.path, PlanTemplate.revision.desc())
    if year is not None:
        statement = statement.where(PlanTemplate.year == year)
    if not user.has_role(*AUTHOR_ROLES):
        statement = statement.where(PlanTemplate.status == TemplateStatus.PUBLISHED)
    templates = db.session.execute(statement).scalars()
    return [template for template in templates if template.is_published or may_author(user, template.unit)]


def published_templates(year: int) -> list[PlanTemplate]:
    """Every published template of the year, in `visible_templates` order (for a task that
    reads as the district office, not as a user)."""
    statement = db.select(PlanTemplate).join(PlanTemplate.unit).options(contains_eager(PlanTemplate.unit)).where(
        PlanTemplate.year == year, PlanTemplate.status == TemplateStatus.PUBLISHED).order_by(
        OrgUnit.path, PlanTemplate.revision.desc())
    return list(db.session.execute(statement).scalars())


def get_template(template_id: int, user) -> PlanTemplate | None:
    """The template, or None when it is out of scope or a draft the user may not author."""
    # A query, not session.get(): the identity map would skip the tenant guard.
    template = db.session.execute(
        db.select(PlanTemplate).where(PlanTemplate.id == template_id)).scalar_one_or_none()
    if template is None or (not template.is_published and not may_author(user, template.unit)):
        return None
    return template


def templates_of(unit: OrgUnit, year: int) -> list[PlanTemplate]:
    """Every revision of the unit's template for the year, the latest first."""
    statement = (db.select(PlanTemplate)
                 .where(PlanTemplate.unit_id == unit.id, PlanTemplate.year == year)
                 .order_by(PlanTemplate.revision.desc()))
    return list(db.session.execute(statement).scalars())


def draft_of(unit: OrgUnit, year: int) -> PlanTemplate | None:
    return next((template for template in templates_of(unit, year) if not template.is_published), None)


def latest_published(unit: OrgUnit, year: int) -> PlanTemplate | None:
    """The unit's own latest published revision for the year."""
    statement = (db.select(PlanTemplate)
                 .where(PlanTemplate.unit_id == unit.id, PlanTemplate.year == year,
                        PlanTemplate.status == TemplateStatus.PUBLISHED)
                 .order_by(PlanTemplate.revision.desc()).limit(1))
    return db.session.execute(statement).scalar_one_or_none()


def published_for(unit: OrgUnit, year: int) -> PlanTemplate | None:
    """The template a commune writes its plan from: the latest published revision of its
    nearest ancestor that has one for the year (a district in the 2023 tree, a province
    after 2025), whatever the ancestor's level."""
    for ancestor in reversed(ancestors_of(unit)):
        template = latest_published(ancestor, year)
        if template is not None:
            return template
    return None


def copy_sources(user) -> list[PlanTemplate]:
    """Templates the user may copy into a new year (any revision), the newest first."""
    return [template for template in visible_templates(user) if may_author(user, template.unit)]
