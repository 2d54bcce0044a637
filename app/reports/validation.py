"""Checks on a report's figures and activities, shared by the web forms and the API. Errors
stop a save; warnings (a value far above the plan's target) are shown but do not."""
from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.plan_templates.models import Aggregation, TemplateIndicator
from app.plans.validation import (
    SEXES,
    PlanError,
    after_save,
    figure_field,
    parse_figures,
    parse_number,
)
from app.reports.models import ActivityProgress, Report
from app.text import nfc

# A value more than this many times the plan's target is probably a typing mistake.
FAR_ABOVE_TARGET = 3

ReportError = PlanError


def value_field(indicator: TemplateIndicator, sex: str | None) -> str:
    return figure_field("values", indicator, sex)


def validate_values(report: Report, items) -> tuple[dict, list[str]]:
    """The new values by (indicator, sex) (None removes one), and the warnings; raises
    ReportError with every problem at once."""
    errors: dict[str, str] = {}
    parsed = parse_figures(items, report.plan.template.indicators, "values", errors,
                           not_a_list=_("Send a list of values."),
                           not_an_item=_("Each value is an object with indicator, sex and value."),
                           sex_problem_on_total=True)
    current = after_save(parsed, report.value)

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
