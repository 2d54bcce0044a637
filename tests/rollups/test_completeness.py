"""Completeness (app/rollups/completeness.py): the reports expected, received and on time of
each unit and period, as the refreshes and a rebuild count them, and the stale flag."""
from app.database import utcnow
from app.extensions import db as _db
from app.org_units.models import Level
from app.rollups import completeness, services
from tenants import system_scope
from tests.factories import OrgUnitFactory
from tests.rollups.engine_data import (
    FIGURES,
    all_rows,
    make_nhu_thanh,
    rebuild_below,
    refresh,
    report,
    rows_of,
    state_row,
)


def test_completeness_counts_expected_received_and_on_time(nhu_xuan, tree, db):
    on_time, late, _missing = nhu_xuan.communes
    made = report(nhu_xuan, on_time, "2023Q1", FIGURES[0])
    with system_scope("test data"):
        made.late = False  # as if submitted before the deadline (2023Q1's has long passed)
        db.session.commit()
    report(nhu_xuan, late, "2023Q1", FIGURES[1])
    refresh(on_time.unit, "2023Q1")
    refresh(late.unit, "2023Q1")

    state = state_row(db, tree.district, "2023Q1")
    assert (state.expected, state.received, state.on_time) == (3, 2, 1)
    assert [(s.expected, s.received, s.on_time) for s in
            (state_row(db, commune.unit, "2023Q1") for commune in nhu_xuan.communes)] == [
        (1, 1, 1), (1, 1, 0), (1, 0, 0)]
    year = state_row(db, tree.district, "2023")
    assert (year.expected, year.received, year.on_time) == (3 * 4, 2, 1)
    province = state_row(db, tree.province, "2023Q1")
    assert (province.expected, province.received, province.on_time) == (3, 2, 1)


def test_a_submitted_report_is_received_only_when_the_template_counts_it(nhu_xuan, tree, db):
    commune = nhu_xuan.communes[0]
    report(nhu_xuan, commune, "2023Q1", FIGURES[0], accept=False)
    refresh(commune.unit, "2023Q1")
    assert state_row(db, tree.district, "2023Q1").received == 0
    with system_scope("test"):
        nhu_xuan.template.rollup_includes_submitted = True
        db.session.commit()
    refresh(commune.unit, "2023Q1")
    assert state_row(db, tree.district, "2023Q1").received == 1


def test_a_rebuild_counts_every_periods_reports_as_refreshes_do(nhu_xuan, tree, users, db):
    """Completeness of every period of the year, quarters and half-years side by side: reports
    on time and late, one submitted but not counted, periods not reported."""
    nhu_thanh = make_nhu_thanh(tree, users, db, report_period_type="six_months")
    on_time = report(nhu_xuan, nhu_xuan.communes[0], "2023Q1", FIGURES[0])  # the others, submitted now, are late
    with system_scope("test data"):
        _db.session.merge(on_time).late = False
        _db.session.commit()
    report(nhu_xuan, nhu_xuan.communes[1], "2023Q1", FIGURES[1])
    report(nhu_xuan, nhu_xuan.communes[1], "2023Q2", FIGURES[2], accept=False)  # submitted: not counted
    report(nhu_thanh, nhu_thanh.communes[0], "2023S1", FIGURES[3])
    year = {"2023Q1", "2023Q2", "2023Q3", "2023Q4", "2023S1", "2023S2", "2023"}
    for commune in [*nhu_xuan.communes, *nhu_thanh.communes]:
        for period in sorted(year):
            refresh(commune.unit, period)
    refreshed = all_rows(db, periods=year)
    assert (state_row(db, tree.district, "2023Q1").received, state_row(db, tree.district, "2023Q1").on_time) == (2, 1)
    assert state_row(db, tree.province, "2023").expected == 3 * 4 + 2

    rebuild_below(None)
    assert all_rows(db, periods=year) == refreshed


def test_a_unit_with_nothing_below_it_is_computed_all_the_same(tree, db):
    with system_scope("test"):
        district = OrgUnitFactory(parent=tree.province, level=Level.DISTRICT, division_type="huyện")
        db.session.flush()
        completeness.mark_requested(district.id, "2023Q1", utcnow())
        services.compute_unit(district, "2023Q1", of_communes=True)
        db.session.commit()
    assert rows_of(db, district, "2023Q1") == {}
    assert not state_row(db, district, "2023Q1").stale


def test_a_request_after_the_computation_makes_it_stale_until_the_next(nhu_xuan, tree, db):
    commune = nhu_xuan.communes[0]
    report(nhu_xuan, commune, "2023Q1", FIGURES[0])
    assert state_row(db, tree.district, "2023Q1").stale  # asked for, never computed
    refresh(commune.unit, "2023Q1")
    assert not state_row(db, tree.district, "2023Q1").stale
    assert not state_row(db, commune.unit, "2023").stale
    with system_scope("test"):
        services.request_refresh(commune.unit, "2023Q1")
        db.session.commit()
    assert state_row(db, tree.district, "2023Q1").stale
    assert state_row(db, tree.province, "2023").stale
    refresh(commune.unit, "2023Q1")
    assert not state_row(db, tree.district, "2023Q1").stale
    assert not state_row(db, tree.province, "2023").stale
