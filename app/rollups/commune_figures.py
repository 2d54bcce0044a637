"""The communes' figures, read from their counted reports whenever they are needed.

A commune's rollup is its report: its figures, its plan's targets beside them, and a year that
follows from its periods. These rows are not stored. A district's rows are aggregated from
these selects (app/rollups/engine.py), and a commune's page and the API read them directly,
so a commune's figures are never out of date. (Storing them was one row per commune × period
× series: 2.2M rows for the country, and most of a rebuild's time.)

Every select here returns `COMMUNE_COLUMNS`: a rollup's columns with the commune's parent
and the indicator's time aggregation, which the year and the parent need. `place_clause`
limits the communes (a condition on a `units` alias) and `period_clause` their reports'
periods. The same SQL runs on SQLite and PostgreSQL.
"""
from collections.abc import Callable

from sqlalchemy import and_, case, func, literal, literal_column, or_, select
from sqlalchemy.sql import ColumnElement, FromClause, Select

from app.plan_templates.models import Aggregation, TimeAggregation
from app.rollups.engine import (
    amount,
    counted,
    indicators,
    percent_of,
    plan_targets,
    plans,
    report_values,
    reports,
    sex_key,
    templates,
    units,
)

PlaceClause = Callable[[FromClause], ColumnElement]
PeriodClause = Callable[[ColumnElement], ColumnElement]

COMMUNE_COLUMNS = ["unit_id", "parent_id", "period", "indicator_code", "sex", "aggregation",
                   "time_aggregation", "value", "value_sum", "value_count", "value_min", "value_max",
                   "numerator_sum", "denominator_sum", "reporting", "target"]


def _named(*columns: ColumnElement) -> list[ColumnElement]:
    """The columns labelled as `COMMUNE_COLUMNS` (a union takes its first select's names)."""
    return [column.label(name) for column, name in zip(columns, COMMUNE_COLUMNS, strict=True)]


def _targets_of(place_clause: PlaceClause, name: str):
    """The targets of the chosen communes' plans: a few thousand rows for a district, which a
    refresh hashes once instead of looking each value's target up in the whole table."""
    place = units.alias(f"{name}_place")
    return select(plan_targets.c.plan_id, plan_targets.c.indicator_id, plan_targets.c.sex,
                  plan_targets.c.value).select_from(place.join(plans, plans.c.unit_id == place.c.id).join(
                      plan_targets, plan_targets.c.plan_id == plans.c.id)).where(place_clause(place)).subquery(name)


def _target_of(targets, indicator_id: ColumnElement, sex: ColumnElement) -> ColumnElement:
    """The report's plan's target for the indicator and sex (`sex` None: the total), written as
    two equalities and a filter, not on a coalesced sex, so that PostgreSQL can hash the join."""
    return and_(targets.c.plan_id == reports.c.plan_id, targets.c.indicator_id == indicator_id,
                or_(targets.c.sex == sex, and_(targets.c.sex.is_(None), sex.is_(None))))


def _counted_reports_of(place: FromClause):
    """The places' reports with their plans and templates (for `_counted`)."""
    return place.join(reports, reports.c.unit_id == place.c.id).join(
        plans, reports.c.plan_id == plans.c.id).join(templates, plans.c.template_id == templates.c.id)


def reported(place_clause: PlaceClause, period_clause: PeriodClause) -> Select:
    """A commune's figures as entered, one row per indicator × sex of its counted reports."""
    place = units.alias("place")
    value = report_values.c.value
    targets = _targets_of(place_clause, "target")
    source = _counted_reports_of(place).join(report_values, report_values.c.report_id == reports.c.id).join(
        indicators, report_values.c.indicator_id == indicators.c.id).outerjoin(
        targets, _target_of(targets, report_values.c.indicator_id, report_values.c.sex))
    return select(*_named(
        place.c.id, place.c.parent_id, reports.c.period, indicators.c.code, sex_key(report_values.c.sex),
        indicators.c.aggregation, indicators.c.time_aggregation,
        value, value, literal(1), value, value, amount(0), amount(0), literal(1), targets.c.value,
    )).select_from(source).where(
        place_clause(place), period_clause(reports.c.period), counted(),
        indicators.c.aggregation != Aggregation.RATIO.value)


def ratios(place_clause: PlaceClause, period_clause: PeriodClause) -> Select:
    """A ratio at a commune: its numerator's and denominator's values (same sex), 100 × n ÷ d."""
    place = units.alias("ratio_place")
    ratio = indicators.alias("ratio_indicator")
    numerator, denominator = indicators.alias("numerator_indicator"), indicators.alias("denominator_indicator")
    top, bottom = report_values.alias("numerator_value"), report_values.alias("denominator_value")
    targets = _targets_of(place_clause, "ratio_target")
    value = percent_of(top.c.value, bottom.c.value)
    source = _counted_reports_of(place).join(
        ratio, ratio.c.template_id == plans.c.template_id).join(
        numerator, and_(numerator.c.template_id == plans.c.template_id, numerator.c.code == ratio.c.numerator_code)).join(
        denominator, and_(denominator.c.template_id == plans.c.template_id,
                          denominator.c.code == ratio.c.denominator_code)).join(
        top, and_(top.c.report_id == reports.c.id, top.c.indicator_id == numerator.c.id)).join(
        bottom, and_(bottom.c.report_id == reports.c.id, bottom.c.indicator_id == denominator.c.id,
                     sex_key(bottom.c.sex) == sex_key(top.c.sex))).outerjoin(
        targets, _target_of(targets, ratio.c.id, top.c.sex))
    return select(*_named(
        place.c.id, place.c.parent_id, reports.c.period, ratio.c.code, sex_key(top.c.sex), ratio.c.aggregation,
        ratio.c.time_aggregation, value, func.coalesce(value, 0), case((bottom.c.value != 0, 1), else_=0),
        value, value, top.c.value, bottom.c.value, literal(1), targets.c.value,
    )).select_from(source).where(
        place_clause(place), period_clause(reports.c.period), counted(),
        ratio.c.aggregation == Aggregation.RATIO.value,
        or_(top.c.sex.is_(None), ratio.c.disaggregation == "sex"))


def commune_rows(place_clause: PlaceClause, period_clause: PeriodClause) -> Select:
    """The communes' rows for their counted reports' periods (a year-type template's year
    included), as entered."""
    return reported(place_clause, period_clause).union_all(ratios(place_clause, period_clause))


def _year_of(period: ColumnElement) -> ColumnElement:
    # Literal numbers: as bound parameters PostgreSQL would not see the GROUP BY's expression
    # as the SELECT's.
    return func.substr(period, literal_column("1"), literal_column("4"))


def _is_shorter_than_a_year(period: ColumnElement) -> ColumnElement:
    return func.length(period) > 4


def commune_year_rows(rows: FromClause) -> Select:
    """Each commune's years from its rows (`rows`: `commune_rows` as a CTE, limited to the
    years wanted), by each indicator's time aggregation: `sum` adds the periods up (a ratio
    sums its parts), `last` copies the latest period that has a value; a year-type
    template's report is its year already."""
    year = _year_of(rows.c.period)
    numerator, denominator = func.sum(rows.c.numerator_sum), func.sum(rows.c.denominator_sum)
    value = case((func.max(rows.c.aggregation) == Aggregation.RATIO.value, percent_of(numerator, denominator)),
                 else_=func.sum(rows.c.value))
    summed = select(*_named(
        rows.c.unit_id, rows.c.parent_id, year, rows.c.indicator_code, rows.c.sex, func.max(rows.c.aggregation),
        func.max(rows.c.time_aggregation), value, func.coalesce(value, 0), case((value.is_(None), 0), else_=1),
        value, value, numerator, denominator, literal(1), func.max(rows.c.target),
    )).where(
        _is_shorter_than_a_year(rows.c.period), rows.c.time_aggregation == TimeAggregation.SUM.value,
    ).group_by(rows.c.unit_id, rows.c.parent_id, year, rows.c.indicator_code, rows.c.sex)

    newest_first = func.row_number().over(
        partition_by=(rows.c.unit_id, year, rows.c.indicator_code, rows.c.sex), order_by=rows.c.period.desc())
    ranked = select(rows, newest_first.label("rank")).where(
        _is_shorter_than_a_year(rows.c.period), rows.c.time_aggregation == TimeAggregation.LAST.value,
        rows.c.value.is_not(None)).subquery("ranked")
    last = select(*[_year_of(ranked.c.period) if name == "period" else ranked.c[name]
                    for name in COMMUNE_COLUMNS]).where(ranked.c.rank == 1)

    of_a_year = select(rows).where(~_is_shorter_than_a_year(rows.c.period))
    return summed.union_all(last, of_a_year)


def commune_period_rows(place_clause: PlaceClause, period_clause: PeriodClause, is_year: bool) -> Select:
    """The communes' rows for one period (`period_clause`: the period's reports) or for a year
    (`period_clause`: the reports of the year), the year computed from its periods."""
    rows = commune_rows(place_clause, period_clause)
    if not is_year:
        return rows
    # A CTE: the year reads the rows three times, and planning them three times cost more than
    # running them.
    return select(commune_year_rows(rows.cte("in_year")).subquery("years"))
