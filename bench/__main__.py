"""`make bench`: rollups at three scales on PostgreSQL, printed as a table.

For each scale (Như Xuân, Thanh Hóa, the whole country) it builds the data in a database of
its own, then measures:
- a full rebuild of every rollup, against one hand-written SQL GROUP BY of the same values
  to the districts' quarters, run in turns with it (target: within 1.5× of it; the ratio is
  the median of each turn's); and, for comparison only, against one GROUP BY of as many rows
  as the rebuild writes (the districts' and the provinces', each quarter and the year); and
  the least SQL that gives the districts' figures of each quarter and of the year with their
  targets (FLOOR_SQL), which shows how much of the 1.5× the year's rules and the targets take
  before any rollup row is written;
- the worker's time for the incremental update after one commune's submission, timed at the
  end in turns across the scales (target: under 50 ms, and at most 1.5× from the smallest
  scale to the largest);
- the server time of the comparison page for a district and for a province (target: under
  150 ms for a province);
- a submission through a real worker, on Redis and on the embedded broker, from its commit to
  the moment no rollup above the commune waits (target: within a second; bench/worker_latency.py);
- the province-wide XLSX of a report to the province (Thanh Hóa, every commune; target:
  under 3 s, and memory that does not grow with the number of communes).
The commune, district and province are the same at every scale: Như Xuân's first commune,
Như Xuân, Thanh Hóa.
BENCH_DATABASE_URL names the server (default: the local PostgreSQL, database `test`).
"""
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack, contextmanager

import sqlalchemy as sa

from bench import data, rebuild_steps, worker_latency

SERVER = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REPEATS = 7
REBUILD_TURNS = 5
BASELINE_SQL = """
    SELECT unit.parent_id, report.period, indicator.code, coalesce(value.sex, 'total') AS sex,
           sum(value.value), count(*), min(value.value), max(value.value)
    FROM report_values AS value
    JOIN reports AS report ON report.id = value.report_id
    JOIN org_units AS unit ON unit.id = report.unit_id
    JOIN template_indicators AS indicator ON indicator.id = value.indicator_id
    WHERE report.status = 'accepted'
    GROUP BY unit.parent_id, report.period, indicator.code, coalesce(value.sex, 'total')
"""
# The same values to every row a rebuild writes: each figure counts in its district and its
# province (the official list's depth), for its quarter and its year. Faster than GROUPING
# SETS of the four (about 5 s against 10 s at the country's scale).
SAME_ROWS_SQL = """
    SELECT rollup_unit.unit_id, rollup_period.period, indicator.code, coalesce(value.sex, 'total') AS sex,
           sum(value.value), count(*), min(value.value), max(value.value)
    FROM report_values AS value
    JOIN reports AS report ON report.id = value.report_id
    JOIN org_units AS commune ON commune.id = report.unit_id
    JOIN org_units AS district ON district.id = commune.parent_id
    JOIN template_indicators AS indicator ON indicator.id = value.indicator_id
    CROSS JOIN LATERAL (VALUES (district.id), (district.parent_id)) AS rollup_unit (unit_id)
    CROSS JOIN LATERAL (VALUES (report.period), (left(report.period, 4))) AS rollup_period (period)
    WHERE report.status = 'accepted'
    GROUP BY rollup_unit.unit_id, rollup_period.period, indicator.code, coalesce(value.sex, 'total')
"""

# The least SQL that gives the districts' figures of each quarter and of the year, with their
# targets, by DESIGN.md's rules and the issue's: a year's count, minimum and maximum are those of
# the communes' years, so each commune's series comes first; a rollup holds the sum of the
# reporting communes' targets, so each series meets its plan's target. Every year is a sum here,
# with no ratios or latest values, and no rollup row is written (its result goes to a temporary
# table, as the GROUP BY's does): a floor, not a rebuild. Figures are added up in hundredths, as
# whole numbers (a report's and a plan's figures have two decimal places, so the cast is exact),
# which PostgreSQL adds up faster than decimals (a fifth of the floor's time without the
# targets). Its communes are split in two halves, as the rebuild's are
# (app/rollups/commune_series.py), so that two cores share them: written as one GROUP BY inside
# another, PostgreSQL ran it on one core in twice the time.
_COMMUNE_SERIES = """
        SELECT report.plan_id, unit.parent_id, value.indicator_id, value.sex,
               max(CASE WHEN report.period = '2023Q1' THEN value.hundredths END) AS q1,
               max(CASE WHEN report.period = '2023Q2' THEN value.hundredths END) AS q2,
               max(CASE WHEN report.period = '2023Q3' THEN value.hundredths END) AS q3,
               max(CASE WHEN report.period = '2023Q4' THEN value.hundredths END) AS q4,
               sum(value.hundredths) AS year
        FROM (SELECT report_id, indicator_id, sex, CAST(value * 100 AS BIGINT) AS hundredths FROM report_values) AS value
        JOIN reports AS report ON report.id = value.report_id
        JOIN org_units AS unit ON unit.id = report.unit_id
        WHERE report.status = 'accepted' AND report.plan_id % 2 = {half}
        GROUP BY report.plan_id, unit.parent_id, value.indicator_id, value.sex
"""
_PERIOD_FIGURES = """
           sum({q}) AS {q}_sum, count({q}) AS {q}_count, min({q}) AS {q}_min, max({q}) AS {q}_max,
           sum(CASE WHEN {q} IS NOT NULL THEN target.hundredths END) AS {q}_target,
           count(CASE WHEN {q} IS NOT NULL THEN target.hundredths END) AS {q}_target_count"""
FLOOR_SQL = f"""
    SELECT series.parent_id, series.indicator_id, series.sex,
           {",".join(_PERIOD_FIGURES.format(q=q) for q in ("q1", "q2", "q3", "q4", "year"))}
    FROM ({_COMMUNE_SERIES.format(half=0)} UNION ALL {_COMMUNE_SERIES.format(half=1)}) AS series
    LEFT JOIN (SELECT plan_id, indicator_id, sex, CAST(value * 100 AS BIGINT) AS hundredths FROM approved_targets)
        AS target
        ON target.plan_id = series.plan_id AND target.indicator_id = series.indicator_id
        AND (target.sex = series.sex OR target.sex IS NULL AND series.sex IS NULL)
    GROUP BY series.parent_id, series.indicator_id, series.sex
"""


@contextmanager
def own_database():
    url = sa.make_url(SERVER).set(drivername="postgresql+psycopg")
    name = f"kehoach_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"), {"name": name})
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def timed(function, repeats: int = 1) -> float:
    """The median wall time of `function()` in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def province_workbook(province) -> dict:
    """The province-wide XLSX of a dispatch for 2023Q3: the seconds to read the figures of every
    commune from the rollups and write the workbook, and the memory the writing takes (peak,
    traced), which must not grow with the number of communes."""
    from app.dispatches.figures import figures_for
    from bench.dispatch_workbook import measure_workbook

    start = time.perf_counter()
    figures = figures_for(province, "2023Q3")
    read_seconds = time.perf_counter() - start
    written = measure_workbook(figures)
    return {"xlsx_communes": len(figures.communes), "xlsx_s": read_seconds + written["seconds"],
            "xlsx_peak_mb": written["peak_mb"], "xlsx_file_mb": written["output_mb"]}


def rebuild_in_turns() -> dict:
    """The GROUP BYs' and the full rebuild's median times, and the median of the rebuild's
    ratio to each, run in turns: a ratio of two runs minutes apart followed the machine's speed
    (up to 1.5× apart on a shared host), not the code. The GROUP BYs run with the rebuild's
    settings (`planner.for_a_rebuild`), so that the ratio compares the SQL only: with the
    server's 4 MB of work memory the country's GROUP BY sorted on disk and took a quarter
    longer, which flattered the rebuild."""
    from app.extensions import db
    from app.rollups import planner
    from app.rollups import rebuild as rollup_rebuild

    def grouped(sql: str) -> Callable[[], None]:
        def run():
            planner.for_a_rebuild()  # for this transaction only
            db.session.execute(sa.text(f"CREATE TEMP TABLE baseline AS {sql}"))
            db.session.execute(sa.text("DROP TABLE baseline"))
            db.session.commit()
        return run

    def rebuild():
        rollup_rebuild.rebuild(None)  # every root at once, as `flask rollups rebuild` does
        db.session.commit()

    turns = [(timed(grouped(BASELINE_SQL)), timed(grouped(SAME_ROWS_SQL)), timed(grouped(FLOOR_SQL)), timed(rebuild))
             for _ in range(REBUILD_TURNS)]
    baseline, same_rows, floor, rebuilt = zip(*turns, strict=True)

    def ratio(numerators, denominators) -> float:
        return statistics.median(top / bottom for top, bottom in zip(numerators, denominators, strict=True))

    return {"baseline_ms": statistics.median(baseline), "same_rows_ms": statistics.median(same_rows),
            "floor_ms": statistics.median(floor), "rebuild_ms": statistics.median(rebuilt),
            "rebuild_ratio": ratio(rebuilt, baseline), "same_rows_ratio": ratio(rebuilt, same_rows),
            "floor_ratio": ratio(floor, baseline), "rebuild_steps": rebuild_steps.timed_steps(rebuild)}


def measure(scale: data.Scale, databases: ExitStack) -> tuple[dict, Callable[[], float]]:
    """The scale's figures, and a function that times one commune's update: called at the end,
    in turns across the scales (`databases` keeps each scale's database until then)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.auth.models import Role
    from app.auth.services import create_user
    from app.extensions import db
    from app.org_units.models import OrgUnit
    from app.rollups import services as rollups
    from tenants import system_scope

    url = databases.enter_context(own_database())
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "CELERY": {"broker_url": "memory://", "task_always_eager": False}})
    with app.app_context(), system_scope("the benchmark builds and measures every unit"):
        upgrade()
        started = time.perf_counter()
        counts = data.build(scale)
        db.session.commit()
        build_seconds = time.perf_counter() - started
        # The same units at every scale (Thanh Hóa, Như Xuân, its first commune), so that
        # the figures differ by the size of the tree only.
        province = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "38")).scalar_one()
        district = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "402")).scalar_one()
        commune = db.session.execute(db.select(OrgUnit).where(
            OrgUnit.parent_id == district.id).order_by(OrgUnit.code)).scalars().first()
        province_id = province.id
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()

        rebuild_figures = rebuild_in_turns()
        commune_id = commune.id
        workbook = province_workbook(province)
        create_user("bench.officer", "bench-password-1", Role.DISTRICT_OFFICER, district, full_name="Bench")
        create_user("bench.viewer", "bench-password-1", Role.PROVINCE_VIEWER, province, full_name="Bench")
        pages = [("bench.officer", district.code, "district"), ("bench.viewer", province.code, "province")]
        db.session.commit()
    page_ms = {}
    for username, code, level in pages:
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "bench-password-1"})
        url_ = f"/compare?unit={code}&period=2023Q3"
        assert client.get(url_).status_code == 200, url_
        page_ms[level] = timed(lambda url_=url_, client=client: client.get(url_), REPEATS)

    latency = worker_latency.measure(url, commune_id, province_id)

    def incremental() -> float:
        with app.app_context(), system_scope("the benchmark times one commune's update"):
            db.session.execute(sa.text(
                "UPDATE report_values SET value = value + 1 WHERE report_id = "
                "(SELECT id FROM reports WHERE unit_id = :unit AND period = '2023Q3')"), {"unit": commune_id})
            db.session.commit()
            start = time.perf_counter()
            rollups.refresh_ancestors(commune_id, "2023Q3")
            db.session.commit()
            return (time.perf_counter() - start) * 1000

    def dispose():
        with app.app_context():
            db.engine.dispose()

    databases.callback(dispose)  # before its database is dropped
    return {"scale": scale.name, **counts, **workbook, **rebuild_figures, "build_s": build_seconds,
            "district_page_ms": page_ms.get("district"), "province_page_ms": page_ms.get("province"),
            "latency": latency}, incremental


def time_updates_in_turns(measured: list[tuple[dict, Callable[[], float]]]) -> None:
    """Each scale's `incremental_ms`: the median of REPEATS updates, one scale after the other
    in turns, so that the growth from the smallest scale to the largest compares updates run
    seconds apart, not minutes (a shared host's speed drifts by up to 1.5× in minutes)."""
    times = [[] for _ in measured]
    for _ in range(REPEATS):
        for position, (_row, incremental) in enumerate(measured):
            times[position].append(incremental())
    for (row, _incremental), timed_ in zip(measured, times, strict=True):
        row["incremental_ms"] = statistics.median(timed_)


HEADER = (f"{'scale':26} {'communes':>8} {'values':>9} {'GROUP BY':>9} {'rebuild':>9} {'ratio':>6} "
          f"{'same rows':>9} {'ratio':>6} {'1 commune':>9} {'district':>9} {'province':>9}")


def row_text(row: dict) -> str:
    return (f"{row['scale']:26} {row['communes']:>8} {row['values']:>9} {row['baseline_ms']:>7.0f}ms "
            f"{row['rebuild_ms']:>7.0f}ms {row['rebuild_ratio']:>5.2f}× {row['same_rows_ms']:>7.0f}ms "
            f"{row['same_rows_ratio']:>5.2f}× {row['incremental_ms']:>7.1f}ms "
            f"{row['district_page_ms']:>7.1f}ms {row['province_page_ms']:>7.1f}ms")


def step_lines(row: dict) -> list[str]:
    """One more rebuild of the scale, statement by statement: each step's time and its share of
    the GROUP BY's."""
    def line(step: str, ms: float) -> str:
        return f"  {step:48} {ms:>7.0f} ms {ms / row['baseline_ms']:>5.2f}×"

    lines = [f"a full rebuild of {row['scale']}, step by step (one more run; × the GROUP BY of "
             f"{row['baseline_ms']:.0f} ms):"]
    lines += [line(step, ms) for step, ms in row["rebuild_steps"].items()]
    lines.append(line("in all", sum(row["rebuild_steps"].values())))
    lines.append("the least SQL for the districts' quarters and years with their targets, each commune's series first, "
                 f"no rollup row written (FLOOR_SQL; median of the turns): {row['floor_ms']:.0f} ms, "
                 f"{row['floor_ratio']:.2f}× the GROUP BY")
    return lines


def _latency_checks(results: list[dict]) -> list[tuple[str, bool | None]]:
    """Each broker's slowest submission at any scale against a second; None: not measured
    (Redis could not be reached)."""
    checks = []
    for broker, name in (("redis", "Redis"), ("embedded", "the embedded broker")):
        text = f"a submission reaches every level above it < 1 s after its commit, through {name}"
        if not all(row["latency"].get(broker) for row in results):
            checks.append((f"{text}: not reachable", None))
            continue
        slowest_ms = max(row["latency"][broker]["max_ms"] for row in results)
        checks.append((f"{text}: at most {slowest_ms:.0f} ms", slowest_ms < 1000))
    return checks


def target_lines(results: list[dict]) -> list[str]:
    """Each target with what was measured and whether it is met."""
    largest = results[-1]
    ratio = largest["rebuild_ratio"]
    slowest = max(row["incremental_ms"] for row in results)
    growth = largest["incremental_ms"] / results[0]["incremental_ms"]
    memory = [row["xlsx_peak_mb"] for row in results]
    communes = [row["xlsx_communes"] for row in results]
    checks = [
        (f"full rebuild ≤ 1.5× the GROUP BY of the districts' quarters: {ratio:.2f}×", ratio <= 1.5),
        (f"one commune's update < 50 ms at every scale: at most {slowest:.1f} ms", slowest < 50),
        (f"one commune's update ≤ 1.5× from the smallest scale to the largest: {growth:.2f}×", growth <= 1.5),
        (f"province page < 150 ms: {largest['province_page_ms']:.1f} ms", largest["province_page_ms"] < 150),
        *_latency_checks(results),
        (f"province-wide XLSX < 3 s: {largest['xlsx_s']:.2f} s", largest["xlsx_s"] < 3),
        (f"its memory not growing with the communes: {min(memory):.1f}–{max(memory):.1f} MB for "
         f"{min(communes)}–{max(communes)} communes", max(memory) <= 2 * min(memory)),
    ]
    marks = {True: "met    ", False: "NOT MET", None: "SKIPPED"}
    return [f"{marks[met]}  {text}" for text, met in checks]


def main() -> int:
    only = sys.argv[1:]
    with ExitStack() as databases:
        measured = []
        for scale in data.SCALES:
            if only and not any(word in scale.name for word in only):
                continue
            measured.append(measure(scale, databases))
            print(f"measured: {scale.name}", flush=True)  # the large scale takes minutes
        time_updates_in_turns(measured)
    results = [row for row, _incremental in measured]
    print()
    print(HEADER)
    for row in results:
        print(row_text(row))
    print("GROUP BY: the districts' quarters, the target's; same rows: one GROUP BY of as many rows as the "
          "rebuild writes, for comparison")
    print()
    print(*step_lines(results[-1]), sep="\n")
    print()
    print(f"{'province-wide XLSX (Thanh Hóa, 2023Q3)':40} {'communes':>8} {'seconds':>8} {'peak MB':>8} {'file MB':>8}")
    for row in results:
        print(f"{row['scale']:40} {row['xlsx_communes']:>8} {row['xlsx_s']:>8.2f} {row['xlsx_peak_mb']:>8.1f} "
              f"{row['xlsx_file_mb']:>8.2f}")
    print()
    print(f"{'a submission through a real worker':40} {'Redis':>17} {'embedded broker':>17}")
    for row in results:
        cells = [f"{row['latency'][broker]['median_ms']:>6.0f} / {row['latency'][broker]['max_ms']:>4.0f} ms"
                 if row["latency"].get(broker) else f"{'not reachable':>17}" for broker in ("redis", "embedded")]
        print(f"{row['scale']:40} {cells[0]:>17} {cells[1]:>17}")
    print(f"(median / slowest of {worker_latency.SAMPLES}, from the commit to no rollup above the commune waiting)")
    print()
    print("targets (at the largest scale measured):")
    for line in target_lines(results):
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
