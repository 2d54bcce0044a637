"""Aggregates of the communes' reported figures at every unit above them (DESIGN.md,
Indicators and aggregation).

`Rollup` holds one unit × period × indicator × sex. Besides the value it keeps the parts a
parent needs to combine its children exactly (sum and count for an average, min, max, the
sums of a ratio's numerator and denominator), so each level is computed from the level
below, never from every commune. `RollupState` holds, per unit × period, completeness and
when the rows were computed and last asked for: newer data waits while `requested_at` is
after `computed_at`. A commune's own figures are not stored: they are read from its reports
(app/rollups/commune_figures.py), as transient objects of these classes.
"""
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates.models import Aggregation
from tenants import TenantOwned

# The `sex` of a total, in rollups (a real value, so the unique key holds on PostgreSQL).
TOTAL = "total"
AMOUNT = Numeric(24, 4)
_STORED_PLACES = Decimal(1).scaleb(-AMOUNT.scale)
# The aggregations whose value adds the communes' figures up: their target adds up too.
ADDED_UP = frozenset({Aggregation.SUM.value, Aggregation.COUNT_TRUE.value})


class Rollup(TenantOwned, db.Model):
    __tablename__ = "rollups"
    # The unique key serves every lookup by unit: no index on `unit_id` alone.
    __table_args__ = (UniqueConstraint("unit_id", "period", "indicator_code", "sex"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key (migration 0014): a rebuild of the whole tree would drop it to write fast,
    # locking `org_units` while it holds the rebuild's lock. The rows are derived, and org
    # units are never deleted.
    unit_id: Mapped[int]
    period: Mapped[str] = mapped_column(String(8))
    indicator_code: Mapped[str] = mapped_column(String(16))
    sex: Mapped[str] = mapped_column(String(8), default=TOTAL)
    aggregation: Mapped[str] = mapped_column(String(16))
    # The aggregated value (None when no commune below reported it).
    value: Mapped[Decimal | None] = mapped_column(AMOUNT)
    # What a parent combines: Σ and count of the values, min, max, Σ numerator, Σ denominator.
    value_sum: Mapped[Decimal] = mapped_column(AMOUNT, default=0)
    value_count: Mapped[int] = mapped_column(default=0)
    value_min: Mapped[Decimal | None] = mapped_column(AMOUNT)
    value_max: Mapped[Decimal | None] = mapped_column(AMOUNT)
    numerator_sum: Mapped[Decimal] = mapped_column(AMOUNT, default=0)
    denominator_sum: Mapped[Decimal] = mapped_column(AMOUNT, default=0)
    # How many communes below reported a value; the sum of their plans' targets, and how many
    # of them have one.
    reporting: Mapped[int] = mapped_column(default=0)
    target: Mapped[Decimal | None] = mapped_column(AMOUNT)
    target_count: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime]


class RollupState(TenantOwned, db.Model):
    __tablename__ = "rollup_states"
    # The unique key serves every lookup by unit: no index on `unit_id` alone.
    __table_args__ = (UniqueConstraint("unit_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    period: Mapped[str] = mapped_column(String(8))
    # Completeness: reports expected from the communes below, received, received on time.
    expected: Mapped[int] = mapped_column(default=0)
    received: Mapped[int] = mapped_column(default=0)
    on_time: Mapped[int] = mapped_column(default=0)
    computed_at: Mapped[datetime | None]
    requested_at: Mapped[datetime | None]

    unit: Mapped[OrgUnit] = relationship()

    @property
    def stale(self) -> bool:
        """Newer data is waiting: asked for after the last computation (or never computed)."""
        if self.computed_at is None:
            return True
        return self.requested_at is not None and self.requested_at > self.computed_at


def target_of_value(row: Rollup) -> Decimal | None:
    """The target a row's value is set against: the sum of its communes' targets where the
    value adds their figures up (a sum, a count of yes), else the mean of their targets (an
    average, a minimum, a maximum, a ratio): a district's share of women is set against its
    communes' 30 %, not against their 30 % added up. `row` is a stored `Rollup` or a
    commune's row read from its reports, with the same attributes."""
    if row.target is None or row.aggregation in ADDED_UP:
        return row.target
    if not row.target_count:
        return None
    return as_stored(row.target / row.target_count)


def as_stored(figure):
    """A figure computed outside the database with the decimal places of a stored row, rounded
    as the database rounds it: a commune's ratio of 1 to 3 is 33.3333 like its district's,
    where PostgreSQL's division gives 16 places. Anything but a Decimal is left as it is."""
    return figure.quantize(_STORED_PLACES, ROUND_HALF_UP) if isinstance(figure, Decimal) else figure
