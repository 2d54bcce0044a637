"""Checks on what a user sends for a plan, shared by the web forms and the API, so both
refuse the same things with the same messages (in the user's language)."""
import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.i18n import typed_number
from app.plan_templates.models import TemplateIndicator, ValueType
from app.plans.models import Plan, Sex
from app.text import has_visible_text, nfc

MAX_TEXT = 20_000
MAX_LINE = 500
LIMITS = {
    "title": 500, "legal_basis": MAX_TEXT, "introduction": MAX_TEXT, "closing": MAX_TEXT,
    "document_number": 64, "place": 100, "signer_authority": 100, "signer_title": 100,
    "signer_name": 100, "recipients": 5000,
}
SEXES = (None, Sex.MALE.value, Sex.FEMALE.value)
_FIGURE_KEYS = ("indicator", "sex", "value")
# A figure is NUMERIC(18, 2), to the cent; below 10^13 it has at most 15 digits, which SQLite
# (`make run`) keeps exactly too: 9,999,999,999,999,999 came back as 10^16 there.
TOO_LARGE = Decimal(10) ** 13
CENT = Decimal("0.01")
MAX_BUDGET = 10 ** 15  # đồng: a BIGINT holds more, no commune spends as much
# Dots grouping thousands: a number does not begin with 0, so "0.001" is a decimal.
_DOT_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+")
# What a typed figure may hold: ASCII digits, a sign and the marks; not "1_000", "1e3" or "٣",
# which Python's Decimal reads but an officer does not write.
_FIGURE_TEXT = re.compile(r"[+-]?[0-9.,]+")
# A date as officers write it, day first ("05/05/2023", "5-5-2023"); ISO dates are read too.
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class PlanError(ValueError):
    """What was wrong, by field (`sections.<key>`, `targets.<code>.<sex|total>`, …)."""

    def __init__(self, fields: dict[str, str], message: str | None = None):
        super().__init__(message or "; ".join(f"{name}: {text}" for name, text in fields.items()))
        self.fields = fields
        self.message = message or _("Some of the values are not valid.")


def clean_text(value, limit: int, field: str, errors: dict) -> str | None:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return None
    value = nfc(value).replace("\r\n", "\n").strip()
    if len(value) > limit:
        errors[field] = _("At most %(limit)s characters (now %(length)s).", limit=format_decimal(limit),
                          length=format_decimal(len(value)))
        return None
    return value


def _date(value, field: str, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""  # 20230505 as a number is not a date
    try:
        if day_first := _DAY_FIRST.fullmatch(text):
            day, month, year = (int(part) for part in day_first.groups())
            return date(year, month, day)
        if not _ISO_DATE.fullmatch(text):  # fromisoformat would take 20230505 and 2023-W18-5 too
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = _("Enter a date as day/month/year, such as 05/05/2023.")
        return None


def parse_number(value) -> Decimal | None:
    """A figure sent as a number, or typed: first as the user's language writes numbers (in a
    form, or the API's Accept-Language: 1,500.5 in English, 1.500,5 in Vietnamese), then as
    Vietnamese does (`1.500` is fifteen hundred, `32,5` a decimal); spaces group thousands too.
    Raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):  # JSON's NaN and Infinity arrive as floats
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if not _FIGURE_TEXT.fullmatch(text):
            raise ValueError(value)
        number = typed_number(text)
        if not isinstance(number, Decimal):
            number = _vietnamese_number(text)
    if not number.is_finite():
        raise ValueError(value)
    return number


def _vietnamese_number(text: str) -> Decimal:
    if "," in text and "." in text.partition(",")[2]:
        # A dot after the decimal comma ("2,000.00"): English's grouping, read wrongly either way.
        raise ValueError(text)
    if "," in text or _DOT_GROUPED.fullmatch(text):
        # Dots group thousands (2.000.000 đồng), the comma is the decimal mark.
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


def parse_budget(value, field: str, errors: dict) -> int | None:
    """An amount of money in đồng (an activity's budget, or what it spent): a whole number,
    not negative, below MAX_BUDGET; its problem goes to `errors[field]`."""
    try:
        budget = parse_number(value)
    except ValueError:
        errors[field] = _("Enter the budget in đồng, as a whole number.")
        return None
    if budget is None:
        return None
    if budget < 0:
        errors[field] = _("A budget cannot be negative.")
    elif budget != budget.to_integral_value():
        errors[field] = _("Enter the budget in đồng, as a whole number.")
    elif budget >= MAX_BUDGET:
        errors[field] = _("This number is too large.")
    else:
        return int(budget)
    return None


def figure_field(name: str, indicator: TemplateIndicator, sex: str | None) -> str:
    """`targets.TT01.female`, `values.TT01.total`: where a figure's problem is reported."""
    return f"{name}.{indicator.code}.{sex or 'total'}"


def target_field(indicator: TemplateIndicator, sex: str | None) -> str:
    return figure_field("targets", indicator, sex)


def check_value(indicator: TemplateIndicator, value: Decimal) -> str | None:
    """What is wrong with a figure for `indicator` (a target, or a reported value), if anything."""
    if value < 0:
        return _("A figure cannot be negative.")
    if indicator.value_type == ValueType.INTEGER and value != value.to_integral_value():
        return _("Enter a whole number, written as 1,500.")
    if indicator.value_type == ValueType.PERCENT and value > 100:
        return _("A percentage is between 0 and 100.")
    if indicator.value_type == ValueType.BOOLEAN and value not in (0, 1):
        return _("Enter 1 for yes or 0 for no.")
    if value >= TOO_LARGE:
        return _("This number is too large.")
    if value != value.quantize(CENT, ROUND_HALF_UP):
        # Figures are kept to the cent: rounding 0.004 to 0 would change what was typed.
        return _("Enter at most two decimal places, as 12.5 or 33.33.")
    return None


def parse_figures(items, indicators, name: str, errors: dict, *, not_a_list: str, not_an_item: str,
                  sex_problem_on_total: bool = False) -> dict[tuple, Decimal | None]:
    """A plan's targets or a report's values, sent as a list of {indicator, sex, value} for the
    template's `indicators`: (indicator, sex) → the figure (None removes it). Each problem goes to
    `errors` under `<name>`, `<name>.<position>[.indicator]` or the figure's own field.

    Either says whether the sex sent is unknown or unused by the indicator: a report files it
    under the indicator's total, a plan under the sex sent (`sex_problem_on_total` keeps each
    where its clients know it). An item must name its value: a missing or misspelt one would
    otherwise remove the saved figure, which only an explicit null does."""
    if not isinstance(items, list):
        errors[name] = not_a_list
        return {}
    by_code = {indicator.code: indicator for indicator in indicators}
    figures: dict[tuple, Decimal | None] = {}
    sent: set[tuple] = set()
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"{name}.{position}"] = not_an_item
            continue
        if unknown := sorted(str(key) for key in item if key not in _FIGURE_KEYS):
            # A misspelt "value" would otherwise read as no value, which removes the figure.
            errors[f"{name}.{position}"] = _("No such field: %(names)s. Send indicator, sex and value.",
                                             names=", ".join(unknown))
            continue
        code = item.get("indicator")
        indicator = by_code.get(code) if isinstance(code, str) else None
        if indicator is None:
            errors[f"{name}.{position}.indicator"] = _("There is no indicator with this code in the template.")
            continue
        sex = item.get("sex")
        if sex not in SEXES or (sex is not None and not indicator.by_sex):
            problem = _("This indicator is not entered by sex.") if sex in SEXES else _("Sex is male, female or empty.")
            on_sex = None if sex_problem_on_total or not isinstance(sex, str) else sex
            errors[figure_field(name, indicator, on_sex)] = problem
            continue
        field = figure_field(name, indicator, sex)
        if (indicator, sex) in sent:  # which of the two was meant is unknown
            errors[field] = _("This figure is sent twice: send it once.")
            continue
        sent.add((indicator, sex))
        # Only a value sent null (or empty, as a form sends it) removes a saved figure.
        if "value" not in item:
            errors[field] = _("Send the value (null removes the figure).")
            continue
        try:
            value = parse_number(item.get("value"))
        except ValueError:
            errors[field] = _("Enter a number, written as 4,920,000 or 12.5.")
            continue
        if value is not None and (problem := check_value(indicator, value)):
            errors[field] = problem
            continue
        figures[(indicator, sex)] = value
    return figures


def settled_total(indicator: TemplateIndicator, figures: dict, figure: Callable):
    """The indicator's total, men and women as the save will leave them (`figure` is
    `after_save`'s). Where men and women are both entered and the total is not sent (a form
    leaves out what was not changed: `page_writes.changed_figures`) or empty, the total
    becomes their sum, in `figures` too. Where the total and one sex are, the other is the
    difference. A total sent must be men plus women."""
    total, male, female = (figure(indicator, sex) for sex in SEXES)
    if not indicator.by_sex:
        return total, male, female
    untouched = total is None or (indicator, None) not in figures
    if untouched and male is not None and female is not None:
        total = figures[(indicator, None)] = male + female
    # The total and one sex give the other, so that the units' figures for men and for women
    # add up to their total too (`check_sex_rule` refuses one above the total).
    elif total is not None and male is None and female is not None and female <= total:
        male = figures[(indicator, Sex.MALE.value)] = total - female
    elif total is not None and female is None and male is not None and male <= total:
        female = figures[(indicator, Sex.FEMALE.value)] = total - male
    return total, male, female


def ratio_value(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """A ratio's figure from its parts, 100 × numerator ÷ denominator to the cent as a typed
    figure is kept; None while a part is missing or the denominator is 0."""
    if numerator is None or not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(CENT, ROUND_HALF_UP)


def check_sex_rule(indicator: TemplateIndicator, figures: tuple, field: Callable, errors: dict, *,
                   women_above: str, men_above: str) -> None:
    """Put on its field the first rule the indicator's figures by sex (total, men, women) break:
    one sex without the other or a total, women or men above the total (`women_above`,
    `men_above`: a target's or a value's message), or a total that is not men plus women.
    `field(indicator, sex)` names a field."""
    total, male, female = figures
    if not indicator.by_sex:
        return
    if total is None:  # one sex alone: its total cannot be known
        if male is not None and female is None:
            errors[field(indicator, Sex.FEMALE.value)] = _("Enter the figure for women too: the total is men plus women.")
        elif female is not None and male is None:
            errors[field(indicator, Sex.MALE.value)] = _("Enter the figure for men too: the total is men plus women.")
        return
    if female is not None and female > total:
        errors[field(indicator, Sex.FEMALE.value)] = women_above
    elif male is not None and male > total:
        errors[field(indicator, Sex.MALE.value)] = men_above
    elif male is not None and female is not None and male + female != total:
        errors[field(indicator, None)] = _("The total must be men plus women.")


def after_save(figures: dict, saved_row: Callable) -> Callable:
    """`figure(indicator, sex)` as the save will leave it: the one sent in `figures`, else the
    saved one (`saved_row(indicator id, sex)` is Plan.target or Report.value)."""
    def figure(indicator: TemplateIndicator, sex: str | None) -> Decimal | None:
        if (indicator, sex) in figures:
            return figures[(indicator, sex)]
        row = saved_row(indicator.id, sex)
        return row.value if row else None
    return figure


def _validate_targets(plan: Plan, targets, errors: dict) -> dict:
    """`targets` is a list of {indicator, sex, value}; the result maps (indicator, sex) to the
    new value (None removes it), after checking each indicator's figures together."""
    new_values = parse_figures(targets, plan.template.indicators, "targets", errors,
                               not_a_list=_("Send a list of targets."),
                               not_an_item=_("Each target is an object with indicator, sex and value."))
    # Check each touched indicator's total, male and female together, as they will be saved.
    check_target_rules(plan, {indicator for indicator, _sex in new_values}, new_values, errors)
    return new_values


def check_target_rules(plan: Plan, indicators, new_values: dict, errors: dict) -> None:
    """Put on its field what the indicators' targets, with `new_values` saved, break of the
    rules: men and women against the total, and the template's minimum."""
    saved = after_save(new_values, plan.target)
    for indicator in indicators:
        figures = settled_total(indicator, new_values, saved)
        if any(target_field(indicator, sex) in errors for sex in SEXES):
            continue
        check_sex_rule(indicator, figures, target_field, errors,
                       women_above=_("The target for women cannot be above the total."),
                       men_above=_("The target for men cannot be above the total."))
        total = figures[0]
        minimum = indicator.minimum_target
        if minimum is not None and (total is None or total < minimum):
            # A total that is not men plus women is mended first: that message stays.
            errors.setdefault(target_field(indicator, None), _(
                "The template asks for at least %(minimum)s.", minimum=format_decimal(minimum)))


def validate_plan_changes(plan: Plan, changes: dict) -> dict:
    """The cleaned changes, or PlanError listing every problem at once."""
    if not isinstance(changes, dict):
        raise PlanError({"": _("Send a JSON object.")})
    errors: dict[str, str] = {}
    clean: dict = {}
    for name, limit in LIMITS.items():
        if name in changes:
            value = clean_text(changes[name], limit, name, errors)
            if value is not None:
                clean[name] = value
    if "title" in clean and not clean["title"]:
        errors["title"] = _("This field is required.")
    if "document_date" in changes:
        clean["document_date"] = _date(changes["document_date"], "document_date", errors)
        if clean["document_date"] and clean["document_date"].year not in (plan.year - 1, plan.year, plan.year + 1):
            errors["document_date"] = _("The date should be in or near %(year)s.", year=plan.year)

    sections = changes.get("sections")
    if sections is not None:
        clean["sections"] = {}
        if not isinstance(sections, dict):
            errors["sections"] = _("Send the sections as an object of key and text.")
        for key, text in (sections.items() if isinstance(sections, dict) else ()):
            field = f"sections.{key}"
            section = plan.section(key)
            if section is None:
                errors[field] = _("There is no such section.")
            elif not section.editable and text != section.text:
                errors[field] = _("The template's text of this section cannot be changed.")
            elif (value := clean_text(text, MAX_TEXT, field, errors)) is not None:
                if section.editable and section.level == 2 and not value:
                    errors[field] = _("Write what the commune will do in this area.")
                clean["sections"][key] = value

    if "targets" in changes:
        clean["targets"] = _validate_targets(plan, changes["targets"], errors)
    if errors:
        raise PlanError(errors)
    return clean


def validate_activity(plan: Plan, data: dict) -> dict:
    errors: dict[str, str] = {}
    if not isinstance(data, dict):
        raise PlanError({"": _("Send a JSON object.")})
    clean = {}
    area_keys = {section.key for section in plan.sections if section.level == 2}
    section_key = data.get("section_key") or data.get("section")
    if not isinstance(section_key, str) or section_key not in area_keys:
        errors["section_key"] = _("Choose one of the content areas.")
    else:
        clean["section_key"] = section_key
    for name, limit in (("name", MAX_LINE), ("lead_body", 200), ("supporting_bodies", 500),
                        ("funding_source", 200)):
        value = clean_text(data.get(name), limit, name, errors)
        if value is not None:
            clean[name] = value
    if "name" in clean and not clean["name"]:
        errors["name"] = _("This field is required.")
    months = data.get("months")
    if months is None:
        months = []
    elif isinstance(months, str):
        months = [part for part in months.split(",") if part.strip()]
    try:
        if not isinstance(months, list) or not all(type(month) is int or isinstance(month, str) for month in months):
            raise TypeError("months are a list of whole numbers")  # not {} for none, true for 1 or 3.5 for 3
        month_numbers = sorted({int(month) for month in months})
    except (TypeError, ValueError):
        month_numbers = [0]
    if any(not 1 <= month <= 12 for month in month_numbers):
        errors["months"] = _("Months are numbers from 1 to 12.")
    else:
        clean["months"] = ",".join(str(month) for month in month_numbers)
    budget = parse_budget(data.get("budget_vnd"), "budget_vnd", errors)
    if "budget_vnd" not in errors:
        clean["budget_vnd"] = budget
    if errors:
        raise PlanError(errors)
    return clean


def clean_comment(comment, required: bool) -> str:
    errors: dict[str, str] = {}
    value = clean_text(comment, 2000, "comment", errors) or ""
    if required and not has_visible_text(value) and not errors:
        errors["comment"] = _("Say what the commune should change.")
    if errors:  # the comment alone is refused: "some of the values" would send the reader to the figures
        raise PlanError(errors, message=_("Nothing was done: the comment must be corrected."))
    return value


def submission_problems(plan: Plan) -> dict[str, str]:
    """What a plan needs before its leader can submit it."""
    problems: dict[str, str] = {}
    for name in ("document_number", "place", "signer_name"):
        if not getattr(plan, name):
            problems[name] = _("Fill this in before submitting.")
    if plan.document_date is None:
        problems["document_date"] = _("Fill this in before submitting.")
    for indicator in plan.template.indicators:
        if plan.target(indicator.id, None) is None:
            problems[target_field(indicator, None)] = _("Set a target before submitting.")
    # Targets saved before a rule was made (one sex alone) are refused only when saved again.
    check_target_rules(plan, plan.template.indicators, {}, problems)
    for section in plan.sections:
        if section.editable and section.level == 2 and not section.text.strip():
            problems[f"sections.{section.key}"] = _("Write what the commune will do in this area.")
    return problems
