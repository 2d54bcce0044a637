"""Reminder task: thin, it calls app.reminders.services. Beat runs it every few minutes; each
report is reminded once a day at most, whatever the number of ticks."""
import logging

from celery import shared_task

from app.extensions import db
from app.org_units.models import OrgUnit
from app.periods import local_today
from app.reminders import services
from tasks.dispatches import DELIVERY_ERRORS
from tenants import system_scope

log = logging.getLogger(__name__)


@shared_task(name="tasks.reminders.send_reminders")
def send_reminders() -> int:
    """Record today's reminders, then e-mail each commune once; a failed e-mail is logged and
    its reminders stay (the commune's home page shows them anyway)."""
    today = local_today()
    with system_scope("reminders go to every commune that owes a report"):
        created = services.record_reminders(today)
        db.session.commit()
        for unit_id, reminders in services.by_commune(created).items():
            unit = db.session.execute(db.select(OrgUnit).where(OrgUnit.id == unit_id)).scalar_one()
            try:
                services.email_reminders(unit, reminders, today)
                db.session.commit()
            except DELIVERY_ERRORS as error:
                db.session.rollback()
                log.warning("reminder e-mail to %s failed: %s", unit.code, error)
        return len(created)
