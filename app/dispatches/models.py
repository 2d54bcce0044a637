"""Aggregated reports sent upward (issue: scheduled reports to the province).

A `ReportSchedule` says, for one template of a supervising unit, which periods go up, how many
days after the communes' reporting deadline, to whom, in which formats, and whether the report
is sent at once or first prepared for the officer to review. Each schedule × period gives at
most one `Dispatch` (a unique key: beat ticking twice, or catching up after a pause, cannot
make two); its generated files are `DispatchFile`s with their checksum.
"""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.i18n import in_reader_language
from app.org_units.models import OrgUnit
from app.plan_templates.models import LabelledEnum, PlanTemplate
from app.text import NFCString, NFCText
from tenants import TenantOwned, TenantOwnedPart


class SendMode(LabelledEnum):
    REVIEW = "review", _l("Prepared for the officer to review and send")
    AUTOMATIC = "automatic", _l("Sent automatically")


class FileFormat(LabelledEnum):
    XLSX = "xlsx", _l("Excel workbook (XLSX)")
    DOCX = "docx", _l("Word report (DOCX)")


class DispatchState(LabelledEnum):
    PREPARING = "preparing", _l("Preparing")
    PREPARED = "prepared", _l("Prepared")
    SENDING = "sending", _l("Sending")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")


def split_emails(recipient_emails: str) -> list[str]:
    """The addresses of a schedule's `recipient_emails` (as validation joins them: by commas)."""
    return [email.strip() for email in recipient_emails.split(",") if email.strip()]


class ReportSchedule(TenantOwned, db.Model):
    __tablename__ = "report_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id"), index=True)
    # The period type sent upward: the template's own, or the year.
    period_type: Mapped[str] = mapped_column(String(16))
    days_after_deadline: Mapped[int] = mapped_column(default=5)
    recipient_name: Mapped[str] = mapped_column(NFCString(255))
    # Comma-separated, each checked when saved.
    recipient_emails: Mapped[str] = mapped_column(String(1000))
    # Comma-separated FileFormat values.
    formats: Mapped[str] = mapped_column(String(32), default="xlsx,docx")
    mode: Mapped[str] = mapped_column(String(16), default=SendMode.REVIEW)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    unit: Mapped[OrgUnit] = relationship()
    template: Mapped[PlanTemplate] = relationship()

    @property
    def emails(self) -> list[str]:
        return split_emails(self.recipient_emails)

    @property
    def mode_label(self) -> str:
        return SendMode(self.mode).label

    @property
    def format_list(self) -> list[FileFormat]:
        return [FileFormat(name) for name in self.formats.split(",") if name]


class Dispatch(TenantOwned, db.Model):
    __tablename__ = "dispatches"
    __table_args__ = (UniqueConstraint("schedule_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("report_schedules.id"), index=True)
    period: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default=DispatchState.PREPARING)
    # The officer's paragraphs in the Word report, editable until it is sent.
    narrative: Mapped[str] = mapped_column(NFCText, default="")
    # Why the last send failed, by language (as a task run's messages): empty when it did not.
    error_messages: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    # The Celery id of the task building or sending it: the page follows its progress.
    task_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    prepared_at: Mapped[datetime | None]
    # When the last send was claimed: a worker that died mid-send leaves it there.
    sending_since: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    unit: Mapped[OrgUnit] = relationship()
    schedule: Mapped[ReportSchedule] = relationship()
    files: Mapped[list["DispatchFile"]] = relationship(
        back_populates="dispatch", cascade="all, delete-orphan", order_by="DispatchFile.name")

    @property
    def error(self) -> str:
        """Why the last send failed, in the reader's language; "" when it did not."""
        return in_reader_language(self.error_messages)

    @property
    def state_enum(self) -> DispatchState:
        return DispatchState(self.state)

    def file(self, name: str) -> "DispatchFile | None":
        return next((file for file in self.files if file.name == name), None)


class DispatchFile(TenantOwnedPart, db.Model):
    __tablename__ = "dispatch_files"
    __table_args__ = (UniqueConstraint("dispatch_id", "name"),)
    __tenant_parent__ = "dispatch"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int]
    # SHA-256 of the content, hex: shown beside the download and checked when sent.
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dispatch: Mapped[Dispatch] = relationship(back_populates="files")
