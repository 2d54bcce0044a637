"""Checks on a report's figures and activities, shared by the web forms and the API. Errors
stop a save; warnings (a value far above the plan's target) are shown but do not."""

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.plan_templates.models import TemplateIndicator, ValueType
from app.plans.document.content import bare_number
from app.plans.pages import SEX_LABELS
from app.plans.validation import (
    LIMITS,
    MAX_TEXT,
    SEXES,
    TOO_LARGE,
    PlanError,
    after_save,
    check_sex_rule,
    clean_text,
    figure_field,
    parse_budget,
    parse_figures,
    ratio_value,
    settled_total,
)
from app.reports.models import ActivityProgress, Report

# A value more than this many times the plan's target is probably a typing mistake.
FAR_ABOVE_TARGET = 3
MAX_NOTE = 500  # an activity's note: ReportActivity.note's length
_ACTIVITY_KEYS = ("activity", "progress", "note", "budget_spent")

ReportError = PlanError


def value_field(indicator: TemplateIndicator, sex: str | None) -> str:
    return figure_field("values", indicator, sex)


def validate_values(report: Report, items) -> tuple[dict, list[str]]:
    """The new values by (indicator, sex) (None removes one), and the warnings; raises
    ReportError with every problem at once. A ratio is never typed: it follows from its
    numerator and denominator as they will be saved (`_ratio_values`)."""
    errors: dict[str, str] = {}
    parsed = parse_figures(items, report.plan.template.indicators, "values", errors,
                           not_a_list=_("Send a list of values."),
                           not_an_item=_("Each value is an object with indicator, sex and value."),
                           sex_problem_on_total=True)
    current = after_save(parsed, report.value)

    warnings: list[str] = []
    for indicator in report.plan.template.indicators:
        if indicator.is_ratio:
            continue
        figures = settled_total(indicator, parsed, current)
        if any(value_field(indicator, sex) in errors for sex in SEXES):
            continue  # a figure that is not a number: its message says enough
        check_sex_rule(indicator, figures, value_field, errors,
                       women_above=_("The value for women cannot be above the total."),
                       men_above=_("The value for men cannot be above the total."))
        total = figures[0]
        target = report.plan.approved_target(indicator.id, None)
        if total is not None and target is not None and target.value > 0 and total > FAR_ABOVE_TARGET * target.value:
            warnings.append(_("%(indicator)s: %(value)s is far above the plan's target (%(target)s). Check it.",
                              indicator=indicator.name, value=format_decimal(total),
                              target=format_decimal(target.value)))
    for ratio in (indicator for indicator in report.plan.template.indicators if indicator.is_ratio):
        _ratio_values(ratio, parsed, current, errors, warnings)
    if errors:
        raise ReportError(errors)
    return parsed, warnings


def saved_values_problems(report: Report) -> dict[str, str]:
    """What the saved figures break of the rules a save checks, by field: figures saved before a
    rule was made (one sex alone, saved before both were asked for) are refused only when the
    report is saved again, so its form and its submission check them too."""
    try:
        validate_values(report, [])
    except ReportError as error:
        return error.fields
    return {}


def _ratio_values(ratio: TemplateIndicator, parsed: dict, current, errors: dict, warnings: list[str]) -> None:
    """Set the ratio's values in `parsed`, each sex's 100 × numerator ÷ denominator to the cent
    (None while a part is missing or the denominator is 0), where the saved one differs. A
    value sent for the ratio itself is refused: the rollups compute it from its parts, so a
    typed one would only disagree with them. Both parts 0 is true of a period with nothing to
    count (no case of violence, none helped): saved, with a warning that the ratio has no value."""
    template = ratio.template
    numerator = template.indicator(ratio.numerator_code or "")
    denominator = template.indicator(ratio.denominator_code or "")
    if numerator is None or denominator is None:
        return
    warned = False
    for sex in SEXES if ratio.by_sex else (None,):
        if (ratio, sex) in parsed:
            errors[value_field(ratio, sex)] = _(
                "%(ratio)s is computed from %(numerator)s and %(denominator)s: enter those.",
                ratio=ratio.name, numerator=numerator.name, denominator=denominator.name)
            del parsed[(ratio, sex)]
            continue
        top, bottom = current(numerator, sex), current(denominator, sex)
        if (top is None) != (bottom is None):
            # One part alone: the ratio's year would come from another period than its parts'.
            missing = numerator if top is None else denominator
            errors[value_field(missing, sex)] = _(
                "Enter %(missing)s too: %(ratio)s is computed from %(numerator)s and %(denominator)s.",
                missing=missing.name, ratio=ratio.name, numerator=numerator.name, denominator=denominator.name)
        elif bottom == 0 and top:
            errors[value_field(denominator, sex)] = _(
                "%(name)s is the denominator of %(ratio)s: it cannot be 0 when %(numerator)s is not.",
                name=denominator.name, ratio=ratio.name, numerator=numerator.name)
        elif bottom == 0 and not warned:  # a total of 0 is 0 for men and for women too
            warned = True
            warnings.append(_("%(ratio)s has no value for this period: %(denominator)s is 0.",
                              ratio=ratio.name, denominator=denominator.name) if sex is None else _(
                "%(ratio)s has no value for %(sex)s this period: %(denominator)s is 0 for them.",
                ratio=ratio.name, denominator=denominator.name, sex=SEX_LABELS[sex].lower()))
        elif ratio.value_type == ValueType.PERCENT and top is not None and bottom is not None and top > bottom:
            errors[value_field(numerator, sex)] = _(
                "%(numerator)s cannot be above %(denominator)s: %(ratio)s is a percentage.",
                numerator=numerator.name, denominator=denominator.name, ratio=ratio.name)
        computed = ratio_value(top, bottom)
        if computed is not None and computed >= TOO_LARGE:
            errors[value_field(numerator, sex)] = _("This number is too large.")
        elif computed != current(ratio, sex):
            parsed[(ratio, sex)] = computed


def validate_activities(report: Report, items) -> dict:
    """{activity id: {progress, note, budget_spent_vnd}}; raises ReportError."""
    errors: dict[str, str] = {}
    if not isinstance(items, list):
        raise ReportError({"activities": _("Send a list of activities.")})
    known = {row.activity_id for row in report.activities}
    clean: dict[int, dict] = {}
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"activities.{position}"] = _(
                "Each activity is an object with activity and its progress, note or budget_spent.")
            continue
        activity_id = item.get("activity")
        if type(activity_id) is not int or activity_id not in known:  # True would be activity 1
            errors[f"activities.{position}.activity"] = _("There is no such activity in the plan.")
            continue
        field = f"activities.{activity_id}"
        if activity_id in clean:  # which of the two was meant is unknown
            errors[field] = _("This activity is sent twice: send it once.")
            continue
        if unknown := sorted(str(key) for key in item if key not in _ACTIVITY_KEYS):
            # A misspelt field would otherwise be dropped, and the client would take it as saved.
            errors[field] = _("No such field: %(names)s. Send activity, progress, note and budget_spent.",
                              names=", ".join(unknown))
            continue
        row: dict = {}
        if "progress" in item:
            if not isinstance(item["progress"], str) or item["progress"] not in set(ActivityProgress):
                errors[f"{field}.progress"] = _("Choose one of: not started, in progress, done, cancelled.")
            else:
                row["progress"] = item["progress"]
        if "note" in item:
            note = clean_text(item["note"], MAX_NOTE, f"{field}.note", errors)
            if note is not None:
                row["note"] = note
        if "budget_spent" in item:
            spent = parse_budget(item["budget_spent"], f"{field}.budget_spent", errors)
            if f"{field}.budget_spent" not in errors:
                row["budget_spent_vnd"] = spent
        clean[activity_id] = row
    if errors:
        raise ReportError(errors)
    return clean


def _validated_text(field: str, limit: int, value, one_line: bool = False) -> str:
    """A text as it will be saved (NFC, trimmed); raises ReportError."""
    errors: dict[str, str] = {}
    text = clean_text(value, limit, field, errors)
    if one_line and text and len(text.splitlines()) > 1:  # \r, \u2028 and the rest break a line too
        errors[field] = _("Write it on one line.")
    if errors:
        raise ReportError(errors)
    return text


def validate_assessment(report: Report, value) -> str:
    return _validated_text("assessment", MAX_TEXT, value)


def validate_document_number(report: Report, value) -> str:
    """At most 64 characters as a plan's, and on one line, as the document's header prints it;
    saved without a "Số:" typed before it, which the header and the page write themselves."""
    return bare_number(_validated_text("document_number", LIMITS["document_number"], value, one_line=True))
