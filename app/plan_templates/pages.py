"""What the template's page shows beside its rows: the fields of a refusal in words."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.plan_templates.models import PlanTemplate

_PART_LABELS = {"heading": _l("Heading"), "level": _l("Level"), "section_key": _l("Content area"),
                "numerator_code": _l("Numerator code (ratio only)"),
                "denominator_code": _l("Denominator code (ratio only)")}
_FIELD_LABELS = {"title": _l("Title"), "sections": _l("Sections")}


def problem_label(template: PlanTemplate, field: str) -> str:
    """A field of a TemplateError (`indicators.TR03.numerator_code`, `sections.muc-dich.heading`,
    `activities.2.section_key`) as the author sees it on the page: the row's name, then its part."""
    kind, _sep, rest = field.partition(".")
    key, _sep, part = rest.partition(".")
    row = None
    if kind == "sections":
        section = next((section for section in template.sections if section.key == key), None)
        row = section and (section.heading or key)
    elif kind == "activities" and key.isdigit():
        activity = next((activity for activity in template.activities if activity.position == int(key)), None)
        row = activity and f"{_('Activity')} “{activity.name}”"
    elif kind == "indicators":
        indicator = template.indicator(key)
        row = indicator and f"{indicator.code} – {indicator.name}"
    if row is None:
        return str(_FIELD_LABELS.get(field, field))
    return f"{row} ({_PART_LABELS[part]})" if part in _PART_LABELS else row
