"""Period ids as DESIGN.md writes them (DHIS2's): a year, six months, a quarter or a month."""
import pytest

from app import periods


@pytest.mark.parametrize("period_id", ["2023", "2023S2", "2023Q1", "202304"])
def test_the_four_kinds_of_period_are_read(period_id):
    assert periods.is_period(period_id)
    assert periods.parse(period_id).id == period_id


@pytest.mark.parametrize("period_id", [
    "2023Q5", "2023S3", "202313", "23Q1", "2023q1", "",
    "\u0662\u0660\u0662\u0663Q1",  # Arabic-Indic digits, which Python's \d also matches
    "\uff12\uff10\uff12\uff13Q1",  # full-width digits
])
def test_anything_else_is_not_a_period(period_id):
    assert not periods.is_period(period_id)
