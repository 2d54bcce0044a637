"""What the report pages show, prepared for the templates: periods in words with their
state, the figures beside the plan's targets, field labels for messages, the log in words."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import periods
from app.i18n import input_number
from app.plans.models import Plan
from app.plans.pages import (
    SEX_KEYS,
    ChangeLine,
    figure_label,
    history_entry,
    show_number,
)
from app.reports.models import ActivityProgress, Report, ReportStatus

ACTION_LABELS = {
    "created": _l("Started the report"),
    "edited": _l("Edited"),
    "submit": _l("Submitted the report"),
    "accept": _l("Accepted the report"),
    "return": _l("Returned the report"),
}
ACTIVITY_FIELD_LABELS = {"progress": _l("Progress"), "note": _l("Note"),
                         "budget_spent_vnd": _l("Budget spent (đồng)"), "budget_spent": _l("Budget spent (đồng)")}
STATE_LABELS = {
    periods.PeriodState.OPEN: _l("Open"),
    periods.PeriodState.DUE: _l("Due"),
    periods.PeriodState.LATE: _l("Late"),
    periods.PeriodState.CLOSED: _l("Closed"),
}
ASSESSMENT_LABEL = _l("Assessment and proposals")
DOCUMENT_NUMBER_LABEL = _l("Document number")
# A report counts as handed in while it is with the district or accepted; a returned one is
# back with the commune.
HANDED_IN = {ReportStatus.SUBMITTED, ReportStatus.ACCEPTED}


def period_label(period_id: str) -> str:
    """`2023Q3` → "Quarter 3/2023" (in Vietnamese "Quý 3/2023"); `2023S1` → "First half of
    2023" ("6 tháng đầu năm 2023", as the district's documents name it)."""
    try:
        period = periods.parse(period_id)
    except ValueError:
        return period_id
    if period.type == "quarter":
        return _("Quarter %(n)s/%(year)s", n=period.id[-1], year=period.year)
    if period.type == "six_months":
        if period.id.endswith("S1"):
            return _("First half of %(year)s", year=period.year)
        return _("Second half of %(year)s", year=period.year)
    if period.type == "month":
        return _("Month %(n)s/%(year)s", n=period.start.month, year=period.year)
    return _("Year %(year)s", year=period.year)


@dataclass
class PeriodRow:
    period: periods.Period
    label: str
    deadline: date
    state: periods.PeriodState
    report: Report | None

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def period_rows(plan: Plan, expected: list[periods.Period], reports: dict[str, Report], today: date) -> list[PeriodRow]:
    days = plan.template.report_deadline_days
    rows = []
    for period in expected:
        report = reports.get(period.id)
        handed_in = report is not None and report.status in HANDED_IN
        rows.append(PeriodRow(period, period_label(period.id), period.deadline(days),
                              period.state(today, days, handed_in), report))
    return rows


@dataclass
class ValueRow:
    indicator: object
    target: Decimal | None
    values: dict[str, Decimal | None]  # total, male, female

    def inputs(self) -> list[tuple[str, str, str]]:
        """(field name, sex key, saved value as typed) for the edit form; none for a ratio."""
        if self.indicator.is_ratio:
            return []
        keys = SEX_KEYS if self.indicator.by_sex else ("total",)
        return [(f"values.{self.indicator.code}.{key}", key, input_number(self.values[key])) for key in keys]


def value_rows(report: Report) -> list[ValueRow]:
    rows = []
    for indicator in report.plan.template.indicators:
        target = report.plan.approved_target(indicator.id, None)
        values = {}
        for key in SEX_KEYS:
            saved = report.value(indicator.id, None if key == "total" else key)
            values[key] = saved.value if saved else None
        rows.append(ValueRow(indicator, target.value if target else None, values))
    return rows


@dataclass
class ActivityRow:
    activity: object
    progress: object  # ReportActivity

    def inputs(self) -> dict[str, tuple[str, str]]:
        """Per field, (input name, saved value as typed)."""
        prefix = f"activities.{self.activity.id}"
        spent = self.progress.budget_spent_vnd
        return {"progress": (f"{prefix}.progress", self.progress.progress),
                "note": (f"{prefix}.note", self.progress.note or ""),
                "budget_spent": (f"{prefix}.budget_spent", input_number(spent))}


def activity_rows(report: Report) -> list[ActivityRow]:
    ordered = sorted(report.activities, key=lambda row: (row.activity.position, row.activity_id))
    return [ActivityRow(row.activity, row) for row in ordered]


def field_label(report: Report, name: str) -> str:
    """A field name of a ReportError (`values.TT01.female`, `activities.7.note`) in words."""
    parts = name.split(".")
    if parts[0] == "values" and len(parts) > 1:
        return figure_label(report.plan.template, parts[1], parts[2] if len(parts) > 2 else "total")
    if parts[0] == "activities" and len(parts) > 1:
        row = report.progress_of(int(parts[1])) if parts[1].isdigit() else None
        label = row.activity.name if row else _("Activity")
        if len(parts) > 2:
            label = f"{label} ({ACTIVITY_FIELD_LABELS.get(parts[2], parts[2])})"
        return label
    return {"comment": _("Comment"), "period": _("Period"), "plan": _("Plan"),
            "assessment": str(ASSESSMENT_LABEL), "document_number": str(DOCUMENT_NUMBER_LABEL)}.get(name, name)


def describe_change(report: Report, change: dict) -> ChangeLine:
    name, before, after = change.get("field", ""), change.get("before"), change.get("after")
    kind, _sep, rest = name.partition(":")
    if kind == "value":
        code, _sep, sex = rest.partition(":")
        return ChangeLine(field_label(report, f"values.{code}.{sex or 'total'}"), show_number(before), show_number(after))
    if kind == "activity":
        activity_id, _sep, field = rest.partition(":")
        label = field_label(report, f"activities.{activity_id}.{field}")
        if field == "progress":
            return ChangeLine(label, _progress(before), _progress(after))
        return ChangeLine(label, show_number(before), show_number(after))
    if name == "assessment":  # a text: the log says it changed, the report shows it
        return ChangeLine(str(ASSESSMENT_LABEL), show_values=False)
    if name == "document_number":
        return ChangeLine(str(DOCUMENT_NUMBER_LABEL), show_number(before), show_number(after))
    if name == "status":
        return ChangeLine(_("Status"), _status(before), _status(after))
    if name == "period":
        return ChangeLine(_("Period"), "—", period_label(str(after)))
    return ChangeLine(name, show_number(before), show_number(after))


def _progress(value) -> str:
    return ActivityProgress(value).label if value in set(ActivityProgress) else show_number(value)


def _status(value) -> str:
    return ReportStatus(value).label if value in set(ReportStatus) else show_number(value)


def describe_entry(report: Report, entry, names: dict[int, str]) -> dict:
    return history_entry(entry, names, ACTION_LABELS, lambda change: describe_change(report, change))
