"""`make bench` says, for each target, what it measured and whether the target is met, and its
hand-written floor computes the figures the rebuild does."""
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.org_units.models import OrgUnit
from app.plan_templates.models import TemplateIndicator
from app.reports.models import Report
from app.rollups import rebuild
from app.rollups.models import TOTAL, Rollup
from bench import data
from bench.__main__ import FLOOR_SQL, step_lines, target_lines
from bench.rebuild_steps import step_of
from tenants import system_scope


def _row(incremental_ms, rebuild_ms, province_page_ms, xlsx_s, xlsx_peak_mb, xlsx_communes,
         redis_ms=40.0, embedded_ms=300.0):
    return {"baseline_ms": 1000.0, "rebuild_ms": rebuild_ms, "rebuild_ratio": rebuild_ms / 1000.0,
            "incremental_ms": incremental_ms,
            "province_page_ms": province_page_ms, "xlsx_s": xlsx_s, "xlsx_peak_mb": xlsx_peak_mb,
            "xlsx_communes": xlsx_communes,
            "latency": {"redis": redis_ms and {"median_ms": redis_ms, "max_ms": redis_ms},
                        "embedded": {"median_ms": embedded_ms, "max_ms": embedded_ms}}}


def test_each_target_is_checked_against_the_largest_scale():
    lines = target_lines([_row(20.0, 30.0, 10.0, 0.1, 0.4, 16), _row(34.0, 9400.0, 121.0, 1.2, 0.7, 549)])
    assert lines == [
        "NOT MET  full rebuild ≤ 1.5× the GROUP BY of the districts' quarters: 9.40×",
        "met      one commune's update < 50 ms at every scale: at most 34.0 ms",
        "NOT MET  one commune's update ≤ 1.5× from the smallest scale to the largest: 1.70×",
        "met      province page < 150 ms: 121.0 ms",
        "met      a submission reaches every level above it < 1 s after its commit, through Redis: at most 40 ms",
        "met      a submission reaches every level above it < 1 s after its commit, through the embedded broker: "
        "at most 300 ms",
        "met      province-wide XLSX < 3 s: 1.20 s",
        "met      its memory not growing with the communes: 0.4–0.7 MB for 16–549 communes",
    ]


def test_a_slow_commune_update_a_late_submission_or_growing_memory_is_not_met():
    lines = target_lines([_row(60.0, 1400.0, 10.0, 0.1, 0.4, 16),
                          _row(61.0, 1450.0, 200.0, 4.0, 8.4, 549, embedded_ms=1200.0)])
    assert [line.split()[0] for line in lines] == ["met", "NOT", "met", "NOT", "met", "NOT", "NOT", "NOT"]


def test_a_broker_that_could_not_be_reached_is_skipped_not_met():
    lines = target_lines([_row(20.0, 30.0, 10.0, 0.1, 0.4, 16, redis_ms=None)])
    assert "SKIPPED  a submission reaches every level above it < 1 s after its commit, through Redis: " \
           "not reachable" in lines


def test_a_rebuilds_statements_are_named_by_their_step():
    assert step_of("CREATE UNLOGGED TABLE commune_series AS SELECT …") == "the communes' series (every value read)"
    assert step_of("CREATE TEMPORARY TABLE parents_figures AS SELECT …") == "the districts' figures"
    assert step_of("INSERT INTO rollups (unit_id, …) SELECT … FROM parents_figures …") == "the districts' rows written"
    assert step_of("INSERT INTO rollups (unit_id, …) SELECT … FROM (SELECT … FROM rollups JOIN org_units AS child") == \
        "the provinces' rows, from the districts'"
    assert step_of("WITH grandparents_figures AS (SELECT …) INSERT INTO rollups (unit_id, …) SELECT … FROM (SELECT "
                   "… FROM grandparents_figures …) AS grandparents_rows") == \
        "the provinces' rows, from the districts' figures"
    assert step_of("ALTER TABLE rollups ADD CONSTRAINT uq_rollups_unit_id UNIQUE (…)") == "the rows' keys built again"
    assert step_of("INSERT INTO rollup_states (unit_id, …) SELECT …") == "completeness"
    assert step_of("SELECT pg_advisory_xact_lock(…)") == "the rest (periods, levels, locks, counts)"


def test_the_steps_are_printed_with_their_share_of_the_group_by():
    row = {"scale": "Việt Nam", "baseline_ms": 1000.0, "floor_ms": 1170.0, "floor_ratio": 1.17,
           "rebuild_steps": {"the communes' series (every value read)": 1200.0, "completeness": 250.0}}
    assert step_lines(row)[1:] == [
        "  the communes' series (every value read)             1200 ms  1.20×",
        "  completeness                                         250 ms  0.25×",
        "  in all                                              1450 ms  1.45×",
        "the least SQL for the districts' quarters and years with their targets, each commune's series first, "
        "no rollup row written (FLOOR_SQL; median of the turns): 1170 ms, 1.17× the GROUP BY",
    ]


@pytest.mark.postgresql  # as the benchmark: SQLite would cut a figure's cents when it casts them
def test_the_floor_gives_the_districts_figures_the_rebuild_gives(db):
    """Each figure of the floor's (in hundredths), for the indicators whose year is a sum (the
    floor's every year is), is the district's rollup after a rebuild, targets included: it
    does the year's work, not less."""
    with system_scope("the benchmark's data"):
        data.build(data.SCALES[0])  # Như Xuân
        # One commune's second quarter returned, so that the quarter's figures and targets are
        # those of the communes that reported it, not of every commune.
        returned = db.session.execute(
            db.select(Report.id).where(Report.period == "2023Q2").order_by(Report.id)).scalars().first()
        db.session.execute(sa.update(Report).where(Report.id == returned).values(status="returned"))
        rebuild.rebuild(None)
        db.session.commit()
        district = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "402")).scalar_one()
        codes = dict(db.session.execute(db.select(TemplateIndicator.id, TemplateIndicator.code)).all())
        stored = {(row.period, row.indicator_code, row.sex): row for row in db.session.execute(
            db.select(Rollup).where(Rollup.unit_id == district.id)).scalars()}
        floor = db.session.execute(sa.text(FLOOR_SQL)).mappings().all()

    summed = {code for code, _by_sex, aggregation, time_aggregation, *_ in data.INDICATORS
              if aggregation != "ratio" and time_aggregation == "sum"}
    compared = 0
    for figures in floor:
        code = codes[figures["indicator_id"]]
        if code not in summed:
            continue
        for name, period in [*((f"q{number}", quarter) for number, quarter in enumerate(data.QUARTERS, 1)),
                             ("year", str(data.YEAR))]:
            row = stored[(period, code, figures["sex"] or TOTAL)]
            in_units = {part: None if figures[f"{name}_{part}"] is None else Decimal(figures[f"{name}_{part}"]) / 100
                        for part in ("sum", "min", "max", "target")}
            assert (row.value_sum, row.value_count, row.value_min, row.value_max, row.target, row.target_count) == (
                in_units["sum"], figures[f"{name}_count"], in_units["min"], in_units["max"], in_units["target"],
                figures[f"{name}_target_count"]), (code, period)
            compared += 1
    assert {figures["parent_id"] for figures in floor} == {district.id}
    assert compared == 5 * sum(3 if by_sex else 1 for code, by_sex, *_ in data.INDICATORS if code in summed)
