"""Checking a report schedule before it is saved: every problem at once, by field, in the
user's language (the API's `fields`, the form's messages)."""
from flask_babel import gettext as _

from app.dispatches.models import FileFormat, SendMode
from app.mail import normalized_address
from app.plan_templates.models import PeriodType, PlanTemplate
from app.plans.validation import PlanError, clean_text

# Errors by field, as plans and reports raise them.
ScheduleError = PlanError
MAX_DAYS_AFTER_DEADLINE = 365


def period_types_of(template: PlanTemplate) -> list[str]:
    """What a schedule may send upward: the template's reporting period, or the whole year."""
    return list(dict.fromkeys([template.report_period_type, "year"]))


def _emails(value, errors: dict) -> str | None:
    if isinstance(value, str):
        value = value.replace(";", ",").replace("\n", ",").split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors["recipient_emails"] = _("Enter the e-mail addresses, separated by commas.")
        return None
    emails = [item.strip() for item in value if item.strip()]
    if not emails:
        errors["recipient_emails"] = _("Enter at least one e-mail address.")
        return None
    normalized = []
    for email in emails:
        if (address := normalized_address(email)) is None:
            errors["recipient_emails"] = _("%(email)s is not a valid e-mail address.", email=email)
            return None
        normalized.append(address)
    joined = ",".join(dict.fromkeys(normalized))
    if len(joined) > 1000:
        errors["recipient_emails"] = _("Too many addresses.")
        return None
    return joined


def _days(value, errors: dict) -> int | None:
    if isinstance(value, str) and value.strip().isdecimal():  # what int() reads ("²" is a digit, not a number)
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS_AFTER_DEADLINE:
        errors["days_after_deadline"] = _("Enter a whole number of days from 0 to %(most)s.",
                                          most=MAX_DAYS_AFTER_DEADLINE)
        return None
    return value


def validate_schedule(template: PlanTemplate, data: dict) -> dict:
    """The schedule's fields from `data` (a form or an API body), or ScheduleError."""
    errors: dict[str, str] = {}
    period_type = data.get("period_type")
    if period_type not in period_types_of(template):
        errors["period_type"] = _("This template's reports are by %(types)s only.",
                                  types=", ".join(PeriodType(kind).label for kind in period_types_of(template)))
    days = _days(data.get("days_after_deadline", 5), errors)
    name = clean_text(data.get("recipient_name"), 255, "recipient_name", errors)
    if name == "":
        errors["recipient_name"] = _("Enter the name of the office that receives the report.")
    emails = _emails(data.get("recipient_emails"), errors)
    formats = data.get("formats") or []
    if isinstance(formats, str):
        formats = [part.strip() for part in formats.split(",") if part.strip()]
    known = {member.value for member in FileFormat}
    chosen = isinstance(formats, list) and formats and all(isinstance(kind, str) and kind in known for kind in formats)
    if not chosen:
        errors["formats"] = _("Choose at least one format: %(formats)s.", formats=", ".join(sorted(known)))
    mode = data.get("mode", SendMode.REVIEW.value)
    if not isinstance(mode, str) or mode not in {member.value for member in SendMode}:
        errors["mode"] = _("Choose whether the report is sent automatically or reviewed first.")
    active = data.get("active", True)
    if not isinstance(active, bool):
        errors["active"] = _("Send true or false.")
    if errors:
        raise ScheduleError(errors)
    return {"period_type": period_type, "days_after_deadline": days, "recipient_name": name,
            "recipient_emails": emails, "formats": ",".join(f for f in (m.value for m in FileFormat) if f in formats),
            "mode": mode, "active": active}
