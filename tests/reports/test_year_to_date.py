"""A commune's year so far, from its own reports: each indicator by its time aggregation,
against sums and latest values worked out by hand here."""
from decimal import Decimal

import pytest

from app.extensions import db as _db
from app.plan_templates.models import TimeAggregation
from app.plans.models import Plan
from app.reports.year_to_date import reports_to_date, year_before, year_to_date
from tenants import system_scope
from tests.factories import figure_saved_before_a_rule, make_report


def _reports(plan, users, by_period: dict, accept=True):
    return [make_report(plan, period, values, users["editor"], users["leader"], users["officer"], accept=accept)
            for period, values in by_period.items()]


def _by_code(report, figures):
    template = report.plan.template
    return {(template_indicator.code, sex): value for (indicator_id, sex), value in figures.items()
            for template_indicator in template.indicators if template_indicator.id == indicator_id}


@pytest.fixture
def scope(db):
    with system_scope("test reads the commune's reports"):
        yield


def test_a_summed_indicator_adds_up_its_periods_and_a_last_one_keeps_the_latest(plan, users, scope):
    plan = _db.session.get(Plan, plan.id)
    q1, q2, q3, q4 = _reports(plan, users, {
        "2023Q1": {("TT01", "male"): 15, ("TT01", "female"): 25, "CB01": 20, "TR01": 100},
        "2023Q2": {("TT01", "male"): 5, ("TT01", "female"): 10, "CB01": 25},
        "2023Q3": {("TT01", "male"): 30, ("TT01", "female"): 45, "TR01": 250},
        "2023Q4": {("TT01", "male"): 1000, ("TT01", "female"): 1000, "CB01": 90, "TR01": 1000},
    })

    figures = _by_code(q3, year_to_date(q3, [q4, q2, q1, q3]))

    assert figures[("TT01", "male")] == Decimal(15 + 5 + 30)
    assert figures[("TT01", "female")] == Decimal(25 + 10 + 45)
    assert figures[("TT01", None)] == Decimal(40 + 15 + 75)  # the totals, each the sum of its sexes
    assert figures[("TR01", None)] == Decimal(100 + 250)  # Q2 has no figure: it adds nothing
    assert figures[("CB01", None)] == Decimal(25)  # `last`: Q2's, the latest entered; Q4 comes after


def test_the_first_period_is_its_own_year_so_far(plan, users, scope):
    plan = _db.session.get(Plan, plan.id)
    q1, q2 = _reports(plan, users, {"2023Q1": {"TR01": 7}, "2023Q2": {"TR01": 9}})

    figures = _by_code(q1, year_to_date(q1, [q1, q2]))

    assert figures[("TR01", None)] == Decimal(7)
    assert figures[("CB01", None)] is None  # never entered
    assert [report.period for report in reports_to_date(q2, [q2, q1])] == ["2023Q1", "2023Q2"]


def test_a_ratio_is_worked_out_from_its_parts_summed_over_the_periods(ratio_plan, users, scope):
    plan = _db.session.get(Plan, ratio_plan.id)
    q1, q2, q3 = _reports(plan, users, {
        "2023Q1": {"HS01": 200, "HS02": 90},
        "2023Q2": {},
        "2023Q3": {"HS01": 300, "HS02": 160},
    })
    # No numerator (saved before both parts were asked for): the quarter does not count in the ratio.
    figure_saved_before_a_rule(q2, "HS01", None, 100)

    figures = _by_code(q3, year_to_date(q3, [q1, q2, q3]))

    assert figures[("TL01", None)] == (Decimal(100) * (90 + 160) / (200 + 300)).quantize(Decimal("0.01"))
    assert figures[("HS01", None)] == Decimal(600)


def test_a_ratio_whose_denominators_are_all_zero_has_no_figure(ratio_plan, users, scope):
    plan = _db.session.get(Plan, ratio_plan.id)
    (q1,) = _reports(plan, users, {"2023Q1": {"HS01": 0, "HS02": 0}})

    assert _by_code(q1, year_to_date(q1, [q1]))[("TL01", None)] is None


def test_a_latest_value_ratio_follows_its_parts_latest_period_even_when_they_are_0(ratio_plan, users, scope):
    """HS01 and HS02 are `last`: their year is Q3's 0 and 0, so the ratio has no figure either,
    not Q2's 30 % beside parts of 0."""
    plan = _db.session.get(Plan, ratio_plan.id)
    for indicator in plan.template.indicators:
        if indicator.code in ("HS01", "HS02", "TL01"):
            indicator.time_aggregation = TimeAggregation.LAST
    q1, q2, q3 = _reports(plan, users, {
        "2023Q1": {"HS01": 10, "HS02": 5},
        "2023Q2": {"HS01": 20, "HS02": 6},
        "2023Q3": {"HS01": 0, "HS02": 0},
    })

    assert _by_code(q2, year_to_date(q2, [q1, q2]))[("TL01", None)] == Decimal(30)
    figures = _by_code(q3, year_to_date(q3, [q1, q2, q3]))
    assert (figures[("HS01", None)], figures[("HS02", None)], figures[("TL01", None)]) == (0, 0, None)


def test_the_year_before_a_period_is_the_year_so_far_at_the_latest_report_before_it(plan, users, scope):
    plan = _db.session.get(Plan, plan.id)
    q1, q3, q4 = _reports(plan, users, {
        "2023Q1": {"TR01": 100, "CB01": 20},
        "2023Q3": {"TR01": 250},
        "2023Q4": {"TR01": 1000, "CB01": 90},
    })

    before = year_before(q4)

    assert before.period == "2023Q3"  # Q2 has no report: the latest before Q4 is Q3's
    figures = _by_code(q4, before.figures)
    assert figures[("TR01", None)] == Decimal(100 + 250)
    assert figures[("CB01", None)] == Decimal(20)  # `last`: Q1's, the latest entered
    assert year_before(q1) is None
