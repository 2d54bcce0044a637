"""A commune's figures over its year so far, from its own reports (the report document's
"Lũy kế từ đầu năm"): each indicator by its time aggregation (DESIGN.md, Periods), the rules
of the rollups (app/rollups/commune_figures.py) applied to one commune's reports in Python.

Every report of the plan up to the period counts, whatever its state: the commune reads its
own figures as it entered them, not the district's accepted total.
"""
from decimal import Decimal
from typing import NamedTuple

from app import periods
from app.plan_templates.models import TemplateIndicator, TimeAggregation
from app.plans.validation import ratio_value
from app.reports.models import Report
from app.reports.queries import reports_by_period

Key = tuple[int, str | None]  # indicator id, sex (None: the total)


def reports_to_date(report: Report, reports: list[Report]) -> list[Report]:
    """`report` and the plan's reports of the periods that end before its own, oldest first."""
    end = periods.parse(report.period).end
    earlier = [other for other in reports
               if other.id != report.id and other.plan_id == report.plan_id and periods.parse(other.period).end < end]
    return sorted(earlier, key=lambda other: periods.parse(other.period)) + [report]


def year_so_far(report: Report) -> dict[Key, Decimal | None] | None:
    """`year_to_date` over the plan's saved reports; None for a year's report, which is its
    year already."""
    if periods.is_year(report.period):
        return None
    return year_to_date(report, list(reports_by_period(report.plan).values()))


class YearBefore(NamedTuple):
    period: str  # of the plan's latest report before the one at hand
    figures: dict[Key, Decimal | None]


def year_before(report: Report) -> YearBefore | None:
    """The year so far at the plan's latest report before this one (`year_to_date`): what the
    commune had reported before the period it is filling in. None for a year's report and for
    the year's first."""
    if periods.is_year(report.period):
        return None
    reports = list(reports_by_period(report.plan).values())
    earlier = reports_to_date(report, reports)[:-1]
    if not earlier:
        return None
    return YearBefore(earlier[-1].period, year_to_date(earlier[-1], reports))


def year_to_date(report: Report, reports: list[Report]) -> dict[Key, Decimal | None]:
    """Each indicator's figure (and each sex's, where entered by sex) over the year up to the
    report's period: the periods' sum, or the latest period's value (`last`); a ratio is 100 ×
    Σ numerator ÷ Σ denominator over the periods where both were entered, or its value in the
    latest of those (none if they were 0 and 0, as its parts' latest are)."""
    counted = reports_to_date(report, reports)
    template = report.plan.template
    figures: dict[Key, Decimal | None] = {}
    for indicator in template.indicators:
        for sex in (None, "male", "female") if indicator.by_sex else (None,):
            if indicator.is_ratio:
                figures[(indicator.id, sex)] = _ratio_over_time(indicator, sex, counted)
            else:
                figures[(indicator.id, sex)] = _over_time(indicator, [_value(each, indicator.id, sex) for each in counted])
    return figures


def _value(report: Report, indicator_id: int, sex: str | None) -> Decimal | None:
    saved = report.value(indicator_id, sex)
    return saved.value if saved is not None else None


def _over_time(indicator: TemplateIndicator, values: list[Decimal | None]) -> Decimal | None:
    entered = [value for value in values if value is not None]
    if not entered:
        return None
    return entered[-1] if indicator.time_aggregation == TimeAggregation.LAST else sum(entered, Decimal(0))


def _ratio_over_time(ratio: TemplateIndicator, sex: str | None, reports: list[Report]) -> Decimal | None:
    numerator = ratio.template.indicator(ratio.numerator_code or "")
    denominator = ratio.template.indicator(ratio.denominator_code or "")
    if numerator is None or denominator is None:
        return None
    parts = [(_value(each, numerator.id, sex), _value(each, denominator.id, sex)) for each in reports]
    both = [(top, bottom) for top, bottom in parts if top is not None and bottom is not None]
    if not both:
        return None
    if ratio.time_aggregation == TimeAggregation.LAST:
        return ratio_value(*both[-1])
    return ratio_value(sum((top for top, _bottom in both), Decimal(0)),
                       sum((bottom for _top, bottom in both), Decimal(0)))
