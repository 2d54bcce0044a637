"""`make bench` says, for each target, what it measured and whether the target is met."""
from bench.__main__ import target_lines


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
