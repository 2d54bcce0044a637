"""The set-based SQL of the rollup engine (app/rollups/services.py and rebuild.py drive it).

Stored rows are the units' above the communes. A unit whose children are communes (a
district) is aggregated from the communes' figures as their reports give them
(app/rollups/commune_figures.py); a unit above it from its children's stored rows. Every
statement works on a set of units at once, chosen by a clause on a unit column or a `units`
alias: one district and one period for a refresh, every unit of one depth below a unit for a
rebuild. Rows are replaced by DELETE then INSERT … SELECT (a rebuild of the whole tree empties
the table at once, `rows_replaced`). Completeness is app/rollups/completeness.py's. The same
SQL runs on SQLite and PostgreSQL.
"""
from collections.abc import Callable
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import (
    and_,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import AddConstraint, DropConstraint
from sqlalchemy.sql import (
    ClauseElement,
    ColumnElement,
    CompoundSelect,
    Executable,
    FromClause,
    Select,
    column,
    table,
)

from app.database import is_postgresql
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates.models import (
    Aggregation,
    PlanTemplate,
    TemplateIndicator,
)
from app.plans.models import ApprovedTarget, Plan, PlanVersion
from app.reports.models import Report, ReportStatus, ReportValue
from app.rollups.models import AMOUNT, TOTAL, Rollup, RollupState

rollups = Rollup.__table__
states = RollupState.__table__
reports = Report.__table__
report_values = ReportValue.__table__
indicators = TemplateIndicator.__table__
plans = Plan.__table__
# A commune's targets as its plan's latest approved edition set them, not an amendment's draft.
approved_targets = ApprovedTarget.__table__
plan_versions = PlanVersion.__table__
templates = PlanTemplate.__table__
units = OrgUnit.__table__

UnitClause = Callable[[ColumnElement], ColumnElement]
PeriodClause = Callable[[ColumnElement], ColumnElement]

ROLLUP_COLUMNS = ["unit_id", "period", "indicator_code", "sex", "aggregation", "value", "value_sum",
                  "value_count", "value_min", "value_max", "numerator_sum", "denominator_sum",
                  "reporting", "target", "target_count", "computed_at"]


def as_value(value) -> ColumnElement:
    """A literal, or the bound parameter a cached statement takes it from."""
    return value if isinstance(value, ColumnElement) else literal(value)


def amount(number) -> ColumnElement:
    """A decimal literal: on SQLite it makes a division real, not integer."""
    return literal(Decimal(number), AMOUNT)


def percent_of(numerator: ColumnElement, denominator: ColumnElement) -> ColumnElement:
    return case((denominator != 0, amount(100) * numerator / denominator), else_=None)


def counted() -> ColumnElement:
    """Accepted reports count; submitted ones too when the template says so."""
    return or_(reports.c.status == ReportStatus.ACCEPTED.value,
               and_(reports.c.status == ReportStatus.SUBMITTED.value,
                    templates.c.rollup_includes_submitted == true()))


def sex_key(column: ColumnElement) -> ColumnElement:
    return func.coalesce(column, TOTAL)


# --- parent rows -----------------------------------------------------------------------------

def aggregated_rows(source: FromClause, now) -> Select:
    """Rows per `parent_id` of `source` (rollup rows with their unit's parent): Σ, count, min,
    max, Σ numerator, Σ denominator, Σ reporting, Σ target, Σ target count; the value by the
    indicator's aggregation."""
    aggregation = func.max(source.c.aggregation)
    value_sum, value_count = func.sum(source.c.value_sum), func.sum(source.c.value_count)
    numerator, denominator = func.sum(source.c.numerator_sum), func.sum(source.c.denominator_sum)
    value_min, value_max = func.min(source.c.value_min), func.max(source.c.value_max)
    return rollup_rows(source.c.parent_id, source.c.period, source.c.indicator_code, source.c.sex, aggregation,
                       value_sum, value_count, value_min, value_max, numerator, denominator,
                       func.sum(source.c.reporting), func.sum(source.c.target), func.sum(source.c.target_count),
                       now).group_by(
        source.c.parent_id, source.c.period, source.c.indicator_code, source.c.sex)


def rollup_rows(unit_id, period, indicator_code, sex, aggregation, value_sum, value_count, value_min, value_max,
                numerator_sum, denominator_sum, reporting, target, target_count, now) -> Select:
    """A select of `ROLLUP_COLUMNS` from these parts, with the value by the indicator's
    aggregation."""
    value = case(
        (aggregation == Aggregation.AVERAGE.value,
         case((value_count > 0, value_sum * amount(1) / value_count), else_=None)),
        (aggregation == Aggregation.MIN.value, value_min),
        (aggregation == Aggregation.MAX.value, value_max),
        (aggregation == Aggregation.RATIO.value, percent_of(numerator_sum, denominator_sum)),
        else_=value_sum,  # sum and count_true
    )
    columns = (unit_id, period, indicator_code, sex, aggregation, value, value_sum, value_count, value_min,
               value_max, numerator_sum, denominator_sum, reporting, target, target_count, as_value(now))
    return select(*[column.label(name) for column, name in zip(columns, ROLLUP_COLUMNS, strict=True)])


def insert_rows(rows: Select | CompoundSelect):
    """By unit: a rebuild then writes each unit's rows side by side, and reading a unit's rows
    (its parent's refresh, a page) touches a few pages, not one per row. (Ordered by the whole
    unique key, a country's rows took four times as long to sort, for the same pages.)"""
    return rollups.insert().from_select(ROLLUP_COLUMNS, rows.order_by(rows.selected_columns["unit_id"]))


class CreateTableAs(Executable, ClauseElement):
    """CREATE TEMPORARY (or, on PostgreSQL, UNLOGGED) TABLE … AS SELECT: PostgreSQL may run
    that SELECT in parallel, which it never does for an INSERT … SELECT."""

    inherit_cache = False

    def __init__(self, name: str, query: Select | CompoundSelect, unlogged: bool = False):
        self.name, self.query, self.unlogged = name, query, unlogged


@compiles(CreateTableAs)
def _create_table_as(element: CreateTableAs, compiler, **kw) -> str:
    return f"CREATE TEMPORARY TABLE {element.name} AS {compiler.process(element.query, **kw)}"


@compiles(CreateTableAs, "postgresql")
def _create_table_as_on_postgresql(element: CreateTableAs, compiler, **kw) -> str:
    kind = "UNLOGGED" if element.unlogged else "TEMPORARY"
    return f"CREATE {kind} TABLE {element.name} AS {compiler.process(element.query, **kw)}"


@contextmanager
def staged(name: str, query: Select | CompoundSelect, read_in_parallel: bool = False):
    """The rows of `query` in a table of its own for the block (yielded, with the query's
    columns), written with CREATE TABLE AS so that PostgreSQL may compute them in parallel.

    A temporary table, or on PostgreSQL an unlogged one when the block reads it in parallel
    (`read_in_parallel`): parallel workers cannot read a session's temporary tables. Made and
    dropped inside one transaction, it is never seen by another; a rebuild, which stages
    these, holds the rebuild lock, so no two make the same table at once.

    The table is not sampled (ANALYZE): for a rebuild's steps a sample changed no plan for the
    better, and once made PostgreSQL sort and spill to disk what it hashes without one."""
    db.session.execute(CreateTableAs(name, query, unlogged=read_in_parallel))
    yield table(name, *[column(selected.key) for selected in query.selected_columns])
    db.session.execute(text(f"DROP TABLE {name}"))


def insert_parent_rows(now, child_clause: Callable, period_clause: PeriodClause):
    """Each parent's rows from its children's stored rows (`child_clause` on a units alias)."""
    child = units.alias("child")
    children_rows = select(rollups, child.c.parent_id).select_from(
        rollups.join(child, rollups.c.unit_id == child.c.id)).where(
        child_clause(child), period_clause(rollups.c.period)).subquery("children_rows")
    return insert_rows(aggregated_rows(children_rows, now))


@contextmanager
def rows_replaced(unit_clause: UnitClause, whole_table: bool):
    """The rows of the units chosen by `unit_clause` deleted, for the block to write them
    again. When they are every row (`whole_table`, a rebuild of the whole tree), PostgreSQL
    truncates the table and the block writes it without its keys, which are built again at
    the end: inserting a country's 140,000 rows key by key, each past the entries of the rows
    just deleted, took three times as long. Pages reading rollups then wait until the step
    commits (about half a second for the country)."""
    if not (whole_table and is_postgresql()):
        db.session.execute(delete_rows(unit_clause, lambda column: column.is_not(None)))
        yield
        return
    keys = sorted(rollups.constraints, key=lambda constraint: constraint.name)  # in a set
    db.session.execute(text(f"TRUNCATE {rollups.name}"))
    for constraint in keys:
        db.session.execute(DropConstraint(constraint))
    yield
    for constraint in keys:
        db.session.execute(AddConstraint(constraint))


def delete_rows(unit_clause: UnitClause, period_clause: PeriodClause):
    return delete(rollups).where(unit_clause(rollups.c.unit_id), period_clause(rollups.c.period))
