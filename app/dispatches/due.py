"""When a schedule's reports are due: the communes' reporting deadline of the period, plus the
schedule's days, at the start of the office's day in Viet Nam, whatever zone the server is in."""
from datetime import UTC, datetime, time, timedelta

from app import periods
from app.dispatches.models import ReportSchedule
from app.periods import ZONE

SEND_AT = time(7, 0)  # local time: the morning the report is prepared or sent


def due_at(schedule: ReportSchedule, period_id: str) -> datetime:
    """Naive UTC, as the timestamps are stored."""
    period = periods.parse(period_id)
    day = period.deadline(schedule.template.report_deadline_days) + timedelta(days=schedule.days_after_deadline)
    return datetime.combine(day, SEND_AT, tzinfo=ZONE).astimezone(UTC).replace(tzinfo=None)


def due_periods(schedule: ReportSchedule, now: datetime) -> list[str]:
    """The schedule's periods (of its template's year) due at `now` (naive UTC), oldest first."""
    candidates = periods.periods_of_year(schedule.template.year, schedule.period_type)
    return [period.id for period in candidates if due_at(schedule, period.id) <= now]
