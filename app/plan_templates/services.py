"""Every write to a template: creation, details, sections, activities, indicators,
publication, revisions and copies. Each write checks the author and the version the writer
read, refuses any change to a published template, records itself in the audit log and
flushes; the request (or the demo loader) commits."""
from flask_babel import gettext as _

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
from app.versioning import check_version

__all__ = ["TemplateError", "TemplateLocked", "TemplateRefused", "create_template", "build_template",
           "update_template", "add_section", "update_section", "remove_section", "move_section",
           "add_activity", "update_activity", "remove_activity", "move_activity", "add_indicator",
           "update_indicator", "remove_indicator", "move_indicator", "publish", "new_revision",
           "copy_to_year"]

SECTION_FIELDS = ("heading", "level", "guidance", "default_text", "editable")
ACTIVITY_FIELDS = ("section_key", "name", "lead_body")
INDICATOR_FIELDS = ("code", "name", "measure_unit", "value_type", "aggregation", "numerator_code",
                    "denominator_code", "disaggregation", "time_aggregation", "minimum_target")


class TemplateRefused(Exception):
    """The user's role, or home unit, may never author this template (403)."""

    status = 403

    def __init__(self):
        self.message = _("Only the officers of the template's unit may change it.")
        super().__init__(self.message)


def _record(template: PlanTemplate, action: str, user, changes=(), comment: str = "") -> None:
    audit.record(template.unit_id, audit.subject_of("template", template.id), action, user,
                 [{**change, **{key: _plain(change.get(key)) for key in ("before", "after")}}
                  for change in changes], comment=comment)


def _plain(value):
    return str(value) if value is not None and not isinstance(value, (str, int, bool)) else value


def _require_author(user, unit: OrgUnit) -> None:
    if not queries.may_author(user, unit):
        raise TemplateRefused()


def _writable(template: PlanTemplate, user, expected_version) -> None:
    _require_author(user, template.unit)
    check_version(template, expected_version)
    if template.is_published:
        raise TemplateLocked()


def _touch(template: PlanTemplate) -> None:
    # Any write raises the template's version, even one that only changed a child row.
    template.updated_at = utcnow()


def _raise_if(errors: dict) -> None:
    if errors:
        raise TemplateError(errors)


def _apply(row, clean: dict, names, label: str) -> list[dict]:
    changes = []
    for name in names:
        if name in clean and getattr(row, name) != clean[name]:
            changes.append({"field": f"{label}{name}", "before": getattr(row, name), "after": clean[name]})
            setattr(row, name, clean[name])
    return changes


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
    _require_author(user, unit)
    if not isinstance(data, dict):
        raise TemplateError({"": _("Send a JSON object.")})
    errors: dict[str, str] = {}
    clean_year = validation.clean_year(year, errors)
    details = validation.clean_details(data, errors, creating=True)
    sections, activities, indicators = _clean_children(data, errors)
    if clean_year is not None and "year" not in errors:
        _check_unused_year(unit, clean_year, errors)
    _raise_if(errors)
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
    _record(template, "created", user, [{"field": "status", "before": None, "after": template.status}])
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
        others = set(codes[:index] + codes[index + 1:]) - {indicator["code"]}
        validation.check_codes(indicator, set(codes[:index]), others, errors, f"indicators.{index}.")
    return sections, activities, indicators


def update_template(template: PlanTemplate, user, expected_version, data: dict) -> PlanTemplate:
    """Change any of the details: title, legal basis, introduction, closing, responsible
    bodies, recipients, report period type and deadline."""
    _writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_details(data, errors)
    _raise_if(errors)
    changes = _apply(template, clean, clean.keys(), "")
    if changes:
        _touch(template)
        db.session.flush()
        _record(template, "edited", user, changes)
    return template


def _renumber(rows: list) -> None:
    for position, row in enumerate(rows):
        row.position = position
    rows.sort(key=lambda row: row.position)


def _moved(rows: list, row, offset: int, same_group=lambda other: True) -> list | None:
    """The rows in their new order after moving `row` past its neighbour (of the same group)."""
    ordered = list(rows)
    index = ordered.index(row)
    step = 1 if offset > 0 else -1
    target = index + step
    while 0 <= target < len(ordered) and not same_group(ordered[target]):
        target += step
    if not 0 <= target < len(ordered):
        return None
    ordered[index], ordered[target] = ordered[target], ordered[index]
    return ordered


# Sections ---------------------------------------------------------------------------------

def add_section(template: PlanTemplate, user, expected_version, data: dict) -> TemplateSection:
    """A section at the end of the template; its key is made from the heading."""
    _writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_section(data, errors)
    if "level" in clean and (problem := validation.structure_problem(
            [section.level for section in template.sections] + [clean["level"]])):
        errors["level"] = problem
    _raise_if(errors)
    key = validation.unique_key(clean["heading"], {section.key for section in template.sections})
    position = max((section.position for section in template.sections), default=-1) + 1
    section = TemplateSection(key=key, position=position, unit_id=template.unit_id, **clean)
    template.sections.append(section)
    _touch(template)
    db.session.flush()
    _record(template, "section_added", user, [{"field": f"section:{key}", "before": None, "after": section.heading}])
    return section


def _activities_of(template: PlanTemplate, section: TemplateSection) -> list[TemplateActivity]:
    return [activity for activity in template.activities if activity.section_key == section.key]


def update_section(template: PlanTemplate, section: TemplateSection, user, expected_version,
                   data: dict) -> TemplateSection:
    """Change a section; its key stays, so the activities under it stay with it."""
    _writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_section(data, errors)
    if clean.get("level") == 1 and section.level == 2 and _activities_of(template, section):
        errors["level"] = _("Move or remove the activities of this area first.")
    elif "level" in clean and (problem := validation.structure_problem(
            [clean["level"] if other is section else other.level for other in template.sections])):
        errors["level"] = problem
    _raise_if(errors)
    changes = _apply(section, clean, SECTION_FIELDS, f"section:{section.key}:")
    if changes:
        _touch(template)
        db.session.flush()
        _record(template, "section_edited", user, changes)
    return section


def remove_section(template: PlanTemplate, section: TemplateSection, user, expected_version) -> None:
    _writable(template, user, expected_version)
    if _activities_of(template, section):
        raise TemplateError({"section": _("Move or remove the activities of this area first.")})
    remaining = [other for other in template.sections if other is not section]
    if problem := validation.structure_problem([other.level for other in remaining]):
        raise TemplateError({"section": problem})
    template.sections.remove(section)
    _renumber(template.sections)
    _touch(template)
    db.session.flush()
    _record(template, "section_removed", user, [{"field": f"section:{section.key}", "before": section.heading,
                                                 "after": None}])


def move_section(template: PlanTemplate, section: TemplateSection, user, expected_version, offset: int) -> None:
    """Move one place up (offset < 0) or down; nothing happens at either end."""
    _writable(template, user, expected_version)
    ordered = _moved(template.sections, section, offset)
    if ordered is None:
        return
    if problem := validation.structure_problem([other.level for other in ordered]):
        raise TemplateError({"section": problem})
    _move(template, template.sections, ordered, section.key, user)


def _move(template: PlanTemplate, rows: list, ordered: list, label: str, user) -> None:
    for position, row in enumerate(ordered):
        row.position = position
    rows.sort(key=lambda row: row.position)
    _touch(template)
    db.session.flush()
    _record(template, "moved", user, [{"field": "position", "before": None, "after": label}])


# Activities -------------------------------------------------------------------------------

def _area_keys(template: PlanTemplate) -> set[str]:
    return {section.key for section in template.sections if section.level == 2}


def add_activity(template: PlanTemplate, user, expected_version, data: dict) -> TemplateActivity:
    _writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_activity(data, _area_keys(template), errors)
    _raise_if(errors)
    position = max((activity.position for activity in template.activities), default=-1) + 1
    activity = TemplateActivity(position=position, unit_id=template.unit_id, **clean)
    template.activities.append(activity)
    _touch(template)
    db.session.flush()
    _record(template, "activity_added", user, [{"field": "activity", "before": None, "after": activity.name}])
    return activity


def update_activity(template: PlanTemplate, activity: TemplateActivity, user, expected_version,
                    data: dict) -> TemplateActivity:
    _writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_activity(data, _area_keys(template), errors)
    _raise_if(errors)
    changes = _apply(activity, clean, ACTIVITY_FIELDS, "activity:")
    if changes:
        _touch(template)
        db.session.flush()
        _record(template, "activity_edited", user, changes, comment=activity.name)
    return activity


def remove_activity(template: PlanTemplate, activity: TemplateActivity, user, expected_version) -> None:
    _writable(template, user, expected_version)
    template.activities.remove(activity)
    _renumber(template.activities)
    _touch(template)
    db.session.flush()
    _record(template, "activity_removed", user, [{"field": "activity", "before": activity.name, "after": None}])


def move_activity(template: PlanTemplate, activity: TemplateActivity, user, expected_version, offset: int) -> None:
    """Move past the neighbouring activity of the same content area."""
    _writable(template, user, expected_version)
    ordered = _moved(template.activities, activity, offset,
                     lambda other: other.section_key == activity.section_key)
    if ordered is not None:
        _move(template, template.activities, ordered, activity.name, user)


# Indicators -------------------------------------------------------------------------------

def _users_of_code(template: PlanTemplate, code: str, besides: TemplateIndicator | None = None) -> list[str]:
    return [other.code for other in template.indicators if other is not besides
            and code in (other.numerator_code, other.denominator_code)]


def add_indicator(template: PlanTemplate, user, expected_version, data: dict) -> TemplateIndicator:
    _writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_indicator(data, errors)
    codes = {other.code for other in template.indicators}
    validation.check_codes(clean, codes, codes, errors)
    _raise_if(errors)
    position = max((indicator.position for indicator in template.indicators), default=-1) + 1
    indicator = TemplateIndicator(position=position, unit_id=template.unit_id, **clean)
    template.indicators.append(indicator)
    _touch(template)
    db.session.flush()
    _record(template, "indicator_added", user, [{"field": "indicator", "before": None, "after": indicator.code}])
    return indicator


def update_indicator(template: PlanTemplate, indicator: TemplateIndicator, user, expected_version,
                     data: dict) -> TemplateIndicator:
    _writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_indicator(data, errors)
    codes = {other.code for other in template.indicators if other is not indicator}
    validation.check_codes(clean, codes, codes - {clean["code"]}, errors)
    users = _users_of_code(template, indicator.code, besides=indicator)
    if "code" not in errors and clean["code"] != indicator.code and users:
        errors["code"] = _("The ratio of %(codes)s uses this code; change it there first.", codes=", ".join(users))
    _raise_if(errors)
    changes = _apply(indicator, clean, INDICATOR_FIELDS, f"indicator:{indicator.code}:")
    if changes:
        _touch(template)
        db.session.flush()
        _record(template, "indicator_edited", user, changes)
    return indicator


def remove_indicator(template: PlanTemplate, indicator: TemplateIndicator, user, expected_version) -> None:
    _writable(template, user, expected_version)
    if users := _users_of_code(template, indicator.code, besides=indicator):
        raise TemplateError({"indicator": _("The ratio of %(codes)s uses this indicator; change it there first.",
                                            codes=", ".join(users))})
    template.indicators.remove(indicator)
    _renumber(template.indicators)
    _touch(template)
    db.session.flush()
    _record(template, "indicator_removed", user, [{"field": "indicator", "before": indicator.code, "after": None}])


def move_indicator(template: PlanTemplate, indicator: TemplateIndicator, user, expected_version, offset: int) -> None:
    _writable(template, user, expected_version)
    ordered = _moved(template.indicators, indicator, offset)
    if ordered is not None:
        _move(template, template.indicators, ordered, indicator.code, user)


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
    areas = _area_keys(template)
    for activity in template.activities:
        if activity.section_key not in areas:
            problems[f"activities.{activity.position}.section_key"] = _(
                "Choose one of the content areas (level 2 sections).")
    codes = {indicator.code for indicator in template.indicators}
    for indicator in template.indicators:
        if indicator.aggregation == Aggregation.RATIO:
            for name in ("numerator_code", "denominator_code"):
                code = getattr(indicator, name)
                if not code or code not in codes or code == indicator.code:
                    problems[f"indicators.{indicator.code}.{name}"] = _(
                        "A ratio needs the codes of two other indicators of this template.")
    return problems


def publish(template: PlanTemplate, user, expected_version) -> PlanTemplate:
    _writable(template, user, expected_version)
    if problems := publication_problems(template):
        raise TemplateError(problems, message=_("The template is not complete yet."))
    template.status = TemplateStatus.PUBLISHED
    template.published_at = utcnow()
    db.session.flush()
    _record(template, "published", user, [{"field": "status", "before": TemplateStatus.DRAFT.value,
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
        created_by_id=getattr(user, "id", None))
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
    _require_author(user, template.unit)
    if (draft := queries.draft_of(template.unit, template.year)) is not None:
        return draft
    latest = queries.templates_of(template.unit, template.year)[0]
    revision = _copy(template, template.year, latest.revision + 1, user)
    revision.previous = template
    db.session.flush()
    _record(revision, "revision_created", user, [{"field": "revision", "before": template.revision,
                                                  "after": revision.revision}])
    return revision


def copy_to_year(template: PlanTemplate, year, user) -> PlanTemplate:
    """A draft, revision 1, for another year, with the year replaced in the title and texts.
    The legal basis is kept as it was: its documents keep their own dates."""
    _require_author(user, template.unit)
    errors: dict[str, str] = {}
    new_year = validation.clean_year(year, errors)
    if new_year is not None:
        _check_unused_year(template.unit, new_year, errors)
    _raise_if(errors)
    old, new = str(template.year), str(new_year)
    copy = _copy(template, new_year, 1, user, replace=lambda text: (text or "").replace(old, new))
    db.session.flush()
    _record(copy, "copied", user, [{"field": "year", "before": template.year, "after": new_year}],
            comment=f"template:{template.id}")
    return copy
