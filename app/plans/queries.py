"""Reads for the plan pages. The tenant guard limits every query to the user's scope, so a
plan outside it is simply not found."""
from flask import has_request_context
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_
from sqlalchemy.orm import contains_eager

from app.auth.models import Role
from app.auth.sessions import request_user
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates.models import PlanTemplate, TemplateStatus
from app.plan_templates.queries import published_for
from app.plans.models import Plan, PlanActivity, PlanStatus, PlanVersion
from app.text import VIETNAMESE_COLLATION


def drafts_hidden() -> bool:
    """DESIGN.md: a province viewer reads what the communes have sent, not their drafts (a
    commune's own work until its leader submits it); everyone else in scope reads both."""
    return has_request_context() and getattr(request_user(), "role", None) == Role.PROVINCE_VIEWER.value


def readable(statement):
    """`statement` of plans without those its reader may not read: for a province viewer, a
    plan never submitted (a first edition still a draft). An amendment being written keeps its
    plan readable: its reports were received."""
    if drafts_hidden():
        return statement.where(or_(Plan.status != PlanStatus.DRAFT, Plan.edition > 1))
    return statement


def get_plan(plan_id: int) -> Plan | None:
    # A query, not session.get(): the identity map would skip the tenant guard.
    return db.session.execute(readable(db.select(Plan).where(Plan.id == plan_id))).scalar_one_or_none()


def get_activity(plan: Plan, activity_id: int) -> PlanActivity | None:
    return db.session.execute(
        db.select(PlanActivity).where(PlanActivity.plan_id == plan.id, PlanActivity.id == activity_id)
    ).scalar_one_or_none()


def get_version(plan: Plan, number: int) -> PlanVersion | None:
    return db.session.execute(
        db.select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number)
    ).scalar_one_or_none()


def plans_of_unit(unit: OrgUnit) -> list[Plan]:
    return list(db.session.execute(
        readable(db.select(Plan).where(Plan.unit_id == unit.id)).order_by(Plan.year.desc())
    ).scalars())


def plans_statement(year: int | None = None, status: str | None = None, unit_code: str | None = None):
    """Every plan the user may read (the guard limits them to the communes below the user),
    newest year first, then by commune name in Vietnamese order. Each plan comes with its
    commune, which the lists show (one query, not one per plan)."""
    statement = readable(db.select(Plan)).join(Plan.unit).options(contains_eager(Plan.unit))
    if year is not None:
        statement = statement.where(Plan.year == year)
    if status:
        statement = statement.where(Plan.status == status)
    if unit_code:
        statement = statement.where(OrgUnit.code == unit_code)
    return statement.order_by(Plan.year.desc(), OrgUnit.name.collate(VIETNAMESE_COLLATION), Plan.id)


def page_of_plans(number: int, per_page: int, last_when_beyond: bool = False, **filters) -> Pagination:
    """Page `number` of `plans_statement(**filters)`, with how many there are in all (the
    guard limits the count as it limits the rows). Past the last page: an empty page, or the
    last page with `last_when_beyond` (for a person following an older link)."""
    found = db.paginate(plans_statement(**filters), page=number, per_page=per_page, error_out=False)
    if last_when_beyond and not found.items and number > found.pages > 0:
        found = db.paginate(plans_statement(**filters), page=found.pages, per_page=per_page, error_out=False)
    return found


def count_waiting(year: int | None = None, status: str | None = None) -> int:
    """How many of the plans the filters choose wait for review (on every page)."""
    if status not in (None, PlanStatus.SUBMITTED):
        return 0
    statement = plans_statement(year, PlanStatus.SUBMITTED).order_by(None)
    return db.session.execute(statement.with_only_columns(db.func.count(Plan.id))).scalar_one()


def plan_years() -> list[int]:
    return list(db.session.execute(readable(db.select(Plan.year)).distinct().order_by(Plan.year.desc())).scalars())


def available_templates(commune: OrgUnit) -> list[PlanTemplate]:
    """Per year, the template the commune writes its plan from (see `published_for`), for
    the years it has no plan yet; the newest year first."""
    years = db.session.execute(
        db.select(PlanTemplate.year).where(PlanTemplate.status == TemplateStatus.PUBLISHED)
        .distinct().order_by(PlanTemplate.year.desc())
    ).scalars()
    planned_years = set(db.session.execute(db.select(Plan.year).where(Plan.unit_id == commune.id)).scalars())
    templates = (published_for(commune, year) for year in years if year not in planned_years)
    return [template for template in templates if template is not None]
