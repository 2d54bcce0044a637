"""Reads of reminders; the tenant guard limits them to the reader's subtree."""
from datetime import date

from sqlalchemy.orm import joinedload

from app.extensions import db
from app.org_units.models import OrgUnit
from app.plans import queries as plan_queries
from app.reminders import services
from app.reminders.models import Reminder

RECENT = 300


def recent_reminders() -> list[Reminder]:
    """The latest reminders below the reader, newest first."""
    return list(db.session.execute(db.select(Reminder).options(joinedload(Reminder.unit)).order_by(
        Reminder.reminded_on.desc(), Reminder.id.desc()).limit(RECENT)).scalars())


def owed_by(unit: OrgUnit, today: date) -> list[services.OwedReport]:
    """What the commune's home page reminds it of."""
    return services.owed_reports(plan_queries.plans_of_unit(unit), today)
