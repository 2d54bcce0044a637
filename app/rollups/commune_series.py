"""The communes' figures of a whole tree pivoted by period, for a rebuild (app/rollups/rebuild.py).

A rebuild needs every period of every commune and the years that follow from them. Read as
rows (app/rollups/commune_figures.py, which a refresh and the pages use), the country's 1.6M
figures were read three times and grouped twice. Here they go through staged tables
(`staged_parents_rows`):
1. `counted_reports`: the reports that count, each with its commune's parent, its year and the
   number of its period's slot;
2. `commune_series`: their figures read once, one row per plan × indicator × sex (a plan is
   one commune's year) with a column per period of the year, and one for the year's figure
   (ratios aside), each row with its parent, its indicator's code and the plan's target;
3. `ratio_figures`: each ratio's figures, from its numerator's and denominator's series;
4. `parents_figures`: the communes' parents' sums, counts, minima and maxima of every period
   and of the year, added up from each series' figures in one pass, without a join.
`parents_rows` then gives each period its rollup rows, and the parents' parents' rows from
their figures added up (`grandparents_figures`). The rules are commune_figures.py's: the
same reports count, a year follows each indicator's time aggregation, a ratio is 100 × Σ
numerator ÷ Σ denominator. Tests check that a rebuild gives what the refreshes give. The same
SQL runs on SQLite and PostgreSQL.
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
    approved_targets,
    counted,
    indicators,
    percent_of,
    plans,
    report_values,
    reports,
    rollup_rows,
    sex_key,
    staged,
    units,
)

# Where `staged_parents_rows` stages each step.
COUNTED_TABLE, SERIES_TABLE = "counted_reports", "commune_series"
RATIOS_TABLE, FIGURES_TABLE = "ratio_figures", "parents_figures"
SERIES_PARTS = 2  # a small server's cores: 3 parts on 2 cores took nearly twice as long as 2
YEAR_REPORT = ""  # the slot of a year-type template's report: its period is the year
# A parent's figures of one period, each `name_N` in `parents_figures`.
PARTS = ["value_sum", "value_count", "value_min", "value_max", "numerator_sum", "denominator_sum", "reporting",
         "target", "target_count"]


def slots_of(period_ids: list[str]) -> list[str]:
    """What follows the year in the periods shorter than a year ("Q3", "S1", "07"), the latest
    of each kind first, then a year-type template's report."""
    shorter = {period_id[4:] for period_id in period_ids if not periods.is_year(period_id)}
    return [*sorted(shorter, reverse=True), YEAR_REPORT]


def counted_reports(place_clause: PlaceClause, period_clause: PeriodClause, slots: list[str]) -> Select:
    """The chosen communes' counted reports: `id`, `plan_id`, the commune's `parent_id`, the
    plan's `year` and `slot`, the number of the report's slot in `slots` (comparing numbers,
    not strings, five times per figure saved a tenth of the pivot)."""
    place = units.alias("place")
    slot_number = case({name: number for number, name in enumerate(slots)},
                       value=func.substr(reports.c.period, literal_column("5")))
    return select(reports.c.id, reports.c.plan_id, place.c.parent_id, cast(plans.c.year, String).label("year"),
                  slot_number.label("slot")).select_from(counted_reports_of(place)).where(
        place_clause(place), period_clause(reports.c.period), counted())


def commune_series(counted: FromClause, slots: list[str]) -> Select:
    """The counted reports' figures: a row per plan × indicator × sex, with `value_N` for each
    slot N and `value_year`, the year's figure of an indicator other than a ratio (computed
    once here: the parents' aggregates read it five times, and computing it in each took half
    their time). A report's period is always in its plan's year, so grouping by plan groups by
    commune and year. Each row carries its commune's `parent_id`, its `year` and
    `_described`'s columns, so that the parents' aggregates, split by parent, join nothing.
    `counted` holds `counted_reports(…, slots)`.

    The plans are grouped in SERIES_PARTS parts, each by a GROUP BY of its own: PostgreSQL
    runs them side by side (a parallel append), where it ran one GROUP BY of the country's
    1.6M figures on one core (0.9 s against 2 s)."""
    def part(number: int) -> Select:
        columns = [func.max(case((counted.c.slot == slot, report_values.c.value))).label(f"value_{slot}")
                   for slot in range(len(slots))]
        key = [counted.c.plan_id, counted.c.parent_id, counted.c.year, report_values.c.indicator_id,
               report_values.c.sex]
        return select(*key, *columns).select_from(counted.join(
            report_values, report_values.c.report_id == counted.c.id)).where(
            counted.c.plan_id % SERIES_PARTS == number).group_by(*key)

    series = union_all(*[part(number) for number in range(SERIES_PARTS)]).subquery("periods_series")
    year = _plain_year([series.c[f"value_{number}"] for number in range(len(slots))])
    described, columns = _described(series)
    return select(series, year.label("value_year"), *columns).select_from(described)


def _described(figures: FromClause) -> tuple[FromClause, list[ColumnElement]]:
    """`figures` (with `plan_id`, `indicator_id` and `sex`) joined once with what the parents'
    aggregates need beside them, and those columns: the indicator's `indicator_code` and
    `aggregation` (`indicators` is joined for the select's other columns too), and the plan's
    approved `target` for it and the sex."""
    joined = figures.join(indicators, indicators.c.id == figures.c.indicator_id).outerjoin(
        approved_targets, target_of(approved_targets, figures))
    return joined, [indicators.c.code.label("indicator_code"), indicators.c.aggregation,
                    approved_targets.c.value.label("target")]


class _Figure(NamedTuple):
    """A commune's figure for one period. `numerator` and `denominator` are a ratio's parts,
    None (in Python) for another indicator, whose figure is reported when it has a value."""

    value: ColumnElement
    numerator: ColumnElement | None = None
    denominator: ColumnElement | None = None
    reported: ColumnElement | None = None


def _added(columns) -> ColumnElement:
    return sum((func.coalesce(column, 0) for column in columns), start=literal_column("0"))


def _year_of(has_year_report: ColumnElement, of_year_report: ColumnElement, last: ColumnElement,
             summed: ColumnElement) -> ColumnElement:
    """A year's figure: a year-type template's report is its year already; otherwise the
    indicator's time aggregation chooses the latest period's (`last`) or the periods' sum."""
    return case((has_year_report, of_year_report),
                (indicators.c.time_aggregation == TimeAggregation.LAST.value, last), else_=summed)


def _plain_year(values: list[ColumnElement]) -> ColumnElement:
    """The year's figure of an indicator other than a ratio, from its values of each slot
    (by `_year_of`): `sum` adds up its periods, `last` takes the latest that has a value."""
    shorter, of_year_report = values[:-1], values[-1]
    if not shorter:
        return of_year_report
    summed = case((or_(*[value.is_not(None) for value in shorter]), _added(shorter)))
    latest = func.coalesce(*shorter)  # the latest first
    return _year_of(of_year_report.is_not(None), of_year_report, latest, summed)


def _plain_periods(series: FromClause, slots: list[str]) -> list[_Figure]:
    """An indicator's figures other than a ratio's, each period's and the year's, staged with
    the series: the parents' aggregates read each figure five times."""
    return [_Figure(series.c[f"value_{number}"]) for number in range(len(slots) - 1)] + [
        _Figure(series.c.value_year)]


def _ratio_series(series: FromClause, slots: list[str]) -> Select:
    """Each ratio's series: `numerator_N` its numerator's values, `denominator_N` its
    denominator's, in the periods where both were reported. A ratio's own figures, if any
    were typed, do not count."""
    top, bottom = series.alias("numerator_series"), series.alias("denominator_series")
    source, ratio, numerator, denominator = ratios_of(top)
    source = source.join(bottom, bottom.c.plan_id == top.c.plan_id)

    def both(number: int) -> ColumnElement:
        return and_(top.c[f"value_{number}"].is_not(None), bottom.c[f"value_{number}"].is_not(None))

    return select(top.c.plan_id, top.c.parent_id, top.c.year, ratio.c.id.label("indicator_id"), top.c.sex, *[
        column for number in range(len(slots)) for column in (
            case((both(number), top.c[f"value_{number}"])).label(f"numerator_{number}"),
            case((both(number), bottom.c[f"value_{number}"])).label(f"denominator_{number}"))
    ]).select_from(source).where(parts_of_ratio(top, bottom, ratio, numerator, denominator))


def _ratio_periods(series: FromClause, slots: list[str]) -> list[_Figure]:
    """A ratio's figures, each period's and the year's (last, by `_year_of`): 100 × numerator ÷
    denominator, the year's from its periods' parts, added up (`sum`) or the latest period's
    whose parts were entered (`last`; 0 ÷ 0 included, as its parts' year is that period's)."""
    def figure(number: int) -> _Figure:
        numerator, denominator = series.c[f"numerator_{number}"], series.c[f"denominator_{number}"]
        return _Figure(percent_of(numerator, denominator), numerator, denominator, numerator.is_not(None))

    figures = [figure(number) for number in range(len(slots))]
    shorter, of_year_report = figures[:-1], figures[-1]
    if not shorter:
        return [of_year_report]
    numerator = _added(figure.numerator for figure in shorter)
    denominator = _added(figure.denominator for figure in shorter)
    summed = _Figure(percent_of(numerator, denominator), numerator, denominator,
                     or_(*[figure.reported for figure in shorter]))

    def latest(part: str) -> ColumnElement:  # of the latest period whose parts were entered
        return case(*[(figure.reported, getattr(figure, part)) for figure in shorter])

    last = _Figure(latest("value"), latest("numerator"), latest("denominator"), summed.reported)
    year = _Figure(*[_year_of(of_year_report.reported, *[getattr(chosen, part) for chosen in (of_year_report, last, summed)])
                     for part in _Figure._fields])
    return [*shorter, year]


def ratio_figures(series: FromClause, slots: list[str]) -> Select:
    """Each ratio's figures (`_ratio_periods`) as columns `value_N`, `numerator_N`,
    `denominator_N` and `reported_N`, with `parent_id`, `year`, `sex` and `_described`'s
    columns. Staged in a table of their own, each figure is computed once per row, not in each
    aggregate that reads it (a fifth of the ratios' time)."""
    ratios = _ratio_series(series, slots).subquery("ratio_series")
    described, columns = _described(ratios)
    return select(ratios.c.parent_id, ratios.c.year, ratios.c.sex, *columns, *[
        getattr(figure, part).label(f"{part}_{number}")
        for number, figure in enumerate(_ratio_periods(ratios, slots)) for part in _Figure._fields
    ]).select_from(described)


def _staged_ratio_periods(ratios: FromClause, slots: list[str]) -> list[_Figure]:
    """The figures of `ratios`, which holds `ratio_figures(…, slots)`."""
    return [_Figure(*[ratios.c[f"{part}_{number}"] for part in _Figure._fields]) for number in range(len(slots))]


def _parents_of(series: FromClause, figures: list[_Figure], *conditions: ColumnElement) -> Select:
    """The communes' parents' figures of each period N of `_period_slots`, added up from the
    series (with `parent_id`, `year`, `sex` and `_described`'s columns): `value_sum_N`,
    `value_count_N`, `value_min_N`, `value_max_N`, `numerator_sum_N`, `denominator_sum_N`,
    `reporting_N`, and `target_N` and `target_count_N` (the sum and number of the reporting
    communes' targets)."""
    columns = []
    for number, figure in enumerate(figures):
        value = figure.value
        if figure.numerator is None:  # not a ratio: no parts, and reported when it has a value
            parts, reported = [cast(null(), AMOUNT)] * 2, value.is_not(None)
            reporting = func.count(value)
        else:
            parts, reported = [func.sum(figure.numerator), func.sum(figure.denominator)], figure.reported
            reporting = func.count(case((reported, 1)))
        target = case((reported, series.c.target))
        aggregates = [func.sum(value), func.count(value), func.min(value), func.max(value), *parts, reporting,
                      func.sum(target), func.count(target)]
        columns += [aggregate.label(f"{name}_{number}") for name, aggregate in zip(PARTS, aggregates, strict=True)]
    key = [series.c.parent_id, series.c.year, series.c.indicator_code, sex_key(series.c.sex).label("sex")]
    return select(*key, func.max(series.c.aggregation).label("aggregation"), *columns).where(
        *conditions).group_by(*key)


def parents_figures(series: FromClause, ratios: FromClause, slots: list[str]) -> CompoundSelect:
    """The communes' parents' figures (`_parents_of`): the indicators other than ratios from
    `series`, which holds `commune_series(…, slots)`, the ratios from `ratios`, which holds
    `ratio_figures(…, slots)`.

    The parents are aggregated in SERIES_PARTS parts and the ratios in one more, each a GROUP
    BY of its own, which PostgreSQL runs side by side; one GROUP BY of the country's 400,000
    series ran on one core (0.8 s against 0.35 s)."""
    plain = [_parents_of(series, _plain_periods(series, slots), series.c.aggregation != Aggregation.RATIO.value,
                         series.c.parent_id % SERIES_PARTS == number) for number in range(SERIES_PARTS)]
    return union_all(*plain, _parents_of(ratios, _staged_ratio_periods(ratios, slots)))


def _period_slots(slots: list[str]) -> list[str]:
    """The periods of a parent's rows: each shorter period by its slot, then the year ("":
    its period is the year itself)."""
    return [*slots[:-1], ""]


def parents_rows(figures: FromClause, slots: list[str], now) -> CompoundSelect:
    """The communes' parents' rows (`engine.ROLLUP_COLUMNS`) of each slot's period and of the
    year, from `figures`, which holds `parents_figures(…, slots)`."""
    def of_period(number: int, slot: str) -> Select:
        def part(name: str) -> ColumnElement:
            return figures.c[f"{name}_{number}"]

        def summed(name: str) -> ColumnElement:
            return func.coalesce(part(name), 0)  # no figure at all: 0

        period = figures.c.year.concat(slot) if slot else figures.c.year
        return rollup_rows(
            figures.c.parent_id, period, figures.c.indicator_code, figures.c.sex, figures.c.aggregation,
            summed("value_sum"), part("value_count"), part("value_min"), part("value_max"), summed("numerator_sum"),
            summed("denominator_sum"), part("reporting"), part("target"), part("target_count"), now,
        ).where(part("reporting") > 0)

    return union_all(*[of_period(number, slot) for number, slot in enumerate(_period_slots(slots))])


def grandparents_figures(figures: FromClause, slots: list[str], grandparent_clause: PlaceClause) -> Select:
    """The figures of the communes' parents' parents chosen by `grandparent_clause` (on a
    units alias), added up from `figures`, which holds `parents_figures(…, slots)`: as a
    parent's rows add up its children's (`engine.aggregated_rows`), each part is summed but
    the minima and maxima. A province's 40 series of a year are then a few dozen wide rows
    per district, where its stored rows were five times as many (a country's provinces: 0.3 s
    from the districts' rows)."""
    parent, grandparent = units.alias("figures_parent"), units.alias("grandparent")
    combined = {"value_min": func.min, "value_max": func.max}
    key = [parent.c.parent_id, figures.c.year, figures.c.indicator_code, figures.c.sex]
    return select(*key, func.max(figures.c.aggregation).label("aggregation"), *[
        combined.get(name, func.sum)(figures.c[f"{name}_{number}"]).label(f"{name}_{number}")
        for number in range(len(slots)) for name in PARTS
    ]).select_from(figures.join(parent, parent.c.id == figures.c.parent_id).join(
        grandparent, grandparent.c.id == parent.c.parent_id)).where(grandparent_clause(grandparent)).group_by(*key)


@contextmanager
def staged_parents_rows(place_clause: PlaceClause, period_ids: list[str], now,
                        grandparent_clause: PlaceClause | None = None):
    """The chosen communes' parents' rows of `period_ids` and their years: the counted reports,
    the series, the ratios' figures and the parents' figures each staged in a table of its own
    (all but the last read in parallel on PostgreSQL). Yields the rows, each select to be read
    once: the parents', then, if `grandparent_clause` chooses units, those of the parents'
    parents it chooses (`grandparents_figures`)."""
    slots = slots_of(period_ids)
    counted = counted_reports(place_clause, lambda column: column.in_(period_ids), slots)
    with staged(COUNTED_TABLE, counted, read_in_parallel=True) as staged_counted, staged(
            SERIES_TABLE, commune_series(staged_counted, slots), read_in_parallel=True) as series, staged(
            RATIOS_TABLE, ratio_figures(series, slots), read_in_parallel=True) as ratios, staged(
            FIGURES_TABLE, parents_figures(series, ratios, slots)) as figures:
        rows = [parents_rows(figures, slots, now).subquery("parents_rows")]
        if grandparent_clause is not None:
            # A CTE, computed once: each period's select reads it.
            above = grandparents_figures(figures, slots, grandparent_clause).cte("grandparents_figures")
            rows.append(parents_rows(above, slots, now).subquery("grandparents_rows"))
        yield rows
