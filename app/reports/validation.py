"""Checks on a report's figures and activities, shared by the web forms and the API. Errors
stop a save; warnings (a value far above the plan's target) are shown but do not."""
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.plan_templates.models import Aggregation, TemplateIndicator
from app.plans.validation import SEXES, PlanError, check_value, parse_number
from app.reports.models import ActivityProgress, Report
from app.text import nfc

# A value more than this many times the plan's target is probably a typing mistake.
FAR_ABOVE_TARGET = 3

ReportError = PlanError


def value_field(indicator: TemplateIndicator, sex: str | None) -> str:
    return f"values.{indicator.code}.{sex or 'total'}"


def _parse_values(report: Report, items, errors: dict) -> dict:
    if not isinstance(items, list):
        errors["values"] = _("Send a list of values.")
        return {}
    indicators = {indicator.code: indicator for indicator in report.plan.template.indicators}
    parsed: dict[tuple, Decimal | None] = {}
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"values.{position}"] = _("Each value is an object with indicator, sex and value.")
            continue
        indicator = indicators.get(item.get("indicator"))
        if indicator is None:
            errors[f"values.{position}.indicator"] = _("There is no indicator with this code in the template.")
            continue
        sex = item.get("sex")
        if sex not in SEXES or (sex is not None and not indicator.by_sex):
            errors[value_field(indicator, None)] = _("This indicator is not entered by sex.")
            continue
        field = value_field(indicator, sex)
        try:
            value = parse_number(item.get("value"))
        except ValueError:
            errors[field] = _("Enter a number.")
            continue
        if value is not None and (problem := check_value(indicator, value)):
            errors[field] = problem
            continue
        parsed[(indicator, sex)] = value
    return parsed


def validate_values(report: Report, items) -> tuple[dict, list[str]]:
    """The new values by (indicator, sex) (None removes one), and the warnings; raises
    ReportError with every problem at once."""
    errors: dict[str, str] = {}
    parsed = _parse_values(report, items, errors)

    def current(indicator, sex):
        if (indicator, sex) in parsed:
            return parsed[(indicator, sex)]
        saved = report.value(indicator.id, sex)
        return saved.value if saved else None

    warnings: list[str] = []
    for indicator in report.plan.template.indicators:
        total, male, female = (current(indicator, sex) for sex in SEXES)
        if indicator.by_sex and male is not None and female is not None and (
                total is None or (indicator, None) not in parsed):
            total = parsed[(indicator, None)] = male + female
        if indicator.by_sex and total is not None and female is not None and female > total:
            errors[value_field(indicator, "female")] = _("The value for women cannot be above the total.")
        if indicator.aggregation == Aggregation.RATIO:
            _check_ratio(indicator, current, errors)
        target = report.plan.target(indicator.id, None)
        if total is not None and target is not None and target.value > 0 and total > FAR_ABOVE_TARGET * target.value:
            warnings.append(_("%(indicator)s: %(value)s is far above the plan's target (%(target)s). Check it.",
                              indicator=indicator.name, value=format_decimal(total),
                              target=format_decimal(target.value)))
    if errors:
        raise ReportError(errors)
    return parsed, warnings


def _check_ratio(indicator: TemplateIndicator, current, errors: dict) -> None:
    template = indicator.template
    numerator = template.indicator(indicator.numerator_code or "")
    denominator = template.indicator(indicator.denominator_code or "")
    if numerator is None or denominator is None:
        return
    top, bottom = current(numerator, None), current(denominator, None)
    if bottom is not None and bottom == 0 and top:
        errors[value_field(denominator, None)] = _(
            "%(name)s is the denominator of %(ratio)s: it cannot be 0 when %(numerator)s is not.",
            name=denominator.name, ratio=indicator.name, numerator=numerator.name)


def validate_activities(report: Report, items) -> dict:
    """{activity id: {progress, note, budget_spent_vnd}}; raises ReportError."""
    errors: dict[str, str] = {}
    if not isinstance(items, list):
        raise ReportError({"activities": _("Send a list of activities.")})
    known = {row.activity_id for row in report.activities}
    clean: dict[int, dict] = {}
    for position, item in enumerate(items):
        activity_id = item.get("activity") if isinstance(item, dict) else None
        if activity_id not in known:
            errors[f"activities.{position}"] = _("There is no such activity in the plan.")
            continue
        field = f"activities.{activity_id}"
        row: dict = {}
        if "progress" in item:
            if item["progress"] not in set(ActivityProgress):
                errors[f"{field}.progress"] = _("Choose one of: not started, in progress, done, cancelled.")
            else:
                row["progress"] = item["progress"]
        if "note" in item:
            note = nfc(str(item["note"] or "")).strip()
            if len(note) > 500:
                errors[f"{field}.note"] = _("At most %(limit)s characters (now %(length)s).", limit=500, length=len(note))
            row["note"] = note
        if "budget_spent" in item:
            try:
                spent = parse_number(item["budget_spent"])
            except ValueError:
                spent = Decimal(-1)
            if spent is not None and (spent < 0 or spent != spent.to_integral_value() or spent >= 10 ** 15):
                errors[f"{field}.budget_spent"] = _("Enter the budget in đồng, as a whole number.")
            else:
                row["budget_spent_vnd"] = int(spent) if spent is not None else None
        clean[activity_id] = row
    if errors:
        raise ReportError(errors)
    return clean
