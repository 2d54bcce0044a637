"""How rollups are computed: idempotence, any order of refreshes, refreshes in parallel, and a
rebuild giving what the refreshes gave. Completeness and the stale flag are test_completeness.py's."""
import random
import threading

import pytest
from sqlalchemy import update

from app.extensions import db as _db
from app.plan_templates.models import TemplateIndicator
from app.reports.models import ReportValue
from app.rollups import queries
from tasks.rollups import refresh_rollups
from tenants import system_scope
from tests.factories import OrgUnitFactory
from tests.rollups.engine_data import (
    FIGURES,
    add_commune,
    all_rows,
    amount,
    make_nhu_thanh,
    make_province_of_communes,
    rebuild_below,
    refresh,
    report,
    rows_of,
    state_row,
)


def test_computing_twice_gives_the_same_rows(nhu_xuan, tree, db):
    for commune, figures in zip(nhu_xuan.communes, FIGURES, strict=False):
        report(nhu_xuan, commune, "2023Q2", figures)
        refresh(commune.unit, "2023Q2")
    first = all_rows(db)
    refresh(nhu_xuan.communes[0].unit, "2023Q2")
    refresh(nhu_xuan.communes[0].unit, "2023Q2")
    assert all_rows(db) == first
    stored = {row[0] for row in first if len(row) > 5}  # rollup rows, not states
    assert stored == {tree.district.id, tree.province.id}  # the communes' figures are read, not stored


def _many_communes(nhu_xuan, tree, count: int):
    with system_scope("test data"):
        for number in range(count):
            add_commune(nhu_xuan, OrgUnitFactory(parent=tree.district, code=f"{17000 + number}"))
        _db.session.commit()
    for position, commune in enumerate(nhu_xuan.communes):
        report(nhu_xuan, commune, "2023Q1", FIGURES[position % len(FIGURES)])
        if position % 2:
            report(nhu_xuan, commune, "2023Q2", FIGURES[(position + 3) % len(FIGURES)])


def test_refreshes_in_any_order_give_what_a_rebuild_gives(nhu_xuan, tree, db):
    _many_communes(nhu_xuan, tree, 4)
    jobs = [(commune.unit, period) for commune in nhu_xuan.communes for period in ("2023Q1", "2023Q2")
            if period == "2023Q1" or nhu_xuan.communes.index(commune) % 2]
    random.Random(7).shuffle(jobs)
    for unit, period in jobs:
        refresh(unit, period)
    incremental = all_rows(db, periods={"2023Q1", "2023Q2", "2023"})
    for unit, period in reversed(jobs):
        refresh(unit, period)
    assert all_rows(db, periods={"2023Q1", "2023Q2", "2023"}) == incremental

    rebuild_below(tree.province)
    assert all_rows(db, periods={"2023Q1", "2023Q2", "2023"}) == incremental
    rebuild_below(tree.district)
    assert all_rows(db, periods={"2023Q1", "2023Q2", "2023"}) == incremental
    rebuild_below(None)  # the whole tree at once
    assert all_rows(db, periods={"2023Q1", "2023Q2", "2023"}) == incremental


# Per commune, per quarter: partial reports, quarters missing, ratios of 0 ÷ 0, a ratio's
# numerator without its denominator, a figure typed for a ratio itself (which does not count).
UNEVEN_QUARTERS = [
    {"2023Q1": FIGURES[0], "2023Q2": {**FIGURES[1], "NU01": 0, "TS01": 0}, "2023Q3": {"TR01": 4, "NU01": 6}},
    {"2023Q2": {"TR01": 5, "NU01": 2, "TS01": 4, "MN01": 3}, "2023Q3": FIGURES[2]},
    {"2023Q1": {**FIGURES[3], "NU01": 0, "TS01": 0}, "2023Q3": {"CB01": 7, "NU01": 0, "TS01": 0, "CT01": 1}},
]


def _saved_before_its_rule(made, code: str, value) -> None:
    """A value in a report as reports saved before a rule may hold it: a ratio's own value
    (before they computed their ratios), which the rollups ignore, or one part of a ratio
    without the other (before both were asked for)."""
    with system_scope("test data"):
        made = _db.session.merge(made)
        ratio = next(indicator for indicator in made.plan.template.indicators if indicator.code == code)
        _db.session.add(ReportValue(report_id=made.id, indicator_id=ratio.id, sex=None, value=value,
                                    unit_id=made.unit_id))
        _db.session.commit()


def _report_uneven(district, commune, period: str, figures: dict):
    """`report`, except that a ratio's part without the other (NU01 without TS01), which a save
    now refuses, is written as a report saved before that rule holds it."""
    alone = {code: figures[code] for code, other in (("NU01", "TS01"), ("TS01", "NU01"))
             if code in figures and other not in figures}
    made = report(district, commune, period, {key: value for key, value in figures.items() if key not in alone})
    for code, value in alone.items():
        _saved_before_its_rule(made, code, value)
    return made


@pytest.mark.parametrize("ratio_over_time", ["sum", "last"])
def test_a_rebuild_gives_what_refreshes_give_for_uneven_quarters(nhu_xuan, tree, db, ratio_over_time):
    with system_scope("test data"):
        _db.session.execute(update(TemplateIndicator).where(TemplateIndicator.code == "RT01").values(
            time_aggregation=ratio_over_time))
        _db.session.commit()
    for commune, quarters in zip(nhu_xuan.communes, UNEVEN_QUARTERS, strict=True):
        for period, figures in quarters.items():
            made = _report_uneven(nhu_xuan, commune, period, figures)
            if (commune, period) == (nhu_xuan.communes[0], "2023Q3"):
                _saved_before_its_rule(made, "RT01", 55)
            refresh(commune.unit, period)
    second = nhu_xuan.communes[1]
    report(nhu_xuan, second, "2023Q1", FIGURES[4], accept=False)  # submitted only: not counted
    refresh(second.unit, "2023Q1")
    reported = {"2023Q1", "2023Q2", "2023Q3", "2023"}
    refreshed = all_rows(db, periods=reported)
    assert {row[1] for row in refreshed if row[2] == "RT01"} == reported

    rebuild_below(None)
    assert all_rows(db, periods=reported) == refreshed


def test_a_province_rebuilt_from_two_districts_is_what_its_refreshes_give(nhu_xuan, tree, users, db):
    """A rebuild adds a province up from its districts' figures: sums, minima, maxima, a
    ratio's parts and the targets, each period's and the year's."""
    nhu_thanh = make_nhu_thanh(tree, users, db)
    quarters = [(nhu_xuan, nhu_xuan.communes[0], UNEVEN_QUARTERS[0]), (nhu_xuan, nhu_xuan.communes[1], UNEVEN_QUARTERS[1]),
                (nhu_thanh, nhu_thanh.communes[0], {"2023Q1": FIGURES[6], "2023Q3": {"MN01": 0.5, "MX01": 40, "TR01": 1}})]
    for district, commune, figures_of in quarters:
        for period, figures in figures_of.items():
            _report_uneven(district, commune, period, figures)
        for period in ("2023Q1", "2023Q2", "2023Q3"):  # as its plan's approval asks for them
            refresh(commune.unit, period)
    reported = {"2023Q1", "2023Q2", "2023Q3", "2023"}
    refreshed = all_rows(db, periods=reported)
    province = rows_of(db, tree.province, "2023Q3")
    assert (province[("MN01", "total")].value, province[("MX01", "total")].value) == (amount("0.5"), amount(40))

    rebuild_below(None)
    assert all_rows(db, periods=reported) == refreshed
    rebuild_below(tree.province)
    assert all_rows(db, periods=reported) == refreshed


def test_a_province_of_districts_reporting_by_quarter_and_by_half_year_is_rebuilt_as_refreshed(
        nhu_xuan, tree, users, db):
    nhu_thanh = make_nhu_thanh(tree, users, db, report_period_type="six_months")
    report(nhu_xuan, nhu_xuan.communes[0], "2023Q1", FIGURES[0])
    report(nhu_thanh, nhu_thanh.communes[0], "2023S1", FIGURES[1])
    for commune, period in ((nhu_xuan.communes[0], "2023Q1"), (nhu_thanh.communes[0], "2023S1")):
        refresh(commune.unit, period)
    reported = {"2023Q1", "2023S1", "2023"}
    refreshed = all_rows(db, periods=reported)
    assert rows_of(db, tree.province, "2023")[("TR01", "total")].value == FIGURES[0]["TR01"] + FIGURES[1]["TR01"]
    assert rows_of(db, tree.province, "2023S1")[("TR01", "total")].value == FIGURES[1]["TR01"]

    rebuild_below(None)
    assert all_rows(db, periods=reported) == refreshed


def test_refreshes_running_at_once_give_what_a_rebuild_gives(nhu_xuan, tree, db, app):
    _many_communes(nhu_xuan, tree, 5)
    errors = []

    def worker(jobs):
        try:
            with app.app_context():
                for unit_id, period in jobs:
                    refresh_rollups.run(unit_id, period)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    jobs = [(commune.unit.id, "2023Q1") for commune in nhu_xuan.communes]
    threads = [threading.Thread(target=worker, args=(jobs[number::4],)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    together = all_rows(db, periods={"2023Q1"})
    rebuild_below(tree.district)
    assert all_rows(db, periods={"2023Q1"}) == together
    assert rows_of(db, tree.district, "2023Q1")[("TT01", "total")].reporting == len(nhu_xuan.communes)


def test_a_siblings_refresh_brings_in_every_communes_figures(nhu_xuan, tree, db):
    first, second, _third = nhu_xuan.communes
    report(nhu_xuan, first, "2023Q1", FIGURES[0])
    report(nhu_xuan, second, "2023Q1", FIGURES[1])
    refresh(second.unit, "2023Q1")  # the second's task ran first; the first's is still queued

    district = rows_of(db, tree.district, "2023Q1")[("TR01", "total")]
    both = (district.value, district.reporting)
    assert both == (FIGURES[0]["TR01"] + FIGURES[1]["TR01"], 2)
    with system_scope("test"):
        assert not queries.waiting_below(tree.district, "2023Q1")
        assert not queries.waiting_below(tree.province, "2023")
    refresh(first.unit, "2023Q1")
    district = rows_of(db, tree.district, "2023Q1")[("TR01", "total")]
    assert (district.value, district.reporting) == both


def test_queries_read_a_unit_its_state_and_its_children(nhu_xuan, tree, db):
    for commune, figures in zip(nhu_xuan.communes, FIGURES, strict=False):
        report(nhu_xuan, commune, "2023Q1", figures)
        refresh(commune.unit, "2023Q1")
    with system_scope("test"):
        district = _db.session.merge(tree.district)
        rows = queries.rollup_rows(district, "2023Q1")
        assert [(row.indicator_code, row.sex) for row in rows][:3] == [
            ("CB01", "total"), ("CT01", "total"), ("MN01", "total")]
        tt01 = [row.sex for row in rows if row.indicator_code == "TT01"]
        assert tt01 == ["total", "male", "female"]
        assert queries.state_of(district, "2023Q1").received == 3
        children = queries.children_rows(district, "2023Q1")
        assert {unit.code for unit, _row in children} == {c.unit.code for c in nhu_xuan.communes}
        assert len(children) == 3 * len(rows)


def test_a_province_supervising_its_communes_directly_is_rolled_up_beside_the_old_tree(nhu_xuan, tree, db):
    """Since 1 July 2025 a province supervises its communes, with no district between (DESIGN.md):
    its rows come from its communes' reports, and a rebuild of the whole tree, whose communes
    then sit at two depths, gives what the refreshes gave in both trees."""
    new_tree = make_province_of_communes(db, {"18000": "Xã Mới Một", "18001": "Xã Mới Hai", "18002": "Xã Mới Ba"})
    province = new_tree.unit
    for position, commune in enumerate(new_tree.communes[:2]):
        report(new_tree, commune, "2023Q1", FIGURES[position])
        refresh(commune.unit, "2023Q1")
    report(nhu_xuan, nhu_xuan.communes[0], "2023Q1", FIGURES[5])
    refresh(nhu_xuan.communes[0].unit, "2023Q1")

    rows = rows_of(db, province, "2023Q1")
    assert rows[("TR01", "total")].value == 10 + 20
    assert rows[("TR01", "total")].reporting == 2
    assert rows_of(db, province, "2023")[("TR01", "total")].value == 10 + 20
    state = state_row(db, province, "2023Q1")
    assert (state.expected, state.received) == (3, 2)
    assert rows_of(db, tree.province, "2023Q1")[("TR01", "total")].value == 60  # the old tree's own

    refreshed = all_rows(db, periods={"2023Q1", "2023"})
    rebuild_below(None)
    assert all_rows(db, periods={"2023Q1", "2023"}) == refreshed
    rebuild_below(province)
    assert all_rows(db, periods={"2023Q1", "2023"}) == refreshed
