"""Reminders to communes whose report is due soon or late. One row per report (plan ×
period) and day at most — the unique key, not a read, keeps a second tick from reminding
twice — and it records whom the e-mail went to, for the district to see."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates.models import LabelledEnum
from app.plans.models import Plan
from app.text import NFCText
from tenants import TenantOwned


class ReminderKind(LabelledEnum):
    DUE_SOON = "due_soon", _l("Due soon")
    LATE = "late", _l("Late")


class Reminder(TenantOwned, db.Model):
    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("plan_id", "period", "reminded_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[date]
    # The day in Viet Nam: at most one reminder per report and day.
    reminded_on: Mapped[date]
    # Comma-separated addresses the e-mail went to ("" when the commune's users have none).
    emailed_to: Mapped[str] = mapped_column(NFCText, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[OrgUnit] = relationship()
    plan: Mapped[Plan] = relationship()

    @property
    def kind_enum(self) -> ReminderKind:
        return ReminderKind(self.kind)
