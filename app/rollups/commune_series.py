"""The communes' figures of a whole tree pivoted by period, for a rebuild (app/rollups/services.py).

A rebuild needs every period of every commune and the years that follow from them. Read as
rows (app/rollups/commune_figures.py, which a refresh and the pages use), the country's 1.6M
figures were read three times and grouped twice. Here they go through three staged tables
(`staged_parents_rows`):
1. `commune_series`: the figures read once, one row per plan × indicator × sex (a plan is one
   commune's year) with a column per period of the year;
2. `series_figures`: each series' figure of each period and of the year, with its plan's
   target, its ratios' series made of their numerators' and denominators' series;
3. `parents_rows`: the communes' parents' rows of every period and of the year, aggregated
   from those columns in one pass.
The rules are commune_figures.py's: the same reports count, a year follows each indicator's
time aggregation, a ratio is 100 × Σ numerator ÷ Σ denominator. Tests check that a rebuild
gives what the refreshes give. The same SQL runs on SQLite and PostgreSQL.
"""
from contextlib import contextmanager
from typing import NamedTuple

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import (
    ColumnElement,
    CompoundSelect,
    FromClause,
    Select,
)

from app import periods
from app.plan_templates.models import Aggregation, TimeAggregation
from app.rollups.commune_figures import (
    PeriodClause,
    PlaceClause,
    counted_reports_of,
    parts_of_ratio,
    ratios_of,
    target_of,
)
from app.rollups.engine import (
    AMOUNT,
    counted,
    indicators,
    percent_of,
    plan_targets,
    plans,
    report_values,
    reports,
    rollup_rows,
    sex_key,
    staged,
    units,
)

# Where `staged_parents_rows` stages each step.
SERIES_TABLE, FIGURES_TABLE, PARENTS_TABLE = "commune_series", "series_figures", "parents_rows"
YEAR_REPORT = ""  # the slot of a year-type template's report: its period is the year
PARTS = ["value", "numerator", "denominator", "reported", "target"]  # of a figure, in `series_figures`


def slots_of(period_ids: list[str]) -> list[str]:
    """What follows the year in the periods shorter than a year ("Q3", "S1", "07"), the latest
    of each kind first, then a year-type template's report."""
    shorter = {period_id[4:] for period_id in period_ids if not periods.is_year(period_id)}
    return [*sorted(shorter, reverse=True), YEAR_REPORT]


def commune_series(place_clause: PlaceClause, period_clause: PeriodClause, slots: list[str]) -> Select:
    """The chosen communes' counted figures: a row per plan × indicator × sex, with `value_N`
    for each slot N. A report's period is always in its plan's year, so grouping by plan
    groups by commune and year."""
    place = units.alias("place")
    # Materialised: joined as written, the country's 1.6M figures went through a hash join
    # per table; this way they meet their 40,000 reports (with each one's slot) once.
    counted_reports = select(reports.c.id, reports.c.plan_id, func.substr(
        reports.c.period, literal_column("5")).label("slot")).select_from(counted_reports_of(place)).where(
        place_clause(place), period_clause(reports.c.period), counted()).cte("counted_report").prefix_with(
        "MATERIALIZED")
    columns = [func.max(case((counted_reports.c.slot == name, report_values.c.value))).label(f"value_{number}")
               for number, name in enumerate(slots)]
    key = [counted_reports.c.plan_id, report_values.c.indicator_id, report_values.c.sex]
    return select(*key, *columns).select_from(counted_reports.join(
        report_values, report_values.c.report_id == counted_reports.c.id)).group_by(*key)


def _with_ratios(series: FromClause, slots: list[str]) -> CompoundSelect:
    """The series with `denominator_N` columns, and each ratio's series: `value_N` its
    numerator's, `denominator_N` its denominator's, in the periods where both were reported."""
    numbers = range(len(slots))
    entered = indicators.alias("entered_indicator")  # a ratio's own figures, if any, do not count
    plain = select(series.c.plan_id, series.c.indicator_id, series.c.sex, *[
        column for number in numbers for column in (
            series.c[f"value_{number}"], cast(null(), AMOUNT).label(f"denominator_{number}"))]).select_from(
        series.join(entered, entered.c.id == series.c.indicator_id)).where(
        entered.c.aggregation != Aggregation.RATIO.value)
    top, bottom = series.alias("numerator_series"), series.alias("denominator_series")
    source, ratio, numerator, denominator = ratios_of(top)
    source = source.join(bottom, bottom.c.plan_id == top.c.plan_id)

    def both(number: int) -> ColumnElement:
        return and_(top.c[f"value_{number}"].is_not(None), bottom.c[f"value_{number}"].is_not(None))

    ratios = select(top.c.plan_id, ratio.c.id, top.c.sex, *[
        column for number in numbers for column in (
            case((both(number), top.c[f"value_{number}"])), case((both(number), bottom.c[f"value_{number}"])))
    ]).select_from(source).where(parts_of_ratio(top, bottom, ratio, numerator, denominator))
    return plain.union_all(ratios)


class _Figure(NamedTuple):
    """A commune's figure for one period."""

    value: ColumnElement
    numerator: ColumnElement  # a ratio's parts; None for another indicator
    denominator: ColumnElement
    reported: ColumnElement


def _is_ratio() -> ColumnElement:
    return indicators.c.aggregation == Aggregation.RATIO.value


def _slot_figure(series: FromClause, number: int) -> _Figure:
    value, denominator = series.c[f"value_{number}"], series.c[f"denominator_{number}"]
    return _Figure(case((_is_ratio(), percent_of(value, denominator)), else_=value),
                   case((_is_ratio(), value)), denominator, value.is_not(None))


def _added(columns) -> ColumnElement:
    return sum((func.coalesce(column, 0) for column in columns), start=literal_column("0"))


def _year_figure(figures: list[_Figure], of_year_report: _Figure) -> _Figure:
    """The year from its periods' figures (latest first): `sum` adds them up (a ratio its
    parts), `last` takes the latest that has a value; a year-type template's report is its
    year already."""
    if not figures:
        return of_year_report
    reported = or_(*[figure.reported for figure in figures])
    numerator, denominator = _added(figure.numerator for figure in figures), _added(
        figure.denominator for figure in figures)
    summed = _Figure(
        case((_is_ratio(), percent_of(numerator, denominator)), (reported, _added(figure.value for figure in figures))),
        case((_is_ratio(), numerator)), case((_is_ratio(), denominator)), reported)

    def latest(part: str) -> ColumnElement:
        return case(*[(figure.value.is_not(None), getattr(figure, part)) for figure in figures])

    last = _Figure(latest("value"), latest("numerator"), latest("denominator"), latest("value").is_not(None))
    is_last = indicators.c.time_aggregation == TimeAggregation.LAST.value
    return _Figure(*[case((of_year_report.reported, getattr(of_year_report, part)), (is_last, getattr(last, part)),
                          else_=getattr(summed, part)) for part in _Figure._fields])


def _period_slots(slots: list[str]) -> list[str]:
    """The periods of a parent's rows: each shorter period by its slot, then the year ("":
    its period is the year itself)."""
    return [*slots[:-1], ""]


def _periods(slots: list[str], figures: list[_Figure]) -> list[tuple[str, _Figure]]:
    """Each of `_period_slots` with its figure."""
    return list(zip(_period_slots(slots), [*figures[:-1], _year_figure(figures[:-1], figures[-1])], strict=True))


def series_figures(series: FromClause, slots: list[str]) -> Select:
    """Each series' (and each ratio's) figure of each period and of the year, with its
    commune's parent, its year and its indicator: `value_N`, `numerator_N`, `denominator_N`,
    `reported_N` (1, or None) and `target_N` (the plan's target where reported) for each
    period N of `_periods`. `series` holds `commune_series(…, slots)`. Computed once per
    series here, the figures are only added up by `parents_rows`."""
    every = _with_ratios(series, slots).subquery("every_series")
    figures = [_slot_figure(every, number) for number in range(len(slots))]
    columns = []
    for number, (_slot, figure) in enumerate(_periods(slots, figures)):
        reported = case((figure.reported, 1))
        parts = [figure.value, figure.numerator, figure.denominator, reported, case((figure.reported, plan_targets.c.value))]
        columns += [part.label(f"{name}_{number}") for name, part in zip(PARTS, parts, strict=True)]
    commune = units.alias("commune")
    return select(
        commune.c.parent_id, cast(plans.c.year, String).label("year"), indicators.c.code.label("indicator_code"),
        sex_key(every.c.sex).label("sex"), indicators.c.aggregation, *columns,
    ).select_from(every.join(plans, plans.c.id == every.c.plan_id).join(commune, commune.c.id == plans.c.unit_id).join(
        indicators, indicators.c.id == every.c.indicator_id).outerjoin(plan_targets, target_of(plan_targets, every)))


def parents_rows(figures: FromClause, slots: list[str], now) -> CompoundSelect:
    """The communes' parents' rows (`engine.ROLLUP_COLUMNS`) of each slot's period and of the
    year, from `figures`, which holds `series_figures(…, slots)`."""
    def part(name: str, number: int) -> ColumnElement:
        return figures.c[f"{name}_{number}"]

    slot_periods = _period_slots(slots)
    columns = []
    for number in range(len(slot_periods)):
        value = part("value", number)
        columns += [
            func.sum(value).label(f"value_sum_{number}"), func.count(value).label(f"value_count_{number}"),
            func.min(value).label(f"value_min_{number}"), func.max(value).label(f"value_max_{number}"),
            func.sum(part("numerator", number)).label(f"numerator_sum_{number}"),
            func.sum(part("denominator", number)).label(f"denominator_sum_{number}"),
            func.count(part("reported", number)).label(f"reporting_{number}"),
            func.sum(part("target", number)).label(f"target_{number}")]
    key = [figures.c.parent_id, figures.c.year, figures.c.indicator_code, figures.c.sex]
    parents = select(*key, func.max(figures.c.aggregation).label("aggregation"), *columns).group_by(*key).cte("parents")

    def of_period(number: int, slot: str) -> Select:
        def summed(name: str) -> ColumnElement:
            return func.coalesce(parents.c[f"{name}_{number}"], 0)  # no figure at all: 0

        period = parents.c.year.concat(slot) if slot else parents.c.year
        reporting = parents.c[f"reporting_{number}"]
        return rollup_rows(
            parents.c.parent_id, period, parents.c.indicator_code, parents.c.sex, parents.c.aggregation,
            summed("value_sum"), parents.c[f"value_count_{number}"], parents.c[f"value_min_{number}"],
            parents.c[f"value_max_{number}"], summed("numerator_sum"), summed("denominator_sum"), reporting,
            parents.c[f"target_{number}"], now,
        ).where(reporting > 0)

    return union_all(*[of_period(number, slot) for number, slot in enumerate(slot_periods)])


@contextmanager
def staged_parents_rows(place_clause: PlaceClause, period_ids: list[str], now):
    """The chosen communes' parents' rows of `period_ids` and their years, each step staged in
    a table of its own (the first two read in parallel on PostgreSQL); yields the last."""
    slots = slots_of(period_ids)
    series = commune_series(place_clause, lambda column: column.in_(period_ids), slots)
    with staged(SERIES_TABLE, series, read_in_parallel=True) as staged_series, staged(
            FIGURES_TABLE, series_figures(staged_series, slots), read_in_parallel=True) as figures, staged(
            PARENTS_TABLE, parents_rows(figures, slots, now)) as rows:
        yield rows
