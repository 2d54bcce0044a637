"""What the plan pages show, prepared for the templates: the numbering of sections, the
targets as rows, field labels for messages, and the audit log in words."""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app, url_for
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l

from app.i18n import format_day
from app.plans.models import Plan, PlanStatus, Sex

SEX_KEYS = ("total", Sex.MALE.value, Sex.FEMALE.value)

ACTION_LABELS = {
    "created": _l("Created the plan"),
    "edited": _l("Edited"),
    "activity_added": _l("Added an activity"),
    "activity_edited": _l("Edited an activity"),
    "activity_removed": _l("Removed an activity"),
    "submit": _l("Submitted the plan"),
    "approve": _l("Approved the plan"),
    "return": _l("Returned the plan"),
    "amend": _l("Started an amendment"),
}
FIELD_LABELS = {
    "template": _l("Template"), "status": _l("Status"), "title": _l("Title"),
    "legal_basis": _l("Legal basis"), "introduction": _l("Introduction"), "closing": _l("Closing paragraph"),
    "document_number": _l("Document number"), "place": _l("Place"), "document_date": _l("Date"),
    "date": _l("Date"), "number": _l("Document number"),
    "signer_authority": _l("On behalf of"), "signer_title": _l("Signer's title"),
    "signer_name": _l("Signer's name"), "recipients": _l("Recipients"), "comment": _l("Comment"),
    "activity": _l("Activity"), "section_key": _l("Content area"), "section": _l("Content area"),
    "name": _l("Activity"), "lead_body": _l("Lead body"), "supporting_bodies": _l("Supporting bodies"),
    "months": _l("Months"), "budget_vnd": _l("Budget (đồng)"), "funding_source": _l("Source of funds"),
    "template_id": _l("Template"),
}
SEX_LABELS = {None: _l("Total"), "total": _l("Total"), "male": _l("Men"), "female": _l("Women")}
# Long texts: the log names the field, the versions page shows the words that changed.
LONG_FIELDS = {"legal_basis", "introduction", "closing", "recipients"}
# Dates, which the log keeps as ISO text ("2023-05-05").
DATE_FIELDS = {"document_date", "date"}


def show_number(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format_decimal(value)
    return str(value)


def show_day(value) -> str:
    """A date the log keeps as ISO text, as the reader writes dates ("05/05/2023")."""
    if not value:
        return "—"
    try:
        return format_day(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


@dataclass
class TargetRow:
    indicator: object
    values: dict[str, Decimal | None]  # total, male, female


def target_rows(plan: Plan) -> list[TargetRow]:
    rows = []
    for indicator in plan.template.indicators:
        values = {key: getattr(plan.target(indicator.id, None if key == "total" else key), "value", None)
                  for key in SEX_KEYS}
        rows.append(TargetRow(indicator, values))
    return rows


def field_label(plan: Plan, name: str) -> str:
    """A field name of a PlanError (`sections.muc-dich`, `targets.TT01.female`) in words."""
    parts = name.split(".")
    if parts[0] == "sections" and len(parts) > 1:
        section = plan.section(parts[1])
        return section.heading if section else name
    if parts[0] == "targets" and len(parts) > 1:
        return figure_label(plan.template, parts[1], parts[2] if len(parts) > 2 else "total")
    return str(FIELD_LABELS.get(name, name))


def figure_label(template, code: str, sex_key: str) -> str:
    """A target's or a reported value's field (`TT01`, `female`) in words: the indicator's name,
    with the sex unless it is the total."""
    indicator = template.indicator(code)
    label = indicator.name if indicator else code
    if sex_key != "total":
        label = f"{label} ({SEX_LABELS.get(sex_key, sex_key)})"
    return label


@dataclass
class ChangeLine:
    label: str
    before: str | None = None
    after: str | None = None
    show_values: bool = True


def describe_change(plan: Plan, change: dict) -> ChangeLine:
    name, before, after = change.get("field", ""), change.get("before"), change.get("after")
    if name.startswith("section:"):
        section = plan.section(name.split(":", 1)[1])
        return ChangeLine(section.heading if section else name, show_values=False)
    if name.startswith("target:"):
        _kind, code, *sex = name.split(":")
        label = field_label(plan, f"targets.{code}.{sex[0] if sex else 'total'}")
        return ChangeLine(label, show_number(before), show_number(after))
    if name == "status":
        return ChangeLine(str(FIELD_LABELS["status"]), PlanStatus(before).label if before else "—",
                          PlanStatus(after).label if after else "—")
    field = name.split(":", 1)[1] if name.startswith("activity:") else name
    label = str(FIELD_LABELS.get(field, field))
    if field in LONG_FIELDS:
        return ChangeLine(label, show_values=False)
    if field in DATE_FIELDS:
        return ChangeLine(label, show_day(before), show_day(after))
    return ChangeLine(label, show_number(before), show_number(after))


def describe_entry(plan: Plan, entry, names: dict[int, str]) -> dict:
    return history_entry(entry, names, ACTION_LABELS, lambda change: describe_change(plan, change))


def history_entry(entry, names: dict[int, str], action_labels: dict, describe: Callable[[dict], ChangeLine]) -> dict:
    """An audit entry of a plan or a report as the `history_log` macro shows it."""
    return {
        "who": names.get(entry.user_id, "—"),
        "when": entry.created_at,
        "action": str(action_labels.get(entry.action, entry.action)),
        "changes": [describe(change) for change in entry.changes or []],
        "comment": entry.comment,
    }


def document_links(blueprint: str, **values) -> list[tuple[str, str]]:
    """Word, PDF and print of a document (a plan's, a report's), for the endpoints its
    blueprint has registered."""
    links = [("docx", _l("Word")), ("pdf", _l("PDF")), ("print_view", _l("Print"))]
    return [(str(label), url_for(f"{blueprint}.{view}", **values)) for view, label in links
            if f"{blueprint}.{view}" in current_app.view_functions]