"""Writes to a draft template's content: its sections, activities and indicators (add,
change, move, remove). Each checks the author and the version, records itself in the audit
log and flushes, as the template's own writes do (services.py)."""
from flask_babel import gettext as _

from app.audit.services import apply_changes
from app.extensions import db
from app.plan_templates import validation
from app.plan_templates.models import (
    Aggregation,
    PlanTemplate,
    TemplateActivity,
    TemplateIndicator,
    TemplateSection,
)
from app.plan_templates.services import (
    INDICATOR_FIELDS,
    raise_if,
    record,
    require_writable,
    touch,
)
from app.plan_templates.validation import TemplateError

SECTION_FIELDS = ("heading", "level", "guidance", "default_text", "editable")
ACTIVITY_FIELDS = ("section_key", "name", "lead_body")


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
    require_writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_section(data, errors)
    if "level" in clean and (problem := validation.structure_problem(
            [section.level for section in template.sections] + [clean["level"]])):
        errors["level"] = problem
    raise_if(errors)
    key = validation.unique_key(clean["heading"], {section.key for section in template.sections})
    position = max((section.position for section in template.sections), default=-1) + 1
    section = TemplateSection(key=key, position=position, unit_id=template.unit_id, **clean)
    template.sections.append(section)
    touch(template)
    db.session.flush()
    record(template, "section_added", user, [{"field": f"section:{key}", "before": None, "after": section.heading}])
    return section


def _activities_of(template: PlanTemplate, section: TemplateSection) -> list[TemplateActivity]:
    return [activity for activity in template.activities if activity.section_key == section.key]


def update_section(template: PlanTemplate, section: TemplateSection, user, expected_version,
                   data: dict) -> TemplateSection:
    """Change a section; its key stays, so the activities under it stay with it."""
    require_writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_section(data, errors)
    if clean.get("level") == 1 and section.level == 2 and _activities_of(template, section):
        errors["level"] = _("Move or remove the activities of this area first.")
    elif "level" in clean and (problem := validation.structure_problem(
            [clean["level"] if other is section else other.level for other in template.sections])):
        errors["level"] = problem
    raise_if(errors)
    changes = apply_changes(section, clean, SECTION_FIELDS, f"section:{section.key}:")
    if changes:
        touch(template)
        db.session.flush()
        record(template, "section_edited", user, changes)
    return section


def remove_section(template: PlanTemplate, section: TemplateSection, user, expected_version) -> None:
    require_writable(template, user, expected_version)
    if _activities_of(template, section):
        raise TemplateError({f"sections.{section.key}": _("Move or remove the activities of this area first.")})
    remaining = [other for other in template.sections if other is not section]
    if problem := validation.structure_problem([other.level for other in remaining]):
        raise TemplateError({f"sections.{section.key}": problem})
    template.sections.remove(section)
    _renumber(template.sections)
    touch(template)
    db.session.flush()
    record(template, "section_removed", user, [{"field": f"section:{section.key}", "before": section.heading,
                                                 "after": None}])


def move_section(template: PlanTemplate, section: TemplateSection, user, expected_version, offset: int) -> None:
    """Move one place up (offset < 0) or down; nothing happens at either end."""
    require_writable(template, user, expected_version)
    ordered = _moved(template.sections, section, offset)
    if ordered is None:
        return
    if problem := validation.structure_problem([other.level for other in ordered]):
        raise TemplateError({f"sections.{section.key}": problem})
    _move(template, template.sections, ordered, section.key, user)


def _move(template: PlanTemplate, rows: list, ordered: list, label: str, user) -> None:
    for position, row in enumerate(ordered):
        row.position = position
    rows.sort(key=lambda row: row.position)
    touch(template)
    db.session.flush()
    record(template, "moved", user, [{"field": "position", "before": None, "after": label}])


# Activities -------------------------------------------------------------------------------

def add_activity(template: PlanTemplate, user, expected_version, data: dict) -> TemplateActivity:
    require_writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_activity(data, template.area_keys, errors)
    raise_if(errors)
    position = max((activity.position for activity in template.activities), default=-1) + 1
    activity = TemplateActivity(position=position, unit_id=template.unit_id, **clean)
    template.activities.append(activity)
    touch(template)
    db.session.flush()
    record(template, "activity_added", user, [{"field": "activity", "before": None, "after": activity.name}])
    return activity


def update_activity(template: PlanTemplate, activity: TemplateActivity, user, expected_version,
                    data: dict) -> TemplateActivity:
    require_writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_activity(data, template.area_keys, errors)
    raise_if(errors)
    changes = apply_changes(activity, clean, ACTIVITY_FIELDS, "activity:")
    if changes:
        touch(template)
        db.session.flush()
        record(template, "activity_edited", user, changes, comment=activity.name)
    return activity


def remove_activity(template: PlanTemplate, activity: TemplateActivity, user, expected_version) -> None:
    require_writable(template, user, expected_version)
    template.activities.remove(activity)
    _renumber(template.activities)
    touch(template)
    db.session.flush()
    record(template, "activity_removed", user, [{"field": "activity", "before": activity.name, "after": None}])


def move_activity(template: PlanTemplate, activity: TemplateActivity, user, expected_version, offset: int) -> None:
    """Move past the neighbouring activity of the same content area."""
    require_writable(template, user, expected_version)
    ordered = _moved(template.activities, activity, offset,
                     lambda other: other.section_key == activity.section_key)
    if ordered is not None:
        _move(template, template.activities, ordered, activity.name, user)


# Indicators -------------------------------------------------------------------------------

def _aggregations(template: PlanTemplate, besides: TemplateIndicator | None = None) -> dict[str, str]:
    """The template's indicators (but `besides`): code → aggregation."""
    return {other.code: other.aggregation for other in template.indicators if other is not besides}


def _users_of_code(template: PlanTemplate, code: str, besides: TemplateIndicator | None = None) -> list[str]:
    return [other.code for other in template.indicators if other is not besides
            and code in (other.numerator_code, other.denominator_code)]


def add_indicator(template: PlanTemplate, user, expected_version, data: dict) -> TemplateIndicator:
    require_writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_indicator(data, errors)
    others = _aggregations(template)
    validation.check_codes(clean, set(others), others, errors)
    raise_if(errors)
    position = max((indicator.position for indicator in template.indicators), default=-1) + 1
    indicator = TemplateIndicator(position=position, unit_id=template.unit_id, **clean)
    template.indicators.append(indicator)
    touch(template)
    db.session.flush()
    record(template, "indicator_added", user, [{"field": "indicator", "before": None, "after": indicator.code}])
    return indicator


def update_indicator(template: PlanTemplate, indicator: TemplateIndicator, user, expected_version,
                     data: dict) -> TemplateIndicator:
    require_writable(template, user, expected_version)
    errors: dict[str, str] = {}
    clean = validation.clean_indicator(data, errors)
    others = _aggregations(template, besides=indicator)
    validation.check_codes(clean, set(others), others, errors)
    users = _users_of_code(template, indicator.code, besides=indicator)
    if "code" not in errors and clean["code"] != indicator.code and users:
        errors["code"] = _("The ratio of %(codes)s uses this code; change it there first.", codes=", ".join(users))
    if "aggregation" not in errors and clean["aggregation"] == Aggregation.RATIO and users:
        errors["aggregation"] = _("The ratio of %(codes)s is computed from this indicator: it cannot be a ratio "
                                  "itself.", codes=", ".join(users))
    raise_if(errors)
    changes = apply_changes(indicator, clean, INDICATOR_FIELDS, f"indicator:{indicator.code}:")
    if changes:
        touch(template)
        db.session.flush()
        record(template, "indicator_edited", user, changes)
    return indicator


def remove_indicator(template: PlanTemplate, indicator: TemplateIndicator, user, expected_version) -> None:
    require_writable(template, user, expected_version)
    if users := _users_of_code(template, indicator.code, besides=indicator):
        raise TemplateError({f"indicators.{indicator.code}": _(
            "The ratio of %(codes)s uses this indicator; change it there first.", codes=", ".join(users))})
    template.indicators.remove(indicator)
    _renumber(template.indicators)
    touch(template)
    db.session.flush()
    record(template, "indicator_removed", user, [{"field": "indicator", "before": indicator.code, "after": None}])


def move_indicator(template: PlanTemplate, indicator: TemplateIndicator, user, expected_version, offset: int) -> None:
    require_writable(template, user, expected_version)
    ordered = _moved(template.indicators, indicator, offset)
    if ordered is not None:
        _move(template, template.indicators, ordered, indicator.code, user)
