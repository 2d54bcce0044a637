"""The district's template for a year: sections, activities, indicators (DESIGN.md).

Every row carries the template's `unit_id`, so the tenant guard limits child rows the same
way as their template. Templates are readable below their unit (the communes that write
plans from them) and writable only by the unit's own users.
"""
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.org_units.models import OrgUnit
from app.text import NFCString, NFCText
from tenants import TenantOwned, TenantOwnedPart


class LabelledEnum(StrEnum):
    """A StrEnum whose members are declared as `NAME = "value", _l("Label")`; `label` is the
    label in the reader's language."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self) -> str:
        return str(self._label)

    @property
    def lazy_label(self):
        """The label translated only when read: for a text written in each language at once
        (a task run's message, `app.i18n.in_every_language`)."""
        return self._label

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class TemplateStatus(LabelledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")


class PeriodType(LabelledEnum):
    YEAR = "year", _l("Year")
    SIX_MONTHS = "six_months", _l("Six months")
    QUARTER = "quarter", _l("Quarter")
    MONTH = "month", _l("Month")


class ValueType(LabelledEnum):
    INTEGER = "integer", _l("Whole number")
    DECIMAL = "decimal", _l("Decimal number")
    PERCENT = "percent", _l("Percentage")
    BOOLEAN = "boolean", _l("Yes / no")


class Aggregation(LabelledEnum):
    SUM = "sum", _l("Sum")
    AVERAGE = "average", _l("Average")
    MIN = "min", _l("Minimum")
    MAX = "max", _l("Maximum")
    COUNT_TRUE = "count_true", _l("Count of yes")
    RATIO = "ratio", _l("Ratio of two indicators")


class Disaggregation(LabelledEnum):
    NONE = "none", _l("None")
    SEX = "sex", _l("By sex")


class TimeAggregation(LabelledEnum):
    SUM = "sum", _l("Sum of the periods")
    LAST = "last", _l("Latest value")


class PlanTemplate(TenantOwned, db.Model):
    """One revision of a unit's template for a year. A published revision never changes:
    editing it starts a new draft revision (`previous`), and each plan records the revision
    it came from. `version` is the optimistic lock checked on every write."""

    __tablename__ = "plan_templates"
    __tenant_reads_ancestors__ = True
    __table_args__ = (UniqueConstraint("unit_id", "year", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    year: Mapped[int]
    revision: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default=TemplateStatus.DRAFT)
    # The plan's summary line under `KẾ HOẠCH`.
    title: Mapped[str] = mapped_column(NFCString(500))
    # One document per line (căn cứ).
    legal_basis: Mapped[str] = mapped_column(NFCText, default="")
    # Paragraphs before section I and after the last section; `{unit}` becomes the commune.
    introduction: Mapped[str] = mapped_column(NFCText, default="")
    closing: Mapped[str] = mapped_column(NFCText, default="")
    # One body per line: Ban chính sách, MTTQ, Hội LHPN…
    responsible_bodies: Mapped[str] = mapped_column(NFCText, default="")
    # One recipient per line with its notation, the default `Nơi nhận` of plans.
    recipients: Mapped[str] = mapped_column(NFCText, default="")
    report_period_type: Mapped[str] = mapped_column(String(16), default=PeriodType.QUARTER)
    report_deadline_days: Mapped[int] = mapped_column(default=10)
    # Whether rollups count submitted reports not yet accepted (by default, accepted only).
    rollup_includes_submitted: Mapped[bool] = mapped_column(default=False)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("plan_templates.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[OrgUnit] = relationship()
    previous: Mapped["PlanTemplate | None"] = relationship(remote_side=[id])
    sections: Mapped[list["TemplateSection"]] = relationship(
        back_populates="template", order_by="TemplateSection.position", cascade="all, delete-orphan")
    activities: Mapped[list["TemplateActivity"]] = relationship(
        back_populates="template", order_by="TemplateActivity.position", cascade="all, delete-orphan")
    indicators: Mapped[list["TemplateIndicator"]] = relationship(
        back_populates="template", order_by="TemplateIndicator.position", cascade="all, delete-orphan")

    @property
    def is_published(self) -> bool:
        return self.status == TemplateStatus.PUBLISHED

    @property
    def status_enum(self) -> TemplateStatus:
        return TemplateStatus(self.status)

    @property
    def legal_basis_lines(self) -> list[str]:
        return _lines(self.legal_basis)

    @property
    def responsible_body_list(self) -> list[str]:
        return _lines(self.responsible_bodies)

    @property
    def area_keys(self) -> set[str]:
        """The keys of the content areas (level 2), where activities go."""
        return {section.key for section in self.sections if section.level == 2}

    def indicator(self, code: str) -> "TemplateIndicator | None":
        return next((indicator for indicator in self.indicators if indicator.code == code), None)

    def __repr__(self) -> str:
        return f"<PlanTemplate {self.id} {self.year} r{self.revision} {self.status}>"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class TemplateChild(TenantOwnedPart):
    """Rows of a template: they belong to the template's unit, and are read like it."""

    __tenant_parent__ = "template"
    __tenant_reads_ancestors__ = True


class TemplateSection(TemplateChild, db.Model):
    """A numbered section: level 1 is I, II, III…; level 2 is a content area 1, 2, 3… of the
    level-1 section above it. The commune may change `default_text` when `editable`."""

    __tablename__ = "template_sections"
    __table_args__ = (UniqueConstraint("template_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    level: Mapped[int] = mapped_column(default=1)
    heading: Mapped[str] = mapped_column(NFCString(300))
    guidance: Mapped[str] = mapped_column(NFCText, default="")
    default_text: Mapped[str] = mapped_column(NFCText, default="")
    editable: Mapped[bool] = mapped_column(default=True)

    template: Mapped[PlanTemplate] = relationship(back_populates="sections")


class TemplateActivity(TemplateChild, db.Model):
    """A suggested activity under a content area (a level-2 section)."""

    __tablename__ = "template_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    section_key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(NFCString(500))
    lead_body: Mapped[str] = mapped_column(NFCString(200), default="")

    template: Mapped[PlanTemplate] = relationship(back_populates="activities")


class TemplateIndicator(TemplateChild, db.Model):
    """A measured figure (DESIGN.md, Indicators). `code` is unique within the template."""

    __tablename__ = "template_indicators"
    __table_args__ = (UniqueConstraint("template_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(NFCString(300))
    measure_unit: Mapped[str] = mapped_column(NFCString(32), default="")
    value_type: Mapped[str] = mapped_column(String(16), default=ValueType.INTEGER)
    aggregation: Mapped[str] = mapped_column(String(16), default=Aggregation.SUM)
    numerator_code: Mapped[str | None] = mapped_column(String(16))
    denominator_code: Mapped[str | None] = mapped_column(String(16))
    disaggregation: Mapped[str] = mapped_column(String(8), default=Disaggregation.NONE)
    time_aggregation: Mapped[str] = mapped_column(String(8), default=TimeAggregation.SUM)
    minimum_target: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))

    template: Mapped[PlanTemplate] = relationship(back_populates="indicators")

    @property
    def by_sex(self) -> bool:
        return self.disaggregation == Disaggregation.SEX

    @property
    def is_ratio(self) -> bool:
        """100 × numerator ÷ denominator: computed from two other indicators, never typed."""
        return self.aggregation == Aggregation.RATIO
