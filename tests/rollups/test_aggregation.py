"""The figures a rollup holds: each aggregation across communes, by sex, over time, and the
setting that lets submitted reports count. Expected values are computed here in Python."""
from decimal import Decimal

from sqlalchemy import update

from app.plan_templates import services as template_services
from app.plan_templates.models import TemplateIndicator, TimeAggregation
from app.plans import services as plan_services
from app.plans.models import Plan
from app.rollups import rebuild
from app.rollups.models import target_of_value
from app.task_runs.models import RunState
from app.task_runs.queries import get_run
from tenants import system_scope
from tests.rollups.engine_data import (
    TARGETS,
    all_rows,
    amount,
    build_district,
    rebuild_below,
    refresh,
    report,
    rows_of,
    state_row,
)

Q1 = {
    "Bình Lương": {("TT01", "male"): 40, ("TT01", "female"): 60, "CB01": Decimal("25.5"), "TR01": 300,
                   "MN01": Decimal("7.25"), "MX01": 3, "CT01": 1, "NU01": 4, "TS01": 10},
    "Yên Cát": {("TT01", "male"): 15, ("TT01", "female"): 20, "CB01": 40, "TR01": 120,
                "MN01": 2, "MX01": Decimal("9.5"), "CT01": 0, "NU01": 3, "TS01": 5},
    "Thanh Quân": {("TT01", "male"): 8, ("TT01", "female"): 9, "CB01": 10, "TR01": 0,
                   "MN01": 4, "MX01": 1, "CT01": 1, "NU01": 0, "TS01": 0},
}


def _report_all(nhu_xuan, period, figures, accept=True):
    for commune in nhu_xuan.communes:
        report(nhu_xuan, commune, period, figures[commune.unit.short_name], accept=accept)
    for commune in nhu_xuan.communes:
        refresh(commune.unit, period)


def _value(figures, code, sex=None):
    key = (code, sex) if sex else code
    if key in figures:
        return Decimal(figures[key])
    if code == "TT01" and sex is None:  # entered by sex: the total is their sum
        return Decimal(figures[("TT01", "male")]) + Decimal(figures[("TT01", "female")])
    raise KeyError(key)


def test_a_commune_holds_its_own_figures_and_targets(nhu_xuan, tree, db):
    _report_all(nhu_xuan, "2023Q1", Q1)
    rows = rows_of(db, tree.commune, "2023Q1")
    figures = Q1["Bình Lương"]
    assert rows[("TT01", "total")].value == 100 and rows[("TT01", "female")].value == 60
    assert rows[("TT01", "total")].target == 120 and rows[("TT01", "female")].target is None
    assert rows[("CB01", "total")].value == amount("25.5")
    ratio = rows[("RT01", "total")]
    assert ratio.value == amount(Decimal(100) * 4 / 10)
    assert (ratio.numerator_sum, ratio.denominator_sum, ratio.target) == (4, 10, 50)
    for row in rows.values():
        assert row.reporting == 1
    assert rows[("CT01", "total")].value_sum == figures["CT01"]
    # Thanh Quân's denominator is 0: no ratio, but its parts still count above.
    assert rows_of(db, nhu_xuan.communes[2].unit, "2023Q1")[("RT01", "total")].value is None


def test_a_communes_figures_have_the_decimal_places_of_a_stored_rollup(nhu_xuan, tree, db):
    """A commune's ratio of 1 to 3 is read as the district's would be stored, on either database:
    33.3333, where PostgreSQL's division gives 33.3333333333333333."""
    report(nhu_xuan, nhu_xuan.communes[0], "2023Q1", {**Q1["Bình Lương"], "NU01": 1, "TS01": 3})
    refresh(tree.commune, "2023Q1")
    commune_ratio = rows_of(db, tree.commune, "2023Q1")[("RT01", "total")]
    district_ratio = rows_of(db, tree.district, "2023Q1")[("RT01", "total")]
    assert commune_ratio.value == district_ratio.value == Decimal("33.3333")
    assert commune_ratio.value.as_tuple().exponent == district_ratio.value.as_tuple().exponent == -4


def test_the_district_aggregates_each_indicator_by_its_method(nhu_xuan, tree, db):
    _report_all(nhu_xuan, "2023Q1", Q1)
    rows = rows_of(db, tree.district, "2023Q1")
    communes = list(Q1.values())

    def values(code, sex=None):
        return [_value(figures, code, sex) for figures in communes]

    assert rows[("TT01", "total")].value == sum(values("TT01"))
    assert rows[("TT01", "male")].value == sum(values("TT01", "male"))
    assert rows[("TT01", "female")].value == sum(values("TT01", "female"))
    assert rows[("TR01", "total")].value == sum(values("TR01"))
    assert rows[("CB01", "total")].value == amount(sum(values("CB01")) / 3)
    assert rows[("MN01", "total")].value == amount(min(values("MN01")))
    assert rows[("MX01", "total")].value == amount(max(values("MX01")))
    assert rows[("CT01", "total")].value == sum(1 for value in values("CT01") if value == 1)
    assert rows[("RT01", "total")].value == amount(Decimal(100) * sum(values("NU01")) / sum(values("TS01")))
    total = rows[("TT01", "total")]
    assert (total.reporting, total.value_count, total.target) == (3, 3, 3 * 120)
    assert rows[("TT01", "male")].target is None  # no commune set a target by sex

    province = rows_of(db, tree.province, "2023Q1")
    assert {key: row.value for key, row in province.items()} == {key: row.value for key, row in rows.items()}


def test_a_value_that_is_not_a_sum_is_set_against_the_mean_of_the_communes_targets(nhu_xuan, tree, db):
    """Each plan's targets: TT01 120, CB01 (average) 30, RT01 (ratio) 50, MN01 (minimum) 5.
    Thanh Quân's plan sets no CB01 target: the mean is of the two that do."""
    with system_scope("test"):
        plan = nhu_xuan.communes[2].plan
        plan.approved_targets.remove(plan.approved_target(nhu_xuan.template.indicator("CB01").id, None))
        db.session.commit()
    _report_all(nhu_xuan, "2023Q1", Q1)
    rows = rows_of(db, tree.district, "2023Q1")
    assert (rows[("CB01", "total")].target, rows[("CB01", "total")].target_count) == (2 * 30, 2)
    assert {code: target_of_value(rows[(code, "total")]) for code in ("TT01", "CB01", "RT01", "MN01", "CT01")} == {
        "TT01": 3 * 120, "CB01": 30, "RT01": 50, "MN01": 5, "CT01": 3 * 1}
    assert target_of_value(rows[("TT01", "male")]) is None  # no commune set a target by sex
    commune = rows_of(db, nhu_xuan.communes[0].unit, "2023Q1")
    assert (target_of_value(commune[("CB01", "total")]), commune[("CB01", "total")].target_count) == (30, 1)

    refreshed = all_rows(db, periods={"2023Q1"})
    with system_scope("test"):
        rebuild.rebuild(None)
        db.session.commit()
    assert all_rows(db, periods={"2023Q1"}) == refreshed  # target_count among the columns


def test_only_accepted_reports_count_unless_the_template_says_so(nhu_xuan, tree, db):
    first, second, _third = nhu_xuan.communes
    report(nhu_xuan, first, "2023Q1", Q1["Bình Lương"], accept=True)
    report(nhu_xuan, second, "2023Q1", Q1["Yên Cát"], accept=False)
    refresh(first.unit, "2023Q1")
    refresh(second.unit, "2023Q1")
    assert rows_of(db, tree.district, "2023Q1")[("TR01", "total")].value == 300
    assert rows_of(db, second.unit, "2023Q1") == {}

    with system_scope("test"):
        nhu_xuan.template.rollup_includes_submitted = True
        db.session.commit()
    refresh(second.unit, "2023Q1")
    district = rows_of(db, tree.district, "2023Q1")
    assert district[("TR01", "total")].value == 300 + 120
    assert district[("TR01", "total")].reporting == 2


def test_changing_which_reports_count_computes_the_figures_again_at_once(nhu_xuan, tree, db, tasks_run_at_once):
    first, second, _third = nhu_xuan.communes
    report(nhu_xuan, first, "2023Q1", Q1["Bình Lương"], accept=True)
    report(nhu_xuan, second, "2023Q1", Q1["Yên Cát"], accept=False)
    refresh(second.unit, "2023Q1")

    def change(includes_submitted: bool) -> None:
        """The officer's change, committed: the rebuild it starts runs then, as a free worker would."""
        with system_scope("test"):
            template = db.session.merge(nhu_xuan.template)
            run_id = template_services.set_counted_reports(template, nhu_xuan.officer, template.version,
                                                           includes_submitted).id
            db.session.commit()
            assert get_run(run_id).state == RunState.DONE

    change(True)
    for unit in (tree.district, tree.province):
        assert rows_of(db, unit, "2023Q1")[("TR01", "total")].value == 300 + 120
        assert rows_of(db, unit, "2023")[("TR01", "total")].reporting == 2
        assert not state_row(db, unit, "2023Q1").stale and state_row(db, unit, "2023Q1").received == 2

    change(False)
    assert rows_of(db, tree.province, "2023Q1")[("TR01", "total")].value == 300
    assert state_row(db, tree.district, "2023").received == 1


def test_the_year_follows_each_indicators_time_aggregation(nhu_xuan, tree, db):
    first, second, _third = nhu_xuan.communes
    quarters = {
        "2023Q1": ({"TR01": 10, "CB01": 20, "MN01": 3, "MX01": 2, "CT01": 0, "NU01": 1, "TS01": 4},
                   {"TR01": 5, "CB01": 50, "MN01": 8, "MX01": 1, "CT01": 1, "NU01": 2, "TS01": 2}),
        "2023Q2": ({"TR01": 7, "MN01": 1, "MX01": 4, "CT01": 1, "NU01": 3, "TS01": 4},
                   {"TR01": 1, "CB01": 60, "MN01": 6, "MX01": 3, "NU01": 0, "TS01": 6}),
    }
    for period, (mine, theirs) in quarters.items():
        report(nhu_xuan, first, period, mine)
        report(nhu_xuan, second, period, theirs)
        refresh(first.unit, period)
        refresh(second.unit, period)

    def year_of(position):
        """Plain arithmetic: sum over the quarters, or the latest quarter that has a value."""
        series = [quarters[period][position] for period in sorted(quarters)]
        year = {}
        for code, how in TIME.items():
            present = [figures[code] for figures in series if code in figures]
            year[code] = Decimal(sum(present)) if how == "sum" else Decimal(present[-1])
        return year

    mine, theirs = year_of(0), year_of(1)
    commune_year = rows_of(db, first.unit, "2023")
    for code in TIME:
        assert commune_year[(code, "total")].value == amount(mine[code]), code
    assert commune_year[("RT01", "total")].value == amount(Decimal(100) * mine["NU01"] / mine["TS01"])

    district_year = rows_of(db, tree.district, "2023")
    assert district_year[("TR01", "total")].value == mine["TR01"] + theirs["TR01"]
    assert district_year[("CB01", "total")].value == amount((mine["CB01"] + theirs["CB01"]) / 2)
    assert district_year[("MN01", "total")].value == amount(min(mine["MN01"], theirs["MN01"]))
    assert district_year[("MX01", "total")].value == amount(max(mine["MX01"], theirs["MX01"]))
    assert district_year[("CT01", "total")].value == mine["CT01"] + theirs["CT01"]
    assert district_year[("RT01", "total")].value == amount(
        Decimal(100) * (mine["NU01"] + theirs["NU01"]) / (mine["TS01"] + theirs["TS01"]))
    assert district_year[("TR01", "total")].target == 2 * 10


def test_a_latest_value_ratio_has_its_parts_latest_period_even_when_they_are_0(nhu_xuan, tree, db):
    """RT01 = 100 × NU01 ÷ TS01, each `last`. Bình Lương's Q2 is 0 ÷ 0 after 6 ÷ 20 in Q1: its
    year has no ratio, and the district's year adds up its parts of Q2 (0 and 0), as its NU01
    and TS01 do, not Q1's."""
    with system_scope("test data"):
        db.session.execute(update(TemplateIndicator).where(TemplateIndicator.code.in_(("RT01", "NU01", "TS01"))).values(
            time_aggregation=TimeAggregation.LAST))
        db.session.commit()
    first, second, _third = nhu_xuan.communes
    quarters = {"2023Q1": ({"NU01": 6, "TS01": 20}, {"NU01": 3, "TS01": 5}),
                "2023Q2": ({"NU01": 0, "TS01": 0}, {"NU01": 4, "TS01": 10})}
    for period, (mine, theirs) in quarters.items():
        report(nhu_xuan, first, period, mine)
        report(nhu_xuan, second, period, theirs)
        refresh(first.unit, period)
        refresh(second.unit, period)

    commune_year = rows_of(db, first.unit, "2023")
    assert (commune_year[("NU01", "total")].value, commune_year[("TS01", "total")].value) == (0, 0)
    assert commune_year[("RT01", "total")].value is None
    district_year = rows_of(db, tree.district, "2023")
    assert district_year[("RT01", "total")].value == amount(Decimal(100) * (0 + 4) / (0 + 10))
    assert (district_year[("RT01", "total")].numerator_sum, district_year[("RT01", "total")].denominator_sum) == (
        4, 10)
    assert district_year[("RT01", "total")].reporting == 2  # 0 ÷ 0 is reported, as in its quarter

    reported = {"2023Q1", "2023Q2", "2023"}
    refreshed = all_rows(db, periods=reported)
    rebuild_below(None)
    assert all_rows(db, periods=reported) == refreshed


TIME = {"TR01": "sum", "CB01": "last", "MN01": "last", "MX01": "sum", "CT01": "last", "NU01": "sum",
        "TS01": "sum"}


def test_a_communes_figures_are_read_from_its_report_without_a_refresh(nhu_xuan, tree, db):
    first = nhu_xuan.communes[0]
    report(nhu_xuan, first, "2023Q1", Q1["Bình Lương"])  # accepted; no refresh has run
    rows = rows_of(db, first.unit, "2023Q1")
    assert rows[("TR01", "total")].value == 300 and rows[("TR01", "total")].target == 10
    assert rows_of(db, tree.district, "2023Q1") == {}  # the district waits for its refresh
    refresh(first.unit, "2023Q1")
    assert rows_of(db, tree.district, "2023Q1")[("TR01", "total")].value == 300


def test_a_yearly_template_reports_the_year_itself(tree, users, db):
    with system_scope("test data"):
        district = build_district(tree.district, users["officer"], [tree.commune, tree.sibling_commune],
                                  report_period_type="year")
        db.session.commit()
    for commune, figures in zip(district.communes, ({"TR01": 7, "CB01": 3}, {"TR01": 5, "CB01": 6}), strict=True):
        report(district, commune, "2023", figures)
        refresh(commune.unit, "2023")
    rows = rows_of(db, tree.district, "2023")
    assert (rows[("TR01", "total")].value, rows[("TR01", "total")].reporting) == (12, 2)
    assert rows[("CB01", "total")].value == amount("4.5")
    assert rows_of(db, tree.commune, "2023")[("TR01", "total")].value == 7
    assert rows_of(db, tree.province, "2023")[("TR01", "total")].value == 12

    refreshed = all_rows(db, periods={"2023"})
    with system_scope("test"):
        rebuild.rebuild(None)
        db.session.commit()
    assert all_rows(db, periods={"2023"}) == refreshed


def test_an_amendments_targets_count_above_once_the_district_approves_them(nhu_xuan, tree, db):
    """While the commune writes an amendment, its reports and the rollups keep the targets of
    the edition the district approved, through a refresh and a rebuild alike."""
    commune = nhu_xuan.communes[0]
    report(nhu_xuan, commune, "2023Q1", Q1["Bình Lương"])
    refresh(commune.unit, "2023Q1")

    def targets() -> tuple:  # the commune's own, the district's
        return tuple(rows_of(db, unit, "2023Q1")[("TR01", "total")].target for unit in (tree.commune, tree.district))

    approved = targets()
    with system_scope("test data"):
        plan = db.session.get(Plan, commune.plan.id)
        plan_services.perform(plan, "amend", commune.editor, plan.version)
        plan_services.update_plan(plan, commune.editor, plan.version, {
            "targets": [{"indicator": "TR01", "sex": None, "value": TARGETS["TR01"] + 1000}]})
        db.session.commit()
    refresh(commune.unit, "2023Q1")
    assert targets() == approved
    rebuild_below(None)
    assert targets() == approved

    with system_scope("test data"):
        plan = db.session.get(Plan, commune.plan.id)
        plan_services.perform(plan, "submit", commune.leader, plan.version)
        plan_services.perform(plan, "approve", nhu_xuan.officer, plan.version)
        db.session.commit()
    refresh(commune.unit, "2023Q1")
    assert targets() == (approved[0] + 1000, approved[1] + 1000)
