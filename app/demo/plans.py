"""The demo's plans: Như Xuân's published 2023 template, Bình Lương's plan carrying the seed's
text (approved: its leader submitted it and the district's officer approved it, so it has
reports, and the walk-through starts with an amendment) and other communes' plans at each
workflow stage. The content is in app/demo/nhu_xuan_2023.py.

Plans are made through the plan services, as the communes' users would make them, so their
versions and audit entries are real. Call in a system scope; flushes, the caller commits.
"""
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.audit import services as audit
from app.auth.models import User
from app.demo import history
from app.demo import nhu_xuan_2023 as content
from app.extensions import db
from app.org_units.models import OrgUnit
from app.org_units.queries import get_by_code
from app.plan_templates.models import (
    PeriodType,
    PlanTemplate,
    TemplateActivity,
    TemplateIndicator,
    TemplateSection,
    TemplateStatus,
)
from app.plans import services as plan_services
from app.plans.models import Plan
from app.plans.validation import ratio_value
from app.plans.workflow import Action

Targets = dict[str, int | Decimal | tuple[int, int]]
# The story's days: the template is the district's guidance of 10/4/2023 (its legal basis);
# a commune's plan is written in the days before the date its document bears, submitted that
# day and decided three days later; a draft was started in April, an amendment in July.
TEMPLATE_WRITTEN, TEMPLATE_PUBLISHED = history.at(date(2023, 4, 5), 2), history.at(date(2023, 4, 10), 3)
DRAFT_STARTED, AMENDED_ON = date(2023, 4, 18), date(2023, 7, 17)


def load_demo_plans(district: OrgUnit, username_of: Callable[[OrgUnit, str], str]) -> PlanTemplate | None:
    """Build everything once; None when the district already has its 2023 template.
    `username_of(unit, role)` names the demo user of a unit (`binhluong.editor`)."""
    if _template_of(district) is not None:
        return None
    template = build_template(district, _user(username_of(district, "officer")))
    binh_luong = _commune(content.BINH_LUONG_CODE)
    load_binh_luong_plan(template, {role: _user(username_of(unit, role)) for role, unit in (
        ("editor", binh_luong), ("leader", binh_luong), ("officer", district))})
    for spec in content.OTHER_COMMUNE_PLANS:
        commune = _commune(spec["commune"])
        load_commune_plan(template, spec, {role: _user(username_of(unit, role)) for role, unit in (
            ("editor", commune), ("leader", commune), ("officer", district))})
    db.session.flush()
    return template


def _template_of(district: OrgUnit) -> PlanTemplate | None:
    return db.session.execute(
        db.select(PlanTemplate).where(PlanTemplate.unit_id == district.id,
                                      PlanTemplate.year == content.YEAR)
    ).scalars().first()


def _user(username: str) -> User:
    return db.session.execute(db.select(User).where(User.username == username)).scalar_one()


def _commune(code: str) -> OrgUnit:
    commune = get_by_code(code)
    if commune is None:
        raise LookupError(f"the demo commune {code} is not imported")
    return commune


def template_text(seed_text: str) -> str:
    """The seed names Bình Lương where every commune's plan must name itself."""
    return seed_text.replace(content.SEED_COMMUNE, "{unit}")


def build_template(district: OrgUnit, officer: User) -> PlanTemplate:
    """The district's published 2023 template, from the seed's structure and texts."""
    template = PlanTemplate(
        unit=district, unit_id=district.id, year=content.YEAR, revision=1,
        status=TemplateStatus.PUBLISHED, published_at=TEMPLATE_PUBLISHED, created_at=TEMPLATE_WRITTEN,
        updated_at=TEMPLATE_PUBLISHED, created_by_id=officer.id,
        title=content.TITLE, legal_basis=content.LEGAL_BASIS,
        introduction=template_text(content.INTRODUCTION), closing=template_text(content.CLOSING),
        responsible_bodies="\n".join(content.RESPONSIBLE_BODIES),
        recipients="\n".join(content.RECIPIENTS),
        report_period_type=PeriodType.QUARTER, report_deadline_days=10,
    )
    template.sections = [
        TemplateSection(key=section["key"], position=position, level=section["level"],
                        heading=section["heading"], guidance=section["guidance"],
                        default_text=template_text("\n".join(section["paragraphs"])),
                        editable=section["editable"], unit_id=district.id)
        for position, section in enumerate(content.SECTIONS)
    ]
    template.activities = [
        TemplateActivity(position=position, unit_id=district.id, **activity)
        for position, activity in enumerate(content.TEMPLATE_ACTIVITIES)
    ]
    template.indicators = [
        TemplateIndicator(position=position, unit_id=district.id, **indicator)
        for position, indicator in enumerate(content.INDICATORS)
    ]
    db.session.add(template)
    db.session.flush()
    audit.record(district.id, audit.subject_of("template", template.id), "published", officer,
                 [{"field": "status", "before": TemplateStatus.DRAFT.value,
                   "after": TemplateStatus.PUBLISHED.value}])
    history.rewrite_log("template", template.id, {"published": TEMPLATE_PUBLISHED})
    return template


def target_changes(template: PlanTemplate, targets: Targets) -> list[dict]:
    """`targets` as update_plan takes them; a ratio indicator's target follows from its
    numerator's and denominator's (CB01 = 100 × CB02 ÷ CB03)."""
    changes: list[dict] = []
    for indicator in template.indicators:
        value = targets.get(indicator.code)
        if indicator.numerator_code in targets and indicator.denominator_code in targets:
            numerator, denominator = targets[indicator.numerator_code], targets[indicator.denominator_code]
            value = ratio_value(numerator, denominator)
        if isinstance(value, tuple):
            male, female = value
            changes += [{"indicator": indicator.code, "sex": "male", "value": male},
                        {"indicator": indicator.code, "sex": "female", "value": female},
                        {"indicator": indicator.code, "sex": None, "value": male + female}]
        elif value is not None:
            changes.append({"indicator": indicator.code, "sex": None, "value": value})
    return changes


def _sized(number: int, scale: Decimal) -> int:
    """Bình Lương's `number` for a commune `scale` times its size: sums of money in whole
    hundreds of thousands of đồng."""
    rounding = Decimal(100_000) if number >= 1_000_000 else Decimal(1)
    return int((number * scale / rounding).quantize(Decimal(1), ROUND_HALF_UP) * rounding)


def scaled_targets(template: PlanTemplate, scale: Decimal) -> Targets:
    """Bình Lương's targets sized for another commune, never below the district's minimum."""
    targets: Targets = {}
    for code, value in content.BINH_LUONG_TARGETS.items():
        minimum = template.indicator(code).minimum_target or 0
        if isinstance(value, tuple):
            male, female = (_sized(part, scale) for part in value)
            # Keep men + women at or above the minimum by adding the shortfall to women.
            targets[code] = (male, max(female, int(minimum) - male))
        else:
            targets[code] = max(_sized(value, scale), int(minimum))
    return targets


def load_binh_luong_plan(template: PlanTemplate, users: dict[str, User]) -> Plan:
    """The seed as a complete plan: its text, targets, document details and activities,
    submitted by the leader and approved by the officer (reports need an approved plan)."""
    editor = users["editor"]
    plan = plan_services.create_plan(template, _commune(content.BINH_LUONG_CODE), editor)
    sections = {section["key"]: "\n".join(section["paragraphs"])
                for section in content.SECTIONS if section["editable"]}
    plan_services.update_plan(plan, editor, plan.version, {
        "sections": sections, "targets": target_changes(template, content.BINH_LUONG_TARGETS),
        **content.BINH_LUONG_DOCUMENT,
    })
    schedule(plan, editor, content.BINH_LUONG_SCHEDULE)
    for activity in content.BINH_LUONG_OWN_ACTIVITIES:
        plan_services.add_activity(plan, editor, plan.version, activity)
    plan_services.perform(plan, Action.SUBMIT, users["leader"], plan.version)
    plan_services.perform(plan, Action.APPROVE, users["officer"], plan.version)
    backdate(plan, date.fromisoformat(content.BINH_LUONG_DOCUMENT["document_date"]))
    return plan


def schedule(plan: Plan, editor: User, details_by_name: dict[str, dict]) -> None:
    """Give the plan's activities from the template their months, partners and budget."""
    for name, details in details_by_name.items():
        activity = next((activity for activity in plan.activities if activity.name == name), None)
        if activity is None:
            raise LookupError(f"no activity of the template is called {name!r}")
        plan_services.update_activity(plan, activity, editor, plan.version, {
            "section_key": activity.section_key, "name": activity.name,
            "lead_body": activity.lead_body, **details})


def scaled_schedule(scale: Decimal) -> dict[str, dict]:
    """Bình Lương's schedule of the district's activities, with budgets sized for another
    commune: the same months and partners, as the district's guidance sets them."""
    return {name: {**details, "budget_vnd": _sized(details["budget_vnd"], scale)}
            for name, details in content.BINH_LUONG_SCHEDULE.items()}


def load_commune_plan(template: PlanTemplate, spec: dict, users: dict[str, User]) -> Plan:
    """Another commune's plan, taken to `spec["stage"]` by its own users and the officer."""
    editor, leader, officer = users["editor"], users["leader"], users["officer"]
    commune = _commune(spec["commune"])
    plan = plan_services.create_plan(template, commune, editor)
    stage = spec["stage"]
    if stage == "draft":
        backdate(plan, None)
        return plan
    plan_services.update_plan(plan, editor, plan.version, {
        "targets": target_changes(template, scaled_targets(template, Decimal(spec["scale"]))),
        "place": commune.short_name, **spec["document"]})
    schedule(plan, editor, scaled_schedule(Decimal(spec["scale"])))
    plan_services.perform(plan, Action.SUBMIT, leader, plan.version)
    if stage == "returned":
        plan_services.perform(plan, Action.RETURN, officer, plan.version, spec["comment"])
    if stage in ("approved", "amended"):
        plan_services.perform(plan, Action.APPROVE, officer, plan.version)
    if stage == "amended":
        plan_services.perform(plan, Action.AMEND, editor, plan.version)
        plan_services.update_plan(plan, editor, plan.version,
                                  {"targets": target_changes(template, spec["amendment"])})
    backdate(plan, date.fromisoformat(spec["document"]["document_date"]))
    return plan


def backdate(plan: Plan, signed_on: date | None) -> None:
    """Move the plan's steps, versions and log to their days in the story (`TEMPLATE_WRITTEN`
    and after), from the date its document bears (`signed_on`; None for a draft)."""
    if signed_on is None:
        when = {"created": history.at(DRAFT_STARTED, 2)}
    else:
        decided = history.at(signed_on + timedelta(days=3), 8, 10)
        when = {"created": history.at(signed_on - timedelta(days=9), 1, 15), "submit": history.at(signed_on, 2, 30),
                "approve": decided, "return": decided, "amend": history.at(AMENDED_ON, 3)}
    plan.created_at = when["created"]
    if plan.submitted_at is not None:
        plan.submitted_at = when["submit"]
    if plan.decided_at is not None:
        plan.decided_at = when["approve"]
    for version in plan.versions:
        version.created_at = plan.submitted_at
    plan.updated_at = history.rewrite_log("plan", plan.id, when)
    db.session.flush()
