"""Shared fixtures of the reports sent upward: Như Xuân's 2023 schedule (quarterly, reviewed by
the officer before it goes), its 2023Q3 figures in the rollups, the 2023Q3 report built from
them, an outbox in a temporary folder, and Celery running the tasks at once.

Fixtures stay general: each test module adds what only it needs."""
from datetime import datetime
from decimal import Decimal

import pytest

from app.dispatches import services
from app.dispatches.models import Dispatch, ReportSchedule
from app.rollups.models import RollupState
from tasks.dispatches import build_dispatch
from tenants import system_scope
from tests.factories import stored_rollup

RECIPIENT_NAME = "Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa"
RECIPIENT_EMAIL = "binhdanggioi@soldtbxh.thanhhoa.gov.vn"
SCHEDULE_DATA = {
    "period_type": "quarter", "days_after_deadline": 5, "recipient_name": RECIPIENT_NAME,
    "recipient_emails": [RECIPIENT_EMAIL], "formats": ["xlsx", "docx"], "mode": "review",
}
COMPUTED_AT = datetime(2023, 10, 12, 8, 30)
# Như Xuân's 2023Q3 leaflets (TR01): its total, and each commune's value and target.
DISTRICT_LEAFLETS = (Decimal(210), Decimal(200))
COMMUNE_LEAFLETS = {"16204": (Decimal(90), Decimal(100)), "16174": (Decimal(120), Decimal(100))}


@pytest.fixture
def schedule(template, db) -> ReportSchedule:
    """Như Xuân's quarters go to the province's office, prepared for the officer to review."""
    with system_scope("test data"):
        schedule = services.create_schedule(template, dict(SCHEDULE_DATA), None)
        db.session.commit()
    return schedule


@pytest.fixture
def district_rollups(tree, db):
    """Như Xuân's 2023Q3 figures: Bình Lương and Yên Cát reported, the district's total."""
    def rollup(unit, code, value, target=None, reporting=1):
        return stored_rollup(unit, "2023Q3", code, value, COMPUTED_AT, target=target, reporting=reporting)

    with system_scope("test data"):
        communes = {tree.commune.code: tree.commune, tree.sibling_commune.code: tree.sibling_commune}
        db.session.add_all([rollup(tree.district, "TR01", *DISTRICT_LEAFLETS, reporting=2)] + [
            rollup(communes[code], "TR01", value, target) for code, (value, target) in COMMUNE_LEAFLETS.items()])
        db.session.add_all([
            RollupState(unit_id=tree.district.id, period="2023Q3", expected=2, received=2, on_time=2,
                        computed_at=COMPUTED_AT, requested_at=None),
            *[RollupState(unit_id=unit.id, period="2023Q3", expected=1, received=1, on_time=1,
                          computed_at=COMPUTED_AT, requested_at=None) for unit in communes.values()],
        ])
        db.session.commit()


def make_dispatch(schedule: ReportSchedule, period: str, db) -> Dispatch:
    """A dispatch of `schedule` for `period`, built by the task (its files stored), not sent."""
    with system_scope("test data"):
        dispatch = Dispatch(unit_id=schedule.unit_id, schedule_id=schedule.id, period=period)
        db.session.add(dispatch)
        db.session.commit()
        dispatch_id = dispatch.id
    build_dispatch.run(dispatch_id)
    with system_scope("test data"):
        return db.session.get(Dispatch, dispatch_id)


@pytest.fixture
def dispatch_q3(schedule, district_rollups, db) -> Dispatch:
    """The 2023Q3 report, prepared (its XLSX and DOCX built from the rollups), not yet sent."""
    return make_dispatch(schedule, "2023Q3", db)
