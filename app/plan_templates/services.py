"""Every write to a template as a whole: creation, details, publication, revisions and copies
(its sections, activities and indicators are in content_services.py). Each write checks the author and the version the writer
read, refuses any change to a published template (but which reports its rollups count),
records itself in the audit log and flushes; the request (or the demo loader) commits."""
from flask_babel import gettext as _

from app import periods
from app.audit import services as audit
from app.database import utcnow
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates import queries, validation
from app.plan_templates.models import (
    Aggregation,
    PlanTemplate,
    TemplateActivity,
    TemplateIndicator,
    TemplateSection,
    TemplateStatus,
)
from app.plan_templates.validation import TemplateError, TemplateLocked
from app.rollups import services as rollups
from app.task_runs.models import TaskRun
from app.versioning import check_version

__all__ = ["TemplateError", "TemplateLocked", "TemplateRefused", "create_template", "build_template",
           "update_template", "set_counted_reports", "publish", "new_revision", "copy_to_year"]

INDICATOR_FIELDS = ("code", "name", "measure_unit", "value_type", "aggregation", "numerator_code",
                    "denominator_code", "disaggregation", "time_aggregation", "minimum_target")
COUNTING_FIELD = "rollup_includes_submitted"


class TemplateRefused(Exception):
    """The user's role, or home unit, may never author this template (403)."""

    status = 403

    def __init__(self):
        self.message = _("Only the officers of the template's unit may change it.")
        super().__init__(self.message)


def record(template: PlanTemplate, action: str, user, changes=(), comment: str = "") -> None:
    audit.record(template.unit_id, audit.subject_of("template", template.id), action, user,
                 [{**change, **{key: _plain(change.get(key)) for key in ("before", "after")}}
                  for change in changes], comment=comment)


def _plain(value):
    return str(value) if value is not None and not isinstance(value, (str, int, bool)) else value


def require_author(user, unit: OrgUnit) -> None:
    if not queries.may_author(user, unit):
        raise TemplateRefused()


def require_writable(template: PlanTemplate, user, expected_version) -> None:
    require_author(user, template.unit)
    check_version(template, expected_version)
    if template.is_published:
        raise TemplateLocked()


def touch(template: PlanTemplate) -> None:
    # Any write raises the template's version, even one that only changed a child row.
    template.updated_at = utcnow()


def raise_if(errors: dict) -> None:
    if errors:
        raise TemplateError(errors)


def _check_unused_year(unit: OrgUnit, year: int, errors: dict) -> None:
    if queries.templates_of(unit, year):
        errors["year"] = _("%(unit)s already has a template for %(year)s. Open it and make a new revision "
                           "instead.", unit=unit.name, year=year)


def create_template(unit: OrgUnit, year, user, data: dict) -> PlanTemplate:
    """A draft, revision 1, of the unit's template for `year` with the details in `data`."""
    return build_template(unit, year, user, {key: value for key, value in data.items()
                                             if key not in ("sections", "activities", "indicators")})


def build_template(unit: OrgUnit, year, user, data: dict) -> PlanTemplate:
    """A whole draft template from a nested dict (the API's shape, with the model's field
    names), every problem reported at once."""
    require_author(user, unit)
    if not isinstance(data, dict):
        raise TemplateError({"": _("Send a JSON object.")})
    errors: dict[str, str] = {}
    clean_year = validation.clean_year(year, errors)
    details = validation.clean_details(data, errors, creating=True)
    sections, activities, indicators = _clean_children(data, errors)
    if clean_year is not None and "year" not in errors:
        _check_unused_year(unit, clean_year, errors)
    raise_if(errors)
    template = PlanTemplate(unit=unit, unit_id=unit.id, year=clean_year, revision=1,
                            status=TemplateStatus.DRAFT, created_by_id=getattr(user, "id", None), **details)
    template.sections = [TemplateSection(position=position, unit_id=unit.id, **section)
                         for position, section in enumerate(sections)]
    template.activities = [TemplateActivity(position=position, unit_id=unit.id, **activity)
                           for position, activity in enumerate(activities)]
    template.indicators = [TemplateIndicator(position=position, unit_id=unit.id, **indicator)
                           for position, indicator in enumerate(indicators)]
    db.session.add(template)
    db.session.flush()
    record(template, "created", user, [{"field": "status", "before": None, "after": template.status}])
    return template


def _list(data: dict, name: str, errors: dict) -> list:
    items = data.get(name) or []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        errors[name] = _("Send a list of objects.")
        return []
    return items


def _clean_children(data: dict, errors: dict) -> tuple[list, list, list]:
    sections, taken = [], set()
    for index, item in enumerate(_list(data, "sections", errors)):
        clean = validation.clean_section(item, errors, f"sections.{index}.")
        key = item.get("key")
        if key in (None, ""):
            key = validation.unique_key(clean["heading"], taken)
        elif not isinstance(key, str) or not validation.KEY_PATTERN.match(key) or len(key) > validation.KEY_LENGTH:
            errors[f"sections.{index}.key"] = _("Use lowercase letters, digits and dashes (at most 40).")
            key = ""  # reported; what was sent (a number, a list…) is not a key to compare with
        elif key in taken:
            errors[f"sections.{index}.key"] = _("Another section already has this key.")
        taken.add(key)
        sections.append({"key": key, **clean})
    if problem := validation.structure_problem([section.get("level") for section in sections]):
        errors["sections.0.level"] = problem
    areas = {section["key"] for section in sections if section.get("level") == 2}
    activities = [validation.clean_activity(item, areas, errors, f"activities.{index}.")
                  for index, item in enumerate(_list(data, "activities", errors))]
    indicators = [validation.clean_indicator(item, errors, f"indicators.{index}.")
                  for index, item in enumerate(_list(data, "indicators", errors))]
    codes = [indicator["code"] for indicator in indicators]
    for index, indicator in enumerate(indicators):
        # A duplicate is reported on the later one; a ratio may name any other indicator.
        others = {other["code"]: other["aggregation"] for other in indicators[:index] + indicators[index + 1:]}
        validation.check_codes(indicator, set(codes[:index]), others, errors, f"indicators.{index}.")
    return sections, activities, indicators


def update_template(template: PlanTemplate, user, expected_version, data: dict) -> PlanTemplate:
    """Change any of the details: title, legal basis, introduction, closing, responsible
    bodies, recipients, report period type and deadline, and whether the rollups count
    submitted reports (a draft has no plans yet, so no rollup changes)."""
    require_writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_details(data, errors)
    raise_if(errors)
    changes = audit.apply_changes(template, clean, clean.keys())
    if changes:
        touch(template)
        db.session.flush()
        record(template, "edited", user, changes)
    return template


def set_counted_reports(template: PlanTemplate, user, expected_version, includes_submitted) -> TaskRun | None:
    """Whether the rollups count submitted reports beside the accepted ones. The one setting a
    published template may change: it changes no plan, only what the district's figures count.
    On a published template a change marks the figures of the template's unit and of the units
    above it for the template's year as waiting, and starts a rebuild of them (returned)."""
    require_author(user, template.unit)
    check_version(template, expected_version)
    errors: dict[str, str] = {}
    includes_submitted = validation.flag(includes_submitted, COUNTING_FIELD, errors, False)
    raise_if(errors)
    changes = audit.apply_changes(template, {COUNTING_FIELD: includes_submitted}, [COUNTING_FIELD])
    if not changes:
        return None
    touch(template)
    db.session.flush()
    record(template, "counting_changed", user, changes)
    if not template.is_published:
        return None  # no plan is made from a draft: nothing counted changes
    period_ids = [period.id for period in periods.periods_of_year(template.year, template.report_period_type)]
    return rollups.request_rebuild(template.unit, getattr(user, "id", None), period_ids)


# Publication, revisions, copies -----------------------------------------------------------

def publication_problems(template: PlanTemplate) -> dict[str, str]:
    """What a template needs before communes can write plans from it."""
    problems: dict[str, str] = {}
    if not template.title.strip():
        problems["title"] = _("This field is required.")
    if not any(section.level == 1 for section in template.sections):
        problems["sections"] = _("Add at least one numbered section (I, II, III…).")
    elif problem := validation.structure_problem([section.level for section in template.sections]):
        problems[f"sections.{template.sections[0].key}.level"] = problem
    for section in template.sections:
        if not section.heading.strip():
            problems[f"sections.{section.key}.heading"] = _("This field is required.")
    areas = template.area_keys
    for activity in template.activities:
        if activity.section_key not in areas:
            problems[f"activities.{activity.position}.section_key"] = _(
                "Choose one of the content areas (level 2 sections).")
    for indicator in template.indicators:
        if indicator.aggregation == Aggregation.RATIO:
            for name in ("numerator_code", "denominator_code"):
                code = getattr(indicator, name)
                part = template.indicator(code) if code and code != indicator.code else None
                if part is None:
                    problems[f"indicators.{indicator.code}.{name}"] = _(
                        "A ratio needs the codes of two other indicators of this template.")
                elif part.aggregation == Aggregation.RATIO:
                    problems[f"indicators.{indicator.code}.{name}"] = validation.ratio_of_a_ratio(code)
    return problems


def publish(template: PlanTemplate, user, expected_version) -> PlanTemplate:
    require_writable(template, user, expected_version)
    if problems := publication_problems(template):
        raise TemplateError(problems, message=_("The template is not complete yet."))
    template.status = TemplateStatus.PUBLISHED
    template.published_at = utcnow()
    db.session.flush()
    record(template, "published", user, [{"field": "status", "before": TemplateStatus.DRAFT.value,
                                           "after": TemplateStatus.PUBLISHED.value}])
    return template


def _copy(template: PlanTemplate, year: int, revision: int, user, replace=lambda text: text) -> PlanTemplate:
    unit_id = template.unit_id
    copy = PlanTemplate(
        unit=template.unit, unit_id=unit_id, year=year, revision=revision, status=TemplateStatus.DRAFT,
        title=replace(template.title), legal_basis=template.legal_basis,
        introduction=replace(template.introduction), closing=replace(template.closing),
        responsible_bodies=template.responsible_bodies, recipients=template.recipients,
        report_period_type=template.report_period_type, report_deadline_days=template.report_deadline_days,
        rollup_includes_submitted=template.rollup_includes_submitted, created_by_id=getattr(user, "id", None))
    copy.sections = [TemplateSection(
        key=section.key, position=section.position, level=section.level, heading=replace(section.heading),
        guidance=replace(section.guidance), default_text=replace(section.default_text),
        editable=section.editable, unit_id=unit_id) for section in template.sections]
    copy.activities = [TemplateActivity(
        section_key=activity.section_key, position=activity.position, name=replace(activity.name),
        lead_body=activity.lead_body, unit_id=unit_id) for activity in template.activities]
    copy.indicators = [TemplateIndicator(
        unit_id=unit_id, position=indicator.position,
        **{name: getattr(indicator, name) for name in INDICATOR_FIELDS}) for indicator in template.indicators]
    db.session.add(copy)
    return copy


def new_revision(template: PlanTemplate, user) -> PlanTemplate:
    """A draft copy of a published template to edit, revision + 1; the existing draft
    revision of that unit and year if there is one already."""
    require_author(user, template.unit)
    if (draft := queries.draft_of(template.unit, template.year)) is not None:
        return draft
    latest = queries.templates_of(template.unit, template.year)[0]
    revision = _copy(template, template.year, latest.revision + 1, user)
    revision.previous = template
    db.session.flush()
    record(revision, "revision_created", user, [{"field": "revision", "before": template.revision,
                                                  "after": revision.revision}])
    return revision


def copy_to_year(template: PlanTemplate, year, user) -> PlanTemplate:
    """A draft, revision 1, for another year, with the year replaced in the title and texts.
    The legal basis is kept as it was: its documents keep their own dates."""
    require_author(user, template.unit)
    errors: dict[str, str] = {}
    new_year = validation.clean_year(year, errors)
    if new_year is not None:
        _check_unused_year(template.unit, new_year, errors)
    raise_if(errors)
    old, new = str(template.year), str(new_year)
    copy = _copy(template, new_year, 1, user, replace=lambda text: (text or "").replace(old, new))
    db.session.flush()
    record(copy, "copied", user, [{"field": "year", "before": template.year, "after": new_year}],
            comment=f"template:{template.id}")
    return copy
