"""The communes' figures, read from their counted reports whenever they are needed.

A commune's rollup is its report: its figures, its plan's targets beside them, and a year that
follows from its periods. These rows are not stored. A refresh aggregates a district's rows
from `commune_period_rows` (app/rollups/engine.py), and a commune's page and the API read them
directly, so a commune's figures are never out of date. (Storing them was one row per commune
× period × series: 2.2M rows for the country, and most of a rebuild's time.) A rebuild pivots
the same reports' figures by period instead (app/rollups/commune_series.py), with the same
rules for what counts (`counted_reports_of`) and for ratios (`ratios_of`, `parts_of_ratio`).

The figures are read in two steps. Entries (`ENTRY_COLUMNS`) are the reports' figures, one
per commune × period × indicator × sex, with the value and a ratio's parts; a commune's year
is computed from them. `_dressed` then gives each row what a rollup shows, in
`COMMUNE_COLUMNS`: the value's parts and the plan's target. The indicators are joined once,
with the entries, and only those of the communes' templates (`indicators_planned`).
`place_clause` limits the communes (a condition on a `units` alias) and
`period_clause` their reports' periods. The same SQL runs on SQLite and PostgreSQL.
"""
from collections.abc import Callable

from sqlalchemy import and_, case, func, literal, literal_column, or_, select
from sqlalchemy.sql import ColumnElement, FromClause, Select

from app.plan_templates.models import Aggregation, TimeAggregation
from app.rollups.engine import (
    amount,
    approved_targets,
    counted,
    indicators,
    percent_of,
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
                   "numerator_sum", "denominator_sum", "reporting", "target", "target_count"]
# A commune's series (with what its indicator says of it; `sex` is None for a total), then one
# period's figure: `value` of a ratio is 100 × numerator ÷ denominator (None for a denominator
# of 0), of another indicator the figure (numerator and denominator then 0).
SERIES_COLUMNS = ["unit_id", "parent_id", "plan_id", "indicator_id", "indicator_code", "aggregation",
                  "time_aggregation", "sex"]
ENTRY_COLUMNS = [*SERIES_COLUMNS, "period", "value", "numerator_sum", "denominator_sum"]


def _named(names: list[str], *columns: ColumnElement) -> list[ColumnElement]:
    """The columns labelled (a union takes its first select's names)."""
    return [column.label(name) for column, name in zip(columns, names, strict=True)]


def counted_reports_of(place: FromClause):
    """The places' reports with their plans and templates (for `counted`)."""
    return place.join(reports, reports.c.unit_id == place.c.id).join(
        plans, reports.c.plan_id == plans.c.id).join(templates, plans.c.template_id == templates.c.id)


def reported_entries(place_clause: PlaceClause, period_clause: PeriodClause,
                     indicator_rows: FromClause = indicators) -> Select:
    """A commune's figures as entered, one row per indicator × sex of its counted reports.

    `indicator_rows` holds the indicators to join: a rebuild hashes the whole table once, a
    refresh only the templates of its communes' plans (`indicators_planned`)."""
    place = units.alias("place")
    source = counted_reports_of(place).join(report_values, report_values.c.report_id == reports.c.id).join(
        indicator_rows, report_values.c.indicator_id == indicator_rows.c.id)
    return select(*_named(
        ENTRY_COLUMNS, place.c.id, place.c.parent_id, reports.c.plan_id, report_values.c.indicator_id,
        indicator_rows.c.code, indicator_rows.c.aggregation, indicator_rows.c.time_aggregation, report_values.c.sex,
        reports.c.period, report_values.c.value, amount(0), amount(0),
    )).select_from(source).where(
        place_clause(place), period_clause(reports.c.period), counted(),
        indicator_rows.c.aggregation != Aggregation.RATIO.value)


def indicators_planned(place_clause: PlaceClause):
    """The indicators of the templates of the chosen communes' plans: a district's few dozen,
    where joining the whole table hashed the country's 14,000 for every district's refresh.
    (For a rebuild's every commune, the extra step cost more than it saved.)"""
    place = units.alias("planned_place")
    templates_used = select(plans.c.template_id).select_from(place.join(plans, plans.c.unit_id == place.c.id)).where(
        place_clause(place))
    return select(indicators).where(indicators.c.template_id.in_(templates_used)).subquery("planned")


def ratios_of(source: FromClause, template_id: ColumnElement | None = None):
    """`source` joined with each ratio indicator (`ratio`) of the template (None: of every
    template), its numerator's indicator and its denominator's."""
    ratio = indicators.alias("ratio_indicator")
    numerator, denominator = indicators.alias("numerator_indicator"), indicators.alias("denominator_indicator")
    is_ratio = ratio.c.aggregation == Aggregation.RATIO.value
    if template_id is None:
        template_id = ratio.c.template_id
    else:
        is_ratio = and_(ratio.c.template_id == template_id, is_ratio)
    joined = source.join(ratio, is_ratio).join(
        numerator, and_(numerator.c.template_id == template_id, numerator.c.code == ratio.c.numerator_code)).join(
        denominator, and_(denominator.c.template_id == template_id, denominator.c.code == ratio.c.denominator_code))
    return joined, ratio, numerator, denominator


def parts_of_ratio(top: FromClause, bottom: FromClause, ratio, numerator, denominator) -> ColumnElement:
    """`top` and `bottom` (figures with `indicator_id` and `sex`) are the ratio's numerator and
    denominator of one sex; a ratio not disaggregated by sex has its total only."""
    return and_(top.c.indicator_id == numerator.c.id, bottom.c.indicator_id == denominator.c.id,
                sex_key(bottom.c.sex) == sex_key(top.c.sex), or_(top.c.sex.is_(None), ratio.c.disaggregation == "sex"))


def ratio_entries(place_clause: PlaceClause, period_clause: PeriodClause) -> Select:
    """A ratio at a commune: its numerator's and denominator's values (same sex), 100 × n ÷ d."""
    place = units.alias("ratio_place")
    top, bottom = report_values.alias("numerator_value"), report_values.alias("denominator_value")
    source, ratio, numerator, denominator = ratios_of(counted_reports_of(place), plans.c.template_id)
    source = source.join(top, top.c.report_id == reports.c.id).join(bottom, bottom.c.report_id == reports.c.id)
    return select(*_named(
        ENTRY_COLUMNS, place.c.id, place.c.parent_id, reports.c.plan_id, ratio.c.id, ratio.c.code,
        ratio.c.aggregation, ratio.c.time_aggregation, top.c.sex, reports.c.period,
        percent_of(top.c.value, bottom.c.value), top.c.value, bottom.c.value,
    )).select_from(source).where(
        place_clause(place), period_clause(reports.c.period), counted(),
        parts_of_ratio(top, bottom, ratio, numerator, denominator))


def targets_of(place_clause: PlaceClause):
    """The approved targets of the chosen communes' plans: a few thousand rows for a district,
    which a refresh hashes once instead of looking each value's target up in the whole table."""
    place = units.alias("target_place")
    targets = approved_targets
    return select(targets.c.plan_id, targets.c.indicator_id, targets.c.sex, targets.c.value).select_from(
        place.join(plans, plans.c.unit_id == place.c.id).join(targets, targets.c.plan_id == plans.c.id)).where(
        place_clause(place)).subquery("target")


def target_of(targets: FromClause, figures: FromClause) -> ColumnElement:
    """The target of the figures' plan, indicator and sex: two equalities and a filter, not a
    coalesced sex, so that PostgreSQL can hash the join."""
    return and_(targets.c.plan_id == figures.c.plan_id, targets.c.indicator_id == figures.c.indicator_id,
                or_(targets.c.sex == figures.c.sex, and_(targets.c.sex.is_(None), figures.c.sex.is_(None))))


def _dressed(entries: FromClause, place_clause: PlaceClause) -> Select:
    """The entries as a rollup's rows, each with its plan's target for the indicator and sex."""
    targets = targets_of(place_clause)
    is_ratio = entries.c.aggregation == Aggregation.RATIO.value
    value = case((is_ratio, percent_of(entries.c.numerator_sum, entries.c.denominator_sum)), else_=entries.c.value)
    source = entries.outerjoin(targets, target_of(targets, entries))
    return select(*_named(
        COMMUNE_COLUMNS, entries.c.unit_id, entries.c.parent_id, entries.c.period, entries.c.indicator_code,
        sex_key(entries.c.sex), entries.c.aggregation, entries.c.time_aggregation, value,
        func.coalesce(value, 0), case((value.is_(None), 0), else_=1), value, value, entries.c.numerator_sum,
        entries.c.denominator_sum, literal(1), targets.c.value, case((targets.c.value.is_(None), 0), else_=1),
    )).select_from(source)


def _entries(place_clause: PlaceClause, period_clause: PeriodClause) -> Select:
    reported = reported_entries(place_clause, period_clause, indicators_planned(place_clause))
    return reported.union_all(ratio_entries(place_clause, period_clause))


def year_of(period: ColumnElement) -> ColumnElement:
    # Literal numbers: as bound parameters PostgreSQL would not see the GROUP BY's expression
    # as the SELECT's.
    return func.substr(period, literal_column("1"), literal_column("4"))


def _is_shorter_than_a_year(period: ColumnElement) -> ColumnElement:
    return func.length(period) > 4


def _year_entries(entries: FromClause) -> Select:
    """Each commune's years from its entries (limited to the years wanted), by each indicator's
    time aggregation: `sum` adds the periods up (a ratio sums its parts), `last` copies the
    latest period that has a value (of a ratio, the latest whose parts were entered, 0 ÷ 0
    included: its year is its parts' latest); a year-type template's report is its year already."""
    year = year_of(entries.c.period)
    key = [entries.c[name] for name in SERIES_COLUMNS]
    summed = select(*_named(
        ENTRY_COLUMNS, *key, year, func.sum(entries.c.value), func.sum(entries.c.numerator_sum),
        func.sum(entries.c.denominator_sum),
    )).where(
        _is_shorter_than_a_year(entries.c.period), entries.c.time_aggregation == TimeAggregation.SUM.value,
    ).group_by(*key, year)

    newest_first = func.row_number().over(partition_by=(*key, year), order_by=entries.c.period.desc())
    # Every entry has a value but a ratio's of 0 ÷ 0, whose parts were entered all the same.
    ranked = select(entries, newest_first.label("rank")).where(
        _is_shorter_than_a_year(entries.c.period),
        entries.c.time_aggregation == TimeAggregation.LAST.value).subquery("ranked")
    last = select(*[year_of(ranked.c.period) if name == "period" else ranked.c[name]
                    for name in ENTRY_COLUMNS]).where(ranked.c.rank == 1)

    of_a_year = select(*[entries.c[name] for name in ENTRY_COLUMNS]).where(
        ~_is_shorter_than_a_year(entries.c.period))
    return summed.union_all(last, of_a_year)


def commune_period_rows(place_clause: PlaceClause, period_clause: PeriodClause, is_year: bool) -> Select:
    """The communes' rows for one period (`period_clause`: the period's reports) or for a year
    (`period_clause`: the reports of the year), the year computed from its periods."""
    entries = _entries(place_clause, period_clause)
    if is_year:
        # A CTE: the year reads the entries three times, and planning them three times cost a
        # refresh more than running them.
        return _dressed(_year_entries(entries.cte("in_year")).subquery("years"), place_clause)
    return _dressed(entries.subquery("entries"), place_clause)
