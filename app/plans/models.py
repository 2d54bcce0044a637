"""A commune's plan for a year, made from a template revision (DESIGN.md, Workflows).

The plan's rows are its current text; every submission also keeps a `PlanVersion`, a frozen
copy of the content, so versions can be listed and compared after later edits.
"""
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, BigInteger, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates.models import (
    LabelledEnum,
    PlanTemplate,
    TemplateIndicator,
    _lines,
)
from app.text import NFCString, NFCText
from tenants import TenantOwned, TenantOwnedPart


class PlanStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Submitted")
    APPROVED = "approved", _l("Approved")
    RETURNED = "returned", _l("Returned")


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Plan(TenantOwned, db.Model):
    """`edition` counts amendments (1 is the first plan); `version` is the optimistic lock,
    raised by every write, that a stale form or API call is checked against."""

    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id"), index=True)
    year: Mapped[int]
    edition: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=PlanStatus.DRAFT)
    title: Mapped[str] = mapped_column(NFCString(500))
    legal_basis: Mapped[str] = mapped_column(NFCText, default="")
    introduction: Mapped[str] = mapped_column(NFCText, default="")
    closing: Mapped[str] = mapped_column(NFCText, default="")
    # The document details (Nghị định 30): số ký hiệu, place and date, signature, recipients.
    document_number: Mapped[str] = mapped_column(NFCString(64), default="")
    place: Mapped[str] = mapped_column(NFCString(100), default="")
    document_date: Mapped[date | None]
    signer_authority: Mapped[str] = mapped_column(NFCString(100), default="")
    signer_title: Mapped[str] = mapped_column(NFCString(100), default="")
    signer_name: Mapped[str] = mapped_column(NFCString(100), default="")
    recipients: Mapped[str] = mapped_column(NFCText, default="")
    return_comment: Mapped[str] = mapped_column(NFCText, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[OrgUnit] = relationship()
    template: Mapped[PlanTemplate] = relationship()
    sections: Mapped[list["PlanSection"]] = relationship(
        back_populates="plan", order_by="PlanSection.position", cascade="all, delete-orphan")
    activities: Mapped[list["PlanActivity"]] = relationship(
        back_populates="plan", order_by="PlanActivity.position", cascade="all, delete-orphan")
    targets: Mapped[list["PlanTarget"]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    approved_targets: Mapped[list["ApprovedTarget"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan")
    versions: Mapped[list["PlanVersion"]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan")

    @property
    def status_enum(self) -> PlanStatus:
        return PlanStatus(self.status)

    @property
    def legal_basis_lines(self) -> list[str]:
        return _lines(self.legal_basis)

    @property
    def recipient_lines(self) -> list[str]:
        return _lines(self.recipients)

    def section(self, key: str) -> "PlanSection | None":
        return next((section for section in self.sections if section.key == key), None)

    def target(self, indicator_id: int, sex: str | None) -> "PlanTarget | None":
        return next((target for target in self.targets
                     if target.indicator_id == indicator_id and target.sex == sex), None)

    def approved_target(self, indicator_id: int, sex: str | None) -> "ApprovedTarget | None":
        """The target of the plan's latest approved edition, which its reports are set against
        while an amendment is being written."""
        return next((target for target in self.approved_targets
                     if target.indicator_id == indicator_id and target.sex == sex), None)

    def __repr__(self) -> str:
        return f"<Plan {self.id} unit={self.unit_id} {self.year} {self.status}>"


class PlanChild(TenantOwnedPart):
    """Rows of a plan: they belong to the plan's commune."""

    __tenant_parent__ = "plan"


class PlanSection(PlanChild, db.Model):
    __tablename__ = "plan_sections"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    level: Mapped[int] = mapped_column(default=1)
    heading: Mapped[str] = mapped_column(NFCString(300))
    guidance: Mapped[str] = mapped_column(NFCText, default="")
    text: Mapped[str] = mapped_column(NFCText, default="")
    editable: Mapped[bool] = mapped_column(default=True)

    plan: Mapped[Plan] = relationship(back_populates="sections")

    @property
    def paragraphs(self) -> list[str]:
        return _lines(self.text)


class PlanActivity(PlanChild, db.Model):
    """An action under a content area: who leads and supports it, when, and with what money."""

    __tablename__ = "plan_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    section_key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(NFCString(500))
    lead_body: Mapped[str] = mapped_column(NFCString(200), default="")
    supporting_bodies: Mapped[str] = mapped_column(NFCString(500), default="")
    # The months (1–12) it runs in, as "3,4,5".
    months: Mapped[str] = mapped_column(String(40), default="")
    budget_vnd: Mapped[int | None] = mapped_column(BigInteger)
    funding_source: Mapped[str] = mapped_column(NFCString(200), default="")
    from_template: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship(back_populates="activities")

    @property
    def month_list(self) -> list[int]:
        return [int(month) for month in self.months.split(",") if month.strip()]


class TargetColumns:
    """One indicator's target in a plan: `sex` is None for the total, or `male` / `female`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("template_indicators.id"), index=True)
    sex: Mapped[str | None] = mapped_column(String(8))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 2))

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (UniqueConstraint("plan_id", "indicator_id", "sex"),)  # a constraint each: one belongs to one table

    @declared_attr
    def indicator(cls) -> Mapped[TemplateIndicator]:
        # Joined: a target is always shown with its indicator (one query, not one per target).
        return relationship(lazy="joined")


class PlanTarget(TargetColumns, PlanChild, db.Model):
    """A target as the plan's current edition sets it (an amendment's draft, while one is written)."""

    __tablename__ = "plan_targets"

    plan: Mapped[Plan] = relationship(back_populates="targets")


class ApprovedTarget(TargetColumns, PlanChild, db.Model):
    """A target as the plan's latest approved edition set it (a copy of its `PlanTarget`, made
    at each approval): the rollups and the reports read these, so that an amendment's draft
    targets count only once the district approves them."""

    __tablename__ = "approved_targets"

    plan: Mapped[Plan] = relationship(back_populates="approved_targets")


class PlanVersion(PlanChild, db.Model):
    """A frozen copy of a plan's content, kept at every submission (`content` is the plan's
    JSON as the API shows it)."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    number: Mapped[int]
    edition: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON)
    # What became of it: submitted, then approved or returned.
    status: Mapped[str] = mapped_column(String(16), default=PlanStatus.SUBMITTED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="versions")
