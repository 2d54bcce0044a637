"""A commune's progress report on its approved plan for one period (DESIGN.md, Workflows):
a value per indicator (per sex where disaggregated), each activity's progress, and the
budget spent. `version` is the optimistic lock, as on plans."""
from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates.models import LabelledEnum, TemplateIndicator
from app.plans.models import Plan, PlanActivity
from app.text import NFCString, NFCText
from tenants import TenantOwned, TenantOwnedPart


class ReportStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")
    ACCEPTED = "accepted", _l("Accepted")
    RETURNED = "returned", _l("Returned")


class ActivityProgress(LabelledEnum):
    NOT_STARTED = "not_started", _l("Not started")
    IN_PROGRESS = "in_progress", _l("In progress")
    DONE = "done", _l("Done")
    CANCELLED = "cancelled", _l("Cancelled")


class Report(TenantOwned, db.Model):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("plan_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    # A DHIS2 period id: 2023Q3, 2023S1, 2023, 202304 (app/periods.py).
    period: Mapped[str] = mapped_column(String(8), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.DRAFT)
    # Submitted after the period's deadline (set at the first submission, kept after).
    late: Mapped[bool] = mapped_column(default=False)
    return_comment: Mapped[str] = mapped_column(NFCText, default="")
    # The commune's own words on the period and what it asks of the district: the last part of
    # its BÁO CÁO (app/reports/document.py).
    assessment: Mapped[str] = mapped_column(NFCText, default="")
    # The number the commune's office gives the BÁO CÁO when it is signed ("12/BC-UBND", or
    # "12"); blank leaves room in the document's header to write it by hand.
    document_number: Mapped[str] = mapped_column(NFCString(64), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[OrgUnit] = relationship()
    plan: Mapped[Plan] = relationship()
    values: Mapped[list["ReportValue"]] = relationship(back_populates="report", cascade="all, delete-orphan")
    activities: Mapped[list["ReportActivity"]] = relationship(
        back_populates="report", cascade="all, delete-orphan")

    @property
    def status_enum(self) -> ReportStatus:
        return ReportStatus(self.status)

    def value(self, indicator_id: int, sex: str | None) -> "ReportValue | None":
        return next((value for value in self.values
                     if value.indicator_id == indicator_id and value.sex == sex), None)

    def progress_of(self, activity_id: int) -> "ReportActivity | None":
        return next((row for row in self.activities if row.activity_id == activity_id), None)

    def __repr__(self) -> str:
        return f"<Report {self.id} plan={self.plan_id} {self.period} {self.status}>"


class ReportChild(TenantOwnedPart):
    """Rows of a report: they belong to the report's commune."""

    __tenant_parent__ = "report"


class ReportValue(ReportChild, db.Model):
    """One figure: `sex` is None for the total, or `male` / `female`."""

    __tablename__ = "report_values"
    __table_args__ = (UniqueConstraint("report_id", "indicator_id", "sex"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("template_indicators.id"), index=True)
    sex: Mapped[str | None] = mapped_column(String(8))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 2))

    report: Mapped[Report] = relationship(back_populates="values")
    # Joined: a value is always shown with its indicator (one query, not one per value).
    indicator: Mapped[TemplateIndicator] = relationship(lazy="joined")


class ReportActivity(ReportChild, db.Model):
    """How one of the plan's activities is going, and what it has spent."""

    __tablename__ = "report_activities"
    __table_args__ = (UniqueConstraint("report_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id", ondelete="CASCADE"), index=True)
    progress: Mapped[str] = mapped_column(String(16), default=ActivityProgress.NOT_STARTED)
    note: Mapped[str] = mapped_column(NFCString(500), default="")
    budget_spent_vnd: Mapped[int | None] = mapped_column(BigInteger)

    report: Mapped[Report] = relationship(back_populates="activities")
    # Joined: progress is always shown with its activity (one query, not one per activity).
    activity: Mapped[PlanActivity] = relationship(lazy="joined")
