"""Reminding communes of the reports they owe: due within REMINDER_DAYS_BEFORE days, or late.

`owed_reports` is what a commune's home page shows, computed live. `record_reminders` writes
today's reminders (one per report and day: the unique key decides), and `email_reminders`
sends each commune one e-mail listing them to its editor and leader; the task commits in
between, so an e-mail that fails leaves the reminder in place and the notice on the page."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import mail, periods
from app.auth.models import Role, User
from app.dispatches.figures import period_label
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plans.models import Plan
from app.reminders.models import Reminder, ReminderKind
from app.reports.models import Report, ReportStatus
from app.reports.services import expected_periods, is_reportable

SENT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
RECIPIENT_ROLES = (Role.COMMUNE_EDITOR, Role.COMMUNE_LEADER)


@dataclass(frozen=True)
class OwedReport:
    plan: Plan
    period: periods.Period
    deadline: date
    kind: ReminderKind
    report: Report | None  # a draft or a returned one; None when not started


def owed_reports(plans: list[Plan], today: date, days_before: int | None = None) -> list[OwedReport]:
    """The reports of `plans` not yet sent to the district whose deadline is within
    `days_before` days or past, oldest deadline first."""
    days_before = current_app.config["REMINDER_DAYS_BEFORE"] if days_before is None else days_before
    sent = {(report.plan_id, report.period): report for report in db.session.execute(
        db.select(Report).where(Report.plan_id.in_([plan.id for plan in plans]))).scalars()}
    owed = []
    for plan in plans:
        if not is_reportable(plan):
            continue
        for period in expected_periods(plan):
            report = sent.get((plan.id, period.id))
            if report is not None and report.status in SENT_STATUSES:
                continue
            deadline = period.deadline(plan.template.report_deadline_days)
            if today > deadline:
                owed.append(OwedReport(plan, period, deadline, ReminderKind.LATE, report))
            elif (deadline - today).days <= days_before:
                owed.append(OwedReport(plan, period, deadline, ReminderKind.DUE_SOON, report))
    return sorted(owed, key=lambda item: (item.deadline, item.plan.unit_id))


def record_reminders(today: date) -> list[Reminder]:
    """Today's reminders for every report owed (call in a system scope); none twice a day."""
    plans = list(db.session.execute(db.select(Plan).options(
        selectinload(Plan.versions), selectinload(Plan.template))).scalars())
    done_today = set(db.session.execute(db.select(Reminder.plan_id, Reminder.period).where(
        Reminder.reminded_on == today)).all())
    created = []
    for owed in owed_reports(plans, today):
        if (owed.plan.id, owed.period.id) in done_today:
            continue
        try:
            with db.session.begin_nested():
                reminder = Reminder(unit_id=owed.plan.unit_id, plan_id=owed.plan.id, period=owed.period.id,
                                    kind=owed.kind.value, deadline=owed.deadline, reminded_on=today)
                db.session.add(reminder)
        except IntegrityError:  # another tick wrote it at the same moment
            continue
        created.append(reminder)
    db.session.flush()
    return created


def recipients_of(unit_id: int) -> list[str]:
    """The commune's active editors and leaders that have an address."""
    return list(db.session.execute(db.select(User.email).where(
        User.unit_id == unit_id, User.active, User.role.in_([role.value for role in RECIPIENT_ROLES]),
        User.email.is_not(None), User.email != "").order_by(User.email)).scalars())


def by_commune(reminders: list[Reminder]) -> dict[int, list[Reminder]]:
    grouped: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        grouped[reminder.unit_id].append(reminder)
    return dict(grouped)


def email_reminders(unit: OrgUnit, reminders: list[Reminder], today: date) -> str | None:
    """One e-mail to the commune's editor and leader listing its reminders; records to whom.
    None when nobody there has an address."""
    addresses = recipients_of(unit.id)
    if not addresses:
        return None
    message = mail.new_message(f"Nhắc nộp báo cáo bình đẳng giới — {unit.name}", addresses)
    lines = [f"- {period_label(reminder.period)}: "
             + ("đã quá hạn" if reminder.kind == ReminderKind.LATE else "sắp đến hạn")
             + f" (hạn {reminder.deadline.strftime('%d/%m/%Y')})" for reminder in reminders]
    message.set_content(f"Kính gửi {unit.name},\n\nCác báo cáo sau chưa được gửi lên huyện:\n"
                        + "\n".join(lines) + "\n\nXin vui lòng hoàn thành và gửi báo cáo.\n")
    mail.send(message, f"reminder-{unit.code}-{today.isoformat()}")
    for reminder in reminders:
        reminder.emailed_to = ", ".join(addresses)
    db.session.flush()
    return ", ".join(addresses)
