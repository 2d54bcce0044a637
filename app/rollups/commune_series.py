"""The communes' figures of a whole tree pivoted by period, for a rebuild (app/rollups/services.py).

A rebuild needs every period of every commune and the years that follow from them. Read as
rows (app/rollups/commune_figures.py, which a refresh and the pages use), the country's 1.6M
figures were read three times and grouped twice. Here they are read once into one row per
commune × plan × indicator × sex with a column per period of the year (`commune_series`); the
parents' rows of every period and of the year are then aggregated from those columns in one
pass (`parents_rows`). The rules are commune_figures.py's: the same reports count, a year
follows each indicator's time aggregation, a ratio is 100 × Σ numerator ÷ Σ denominator. Tests
check that a rebuild gives what the refreshes give. The same SQL runs on SQLite and PostgreSQL.
"""
from typing import NamedTuple

from sqlalchemy import case, cast, func, literal_column, null, or_, select, union_all
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
    ratio_entries,
    reported_entries,
    target_of,
    targets_of,
    year_of,
)
from app.rollups.engine import AMOUNT, indicators, percent_of, rollup_rows, sex_key

SERIES_KEY = ["unit_id", "parent_id", "plan_id", "indicator_id", "sex"]
SERIES_TABLE = "commune_series"  # where a rebuild stages `commune_series` while it reads it
YEAR_REPORT = ""  # the slot of a year-type template's report: its period is the year


def slots_of(period_ids: list[str]) -> list[str]:
    """What follows the year in the periods shorter than a year ("Q3", "S1", "07"), the latest
    of each kind first, then a year-type template's report."""
    shorter = {period_id[4:] for period_id in period_ids if not periods.is_year(period_id)}
    return [*sorted(shorter, reverse=True), YEAR_REPORT]


def _slot_of(period: ColumnElement) -> ColumnElement:
    return func.substr(period, literal_column("5"))


def _pivoted(entries: FromClause, slots: list[str], value: ColumnElement, denominator: ColumnElement | None) -> Select:
    """One row per commune × plan × indicator × sex × year with `value_N` and `denominator_N`
    for each slot N (a ratio's value column holds its numerator)."""
    slot = _slot_of(entries.c.period)
    columns = []
    for number, name in enumerate(slots):
        columns.append(func.max(case((slot == name, value))).label(f"value_{number}"))
        of_slot = func.max(case((slot == name, denominator))) if denominator is not None else cast(null(), AMOUNT)
        columns.append(of_slot.label(f"denominator_{number}"))
    key = [entries.c[name] for name in SERIES_KEY]
    year = year_of(entries.c.period)
    return select(*key, year.label("year"), *columns).group_by(*key, year)


def commune_series(place_clause: PlaceClause, period_clause: PeriodClause, slots: list[str]) -> Select:
    """The chosen communes' counted figures, a row per series and year, a column per slot."""
    reported = reported_entries(place_clause, period_clause).subquery("reported")
    ratios = ratio_entries(place_clause, period_clause).subquery("ratios")
    return _pivoted(reported, slots, reported.c.value, None).union_all(
        _pivoted(ratios, slots, ratios.c.numerator_sum, ratios.c.denominator_sum))


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


def _parent_parts(figure: _Figure, target: ColumnElement) -> dict[str, ColumnElement]:
    """What a parent's row adds up of its communes' figures for one period."""
    return {"value_sum": func.sum(figure.value), "value_count": func.count(figure.value),
            "value_min": func.min(figure.value), "value_max": func.max(figure.value),
            "numerator_sum": func.sum(figure.numerator), "denominator_sum": func.sum(figure.denominator),
            "reporting": func.count(case((figure.reported, 1))), "target": func.sum(case((figure.reported, target)))}


def parents_rows(series: FromClause, place_clause: PlaceClause, slots: list[str], now) -> CompoundSelect:
    """The communes' parents' rows (`engine.ROLLUP_COLUMNS`) of each slot's period and of the
    year. `series` holds `commune_series(place_clause, …, slots)`."""
    targets = targets_of(place_clause)
    figures = [_slot_figure(series, number) for number in range(len(slots))]
    # Each shorter period by its slot, then the year ("": its period is the year itself).
    periods_ = [*zip(slots[:-1], figures[:-1], strict=True), ("", _year_figure(figures[:-1], figures[-1]))]
    columns = [part.label(f"{name}_{number}")
               for number, (_slot, figure) in enumerate(periods_)
               for name, part in _parent_parts(figure, targets.c.value).items()]
    code, sex = indicators.c.code, sex_key(series.c.sex)
    parents = select(
        series.c.parent_id, series.c.year, code.label("indicator_code"), sex.label("sex"),
        func.max(indicators.c.aggregation).label("aggregation"), *columns,
    ).select_from(series.join(indicators, indicators.c.id == series.c.indicator_id).outerjoin(
        targets, target_of(targets, series))).group_by(series.c.parent_id, series.c.year, code, sex).cte("parents")

    def of_period(number: int, slot: str) -> Select:
        def part(name: str) -> ColumnElement:
            return parents.c[f"{name}_{number}"]

        def summed(name: str) -> ColumnElement:
            return func.coalesce(part(name), 0)  # no figure at all: 0

        period = parents.c.year.concat(slot) if slot else parents.c.year
        return rollup_rows(
            parents.c.parent_id, period, parents.c.indicator_code, parents.c.sex, parents.c.aggregation,
            summed("value_sum"), part("value_count"), part("value_min"), part("value_max"), summed("numerator_sum"),
            summed("denominator_sum"), part("reporting"), part("target"), now,
        ).where(part("reporting") > 0)

    return union_all(*[of_period(number, slot) for number, (slot, _figure) in enumerate(periods_)])
