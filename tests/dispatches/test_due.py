"""When a schedule's reports fall due: the communes' deadline plus the schedule's days, at
07:00 in Viet Nam, for every period type, whatever the server's own time zone."""
import os
import time
from datetime import date, datetime

import pytest

from app.dispatches.due import due_at, due_periods
from app.dispatches.models import ReportSchedule
from app.periods import local_today
from app.plan_templates.models import PlanTemplate


def schedule(period_type: str, days_after_deadline: int = 5, deadline_days: int = 10,
             template_period_type: str = "quarter") -> ReportSchedule:
    template = PlanTemplate(year=2023, report_period_type=template_period_type, report_deadline_days=deadline_days)
    return ReportSchedule(template=template, period_type=period_type, days_after_deadline=days_after_deadline)


@pytest.mark.parametrize(("period_type", "period", "due_utc"), [
    # 2023Q3 ends 30/9; the communes' deadline is 10/10; five days later at 07:00 ICT = 00:00 UTC.
    ("quarter", "2023Q3", datetime(2023, 10, 15, 0, 0)),
    ("quarter", "2023Q4", datetime(2024, 1, 15, 0, 0)),
    ("six_months", "2023S1", datetime(2023, 7, 15, 0, 0)),
    ("month", "202302", datetime(2023, 3, 15, 0, 0)),  # February has 28 days in 2023
    ("year", "2023", datetime(2024, 1, 15, 0, 0)),
])
def test_due_time_is_deadline_plus_days_at_seven_in_viet_nam(period_type, period, due_utc):
    assert due_at(schedule(period_type, template_period_type=period_type), period) == due_utc


def test_zero_days_after_a_zero_day_deadline_is_the_morning_after_the_period():
    assert due_at(schedule("quarter", 0, 0), "2023Q1") == datetime(2023, 3, 31, 0, 0)


def test_a_period_is_due_from_that_instant_not_a_second_before():
    quarterly = schedule("quarter")
    assert due_periods(quarterly, datetime(2023, 10, 14, 23, 59, 59)) == ["2023Q1", "2023Q2"]
    assert due_periods(quarterly, datetime(2023, 10, 15, 0, 0)) == ["2023Q1", "2023Q2", "2023Q3"]
    assert due_periods(quarterly, datetime(2030, 1, 1)) == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    assert due_periods(quarterly, datetime(2023, 4, 1)) == []


def test_the_servers_time_zone_changes_nothing(monkeypatch):
    before = due_at(schedule("quarter"), "2023Q3")
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        assert due_at(schedule("quarter"), "2023Q3") == before
        assert local_today(datetime(2023, 10, 14, 18, 0)) == date(2023, 10, 15)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert os.environ.get("TZ") != "America/Los_Angeles"


def test_the_report_date_is_todays_date_in_viet_nam():
    assert local_today(datetime(2023, 10, 14, 16, 59)) == date(2023, 10, 14)  # 23:59 ICT
    assert local_today(datetime(2023, 10, 14, 17, 0)) == date(2023, 10, 15)  # midnight ICT
