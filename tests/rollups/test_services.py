"""Refreshes that never ran (the broker was down when they were sent, or lost them) are sent
again by beat once overdue, and put the rollups right."""
from datetime import timedelta

import pytest

from app.database import utcnow
from app.extensions import db as _db
from app.org_units.models import Level
from app.rollups import queries, services
from tenants import system_scope
from tests import factories
from tests.rollups.engine_data import report, rows_of

QUARTERS = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2023"]


@pytest.fixture
def lost_refresh(nhu_xuan, tree, db):
    """Bình Lương's 2023Q1 report accepted, its refresh sent to a broker that keeps it (the
    tests' in-memory one): the rollups above it wait for it."""
    report(nhu_xuan, nhu_xuan.communes[0], "2023Q1", {"TR01": 70})
    return nhu_xuan


def waiting(unit) -> list[str]:
    with system_scope("test"):
        return [period for period in QUARTERS if queries.waiting_below(_db.session.merge(unit), period)]


def resend(after: timedelta) -> int:
    with system_scope("test"):
        sent = services.resend_overdue_refreshes(utcnow() + after)
        _db.session.commit()
    return sent


@pytest.fixture
def free_worker(app):
    """Call it, and tasks run as they are sent from then on (as `tasks_run_at_once` does, but
    after the fixtures have sent theirs to no worker)."""
    celery = app.extensions["celery"]
    yield lambda: setattr(celery.conf, "task_always_eager", True)
    celery.conf.task_always_eager = False


def test_a_lost_refresh_is_sent_again_once_overdue_and_the_rollups_are_right(app, lost_refresh, tree, db,
                                                                            free_worker):
    assert waiting(tree.province) == QUARTERS  # the plans' approval asked for every quarter too
    free_worker()

    assert resend(timedelta(seconds=60)) == 0  # asked for a minute ago: maybe still running
    assert waiting(tree.province) == QUARTERS

    assert resend(timedelta(seconds=app.config["ROLLUP_OVERDUE_SECONDS"] + 1)) > 0
    assert waiting(tree.province) == []
    assert rows_of(db, tree.district, "2023Q1")[("TR01", "total")].value == 70
    assert rows_of(db, tree.province, "2023")[("TR01", "total")].value == 70
    assert resend(timedelta(hours=1)) == 0  # nothing waits any more


def test_each_overdue_period_is_sent_once_per_unit_and_a_year_only_without_its_periods(lost_refresh, tree, db):
    with system_scope("test"):
        overdue = queries.overdue_refreshes(utcnow() + timedelta(hours=1), limit=100)
        communes = {commune_id for commune_id, _period in overdue}
        # A commune below the district (and the province): its refresh computes both.
        assert communes == {min(commune.unit.id for commune in lost_refresh.communes)}
        assert sorted(period for _commune, period in overdue) == QUARTERS[:4]


def test_beat_sends_the_overdue_refreshes_every_minute(app):
    entry = app.extensions["celery"].conf.beat_schedule["resend-overdue-rollup-refreshes"]
    assert (entry["task"], entry["schedule"]) == ("tasks.rollups.resend_overdue_refreshes", 60.0)


def test_units_with_no_commune_below_do_not_keep_the_others_waiting(lost_refresh, tree, db):
    """A district with no commune, marked waiting long before, has no refresh to send: it must
    not take the place of one that has, however many there are."""
    with system_scope("test"):
        empty = factories.OrgUnitFactory(code="404", name="Huyện Trống", division_type="huyện",
                                         level=Level.DISTRICT, parent=_db.session.merge(tree.province))
        factories.put_rollup_state(empty, "2023Q1", 0, 0, 0, computed_at=None,
                                   requested_at=utcnow() - timedelta(days=30))
        db.session.commit()

        overdue = queries.overdue_refreshes(utcnow() + timedelta(hours=1), limit=1)

    # One of the quarters the approval and the report asked for at once, by a commune of Như Xuân.
    assert [commune_id for commune_id, _period in overdue] == [min(commune.unit.id for commune in lost_refresh.communes)]
