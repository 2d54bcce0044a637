"""Checks on what an author sends for a template, shared by the web editor, the API and the
demo loader, so all of them refuse the same things with the same messages. Each check adds
its problems to an `errors` dict under `prefix + field` and returns the cleaned values."""
import re
from decimal import Decimal

from flask_babel import gettext as _

from app.plan_templates.models import (
    Aggregation,
    Disaggregation,
    PeriodType,
    TimeAggregation,
    ValueType,
)
from app.plans.validation import TOO_LARGE, parse_number
from app.text import ascii_fold, nfc

MAX_TEXT = 20_000
DETAIL_LIMITS = {"title": 500, "legal_basis": MAX_TEXT, "introduction": MAX_TEXT, "closing": MAX_TEXT,
                 "responsible_bodies": 5000, "recipients": 5000}
# Fields kept as one item per line; the API sends them as lists.
LINE_FIELDS = ("legal_basis", "responsible_bodies", "recipients")
CODE_PATTERN = re.compile(r"^[A-Z0-9._-]{1,16}$")
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_LENGTH = 40
MAX_DEADLINE_DAYS = 365


class TemplateError(ValueError):
    """What was wrong, by field (`title`, `sections.0.heading`, `indicators.1.code`, …)."""

    status = 422

    def __init__(self, fields: dict[str, str], message: str | None = None):
        super().__init__(message or "; ".join(f"{name}: {text}" for name, text in fields.items()))
        self.fields = fields
        self.message = message or _("Some of the values are not valid.")


class TemplateLocked(TemplateError):
    """The template is published: it never changes (a conflict with its state: 409)."""

    status = 409

    def __init__(self):
        message = _("This template is published and cannot change. Make a new revision to edit it.")
        super().__init__({"": message}, message)


def text(value, limit: int, field: str, errors: dict, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    value = nfc(value).replace("\r\n", "\n").strip()
    if len(value) > limit:
        errors[field] = _("At most %(limit)s characters (now %(length)s).", limit=limit, length=len(value))
    elif required and not value:
        errors[field] = _("This field is required.")
    return value


def lines(value, limit: int, field: str, errors: dict) -> str:
    """A list of lines, or text with one item per line; blank lines are dropped."""
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            errors[field] = _("Send a list of texts.")
            return ""
        value = "\n".join(value)
    value = text(value, limit, field, errors)
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


def choice(value, enum, field: str, errors: dict, default):
    if value in (None, ""):
        return default
    if not isinstance(value, str) or value not in {member.value for member in enum}:
        errors[field] = _("Choose one of the listed values.")
        return default
    return enum(value)


def flag(value, field: str, errors: dict, default: bool) -> bool:
    """A yes or no: JSON's true or false (a form's checkbox gives one too)."""
    if not isinstance(value, bool):
        errors[field] = _("Say true or false.")
        return default
    return value


def clean_year(value, errors: dict, field: str = "year") -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = _("Enter a year, such as 2024.")
        return None
    if not 2000 <= year <= 2100:
        errors[field] = _("Enter a year between 2000 and 2100.")
        return None
    return year


def clean_details(data: dict, errors: dict, creating: bool = False) -> dict:
    """The template's own fields present in `data` (all of them when `creating`)."""
    clean: dict = {}
    for name, limit in DETAIL_LIMITS.items():
        if name not in data and not creating:
            continue
        if name in LINE_FIELDS:
            clean[name] = lines(data.get(name), limit, name, errors)
        else:
            clean[name] = text(data.get(name), limit, name, errors, required=name == "title")
    if "report_period_type" in data or creating:
        clean["report_period_type"] = choice(data.get("report_period_type"), PeriodType,
                                             "report_period_type", errors, PeriodType.QUARTER)
    if "report_deadline_days" in data or creating:
        days = data.get("report_deadline_days", 10)
        try:
            days = int(str(days).strip()) if not isinstance(days, bool) else None
        except ValueError:
            days = None
        if days is None or not 0 <= days <= MAX_DEADLINE_DAYS:
            errors["report_deadline_days"] = _("Enter a number of days from 0 to %(max)s.", max=MAX_DEADLINE_DAYS)
        else:
            clean["report_deadline_days"] = days
    if "rollup_includes_submitted" in data or creating:
        clean["rollup_includes_submitted"] = flag(data.get("rollup_includes_submitted", False),
                                                  "rollup_includes_submitted", errors, False)
    return clean


def slug(heading: str) -> str:
    """`Tuyên truyền nâng cao nhận thức` → `tuyen-truyen-nang-cao-nhan-thuc`."""
    folded = re.sub(r"[^a-z0-9]+", "-", ascii_fold(heading).lower()).strip("-")
    return folded[:KEY_LENGTH].strip("-") or "muc"


def unique_key(heading: str, taken: set[str]) -> str:
    base, number = slug(heading), 2
    key = base
    while key in taken:
        suffix = f"-{number}"
        key = base[:KEY_LENGTH - len(suffix)].strip("-") + suffix
        number += 1
    return key


def clean_section(data: dict, errors: dict, prefix: str = "") -> dict:
    clean = {
        "heading": text(data.get("heading"), 300, prefix + "heading", errors, required=True),
        "guidance": text(data.get("guidance"), MAX_TEXT, prefix + "guidance", errors),
        "default_text": text(data.get("default_text"), MAX_TEXT, prefix + "default_text", errors),
    }
    level = data.get("level", 1)
    if str(level).strip() not in ("1", "2") or isinstance(level, bool):
        errors[prefix + "level"] = _("Choose level 1 (I, II, III…) or level 2 (a content area 1, 2, 3…).")
    else:
        clean["level"] = int(str(level).strip())
    clean["editable"] = flag(data.get("editable", True), prefix + "editable", errors, True)
    return clean


def structure_problem(levels: list[int]) -> str | None:
    """A content area (level 2) must come after a numbered section (level 1)."""
    if levels and levels[0] == 2:
        return _("A content area (level 2) must come after a numbered section (level 1).")
    return None


def clean_activity(data: dict, area_keys: set[str], errors: dict, prefix: str = "") -> dict:
    section_key = data.get("section_key")
    if not isinstance(section_key, str) or section_key not in area_keys:
        errors[prefix + "section_key"] = _("Choose one of the content areas (level 2 sections).")
        section_key = ""
    return {
        "section_key": section_key,
        "name": text(data.get("name"), 500, prefix + "name", errors, required=True),
        "lead_body": text(data.get("lead_body"), 200, prefix + "lead_body", errors),
    }


def _code(value, field: str, errors: dict, required: bool) -> str:
    value = text(value, 16, field, errors, required=required).upper()
    if value and not CODE_PATTERN.match(value) and field not in errors:
        errors[field] = _("Use capital letters, digits, dot, dash or underscore (at most 16).")
    return value


def clean_indicator(data: dict, errors: dict, prefix: str = "") -> dict:
    clean = {
        "code": _code(data.get("code"), prefix + "code", errors, required=True),
        "name": text(data.get("name"), 300, prefix + "name", errors, required=True),
        "measure_unit": text(data.get("measure_unit"), 32, prefix + "measure_unit", errors),
        "value_type": choice(data.get("value_type"), ValueType, prefix + "value_type", errors, ValueType.INTEGER),
        "aggregation": choice(data.get("aggregation"), Aggregation, prefix + "aggregation", errors,
                              Aggregation.SUM),
        "disaggregation": choice(data.get("disaggregation"), Disaggregation, prefix + "disaggregation",
                                 errors, Disaggregation.NONE),
        "time_aggregation": choice(data.get("time_aggregation"), TimeAggregation, prefix + "time_aggregation",
                                   errors, TimeAggregation.SUM),
    }
    for name in ("numerator_code", "denominator_code"):
        code = _code(data.get(name), prefix + name, errors, required=False)
        clean[name] = code if clean["aggregation"] == Aggregation.RATIO and code else None
    clean["minimum_target"] = _minimum(data.get("minimum_target"), clean["value_type"],
                                       prefix + "minimum_target", errors)
    return clean


def _minimum(value, value_type: str, field: str, errors: dict) -> Decimal | None:
    try:
        number = parse_number(value)
    except ValueError:
        errors[field] = _("Enter a number.")
        return None
    problem = None
    if number is None:
        return None
    if number < 0:
        problem = _("A minimum target cannot be negative.")
    elif value_type == ValueType.PERCENT and number > 100:
        problem = _("A percentage is between 0 and 100.")
    elif value_type == ValueType.INTEGER and number != number.to_integral_value():
        problem = _("Enter a whole number.")
    elif value_type == ValueType.BOOLEAN and number not in (0, 1):
        problem = _("Enter 1 for yes or 0 for no.")
    elif number >= TOO_LARGE:
        problem = _("This number is too large.")
    if problem:
        errors[field] = problem
        return None
    return number


def check_codes(clean: dict, taken: set[str], others: dict[str, str], errors: dict, prefix: str = "") -> None:
    """The code is not `taken` by another indicator; a ratio names two of the `others` (the
    template's other indicators: code → aggregation), not itself, that are not ratios
    themselves: a ratio of ratios means nothing added up, and two ratios naming each other
    would have no value."""
    if clean["code"] and clean["code"] in taken:
        errors[prefix + "code"] = _("Another indicator already has the code %(code)s.", code=clean["code"])
    if clean["aggregation"] != Aggregation.RATIO:
        return
    for name, missing in (("numerator_code", _("A ratio needs the code of its numerator indicator.")),
                          ("denominator_code", _("A ratio needs the code of its denominator indicator."))):
        if prefix + name in errors:
            continue
        if not clean[name]:
            errors[prefix + name] = missing
        elif clean[name] not in others or clean[name] == clean["code"]:
            errors[prefix + name] = _("There is no other indicator with the code %(code)s in this template.",
                                      code=clean[name])
        elif others[clean[name]] == Aggregation.RATIO:
            errors[prefix + name] = ratio_of_a_ratio(clean[name])


def ratio_of_a_ratio(code: str) -> str:
    return _("%(code)s is a ratio itself: a ratio is computed from two indicators that are entered.", code=code)
