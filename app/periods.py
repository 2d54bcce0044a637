"""Reporting periods, named by DHIS2's ids (DESIGN.md, Periods): `2023` (year), `2023S1`,
`2023S2` (six months), `2023Q1`…`2023Q4` (quarter), `202304` (month).

A period has a first and a last day; a report for it is due `deadline_days` after its end.
"""
import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# Deadlines and "today" are Viet Nam's, whatever zone the server runs in.
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_PATTERNS = {
    "year": re.compile(r"^([0-9]{4})$"),
    "six_months": re.compile(r"^([0-9]{4})S([12])$"),
    "quarter": re.compile(r"^([0-9]{4})Q([1-4])$"),
    "month": re.compile(r"^([0-9]{4})(0[1-9]|1[0-2])$"),
}
_MONTHS_PER_PART = {"year": 12, "six_months": 6, "quarter": 3, "month": 1}


class PeriodState(StrEnum):
    OPEN = "open"  # the period has not ended
    DUE = "due"  # it has ended; the deadline has not passed
    LATE = "late"  # the deadline has passed and nothing was submitted
    CLOSED = "closed"  # a report was submitted for it


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    id: str
    type: str

    @property
    def year(self) -> int:
        return self.start.year

    def deadline(self, days: int) -> date:
        return self.end + timedelta(days=days)

    def state(self, today: date, deadline_days: int, submitted: bool) -> PeriodState:
        if submitted:
            return PeriodState.CLOSED
        if today <= self.end:
            return PeriodState.OPEN
        if today <= self.deadline(deadline_days):
            return PeriodState.DUE
        return PeriodState.LATE


def parse(period_id: str) -> Period:
    """The period of an id; ValueError for anything else."""
    text = str(period_id).strip()
    for period_type, pattern in _PATTERNS.items():
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            part = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
            months = _MONTHS_PER_PART[period_type]
            first_month = (part - 1) * months + 1
            last_month = first_month + months - 1
            end = date(year, last_month, calendar.monthrange(year, last_month)[1])
            return Period(date(year, first_month, 1), end, text, period_type)
    raise ValueError(f"not a period id: {period_id!r}")


def is_period(period_id: str) -> bool:
    try:
        parse(period_id)
    except ValueError:
        return False
    return True


def is_year(period_id: str) -> bool:
    """Whether the period is a whole year ("2023"), not a part of one."""
    return parse(period_id).type == "year"


def periods_of_year(year: int, period_type: str) -> list[Period]:
    """The periods of one type that make up a year, in order."""
    ids = {
        "year": [f"{year}"],
        "six_months": [f"{year}S1", f"{year}S2"],
        "quarter": [f"{year}Q{quarter}" for quarter in range(1, 5)],
        "month": [f"{year}{month:02d}" for month in range(1, 13)],
    }[period_type]
    return [parse(period_id) for period_id in ids]


def local_today(now: datetime | None = None) -> date:
    """Today in Viet Nam, from naive UTC (as timestamps are stored)."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return now.replace(tzinfo=UTC).astimezone(ZONE).date()
