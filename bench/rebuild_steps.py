"""Where a full rebuild's time goes: each SQL statement it runs, timed and named by the step it
belongs to, so that `make bench` shows which steps make up the ratio to the GROUP BY."""
import re
import time
from collections.abc import Callable

from sqlalchemy import event

from app.extensions import db
from app.rollups.commune_series import (
    COUNTED_TABLE,
    FIGURES_TABLE,
    RATIOS_TABLE,
    SERIES_TABLE,
)

STAGED = {COUNTED_TABLE: "the reports that count", SERIES_TABLE: "the communes' series (every value read)",
          RATIOS_TABLE: "the ratios' figures", FIGURES_TABLE: "the districts' figures"}
_STAGED = re.compile(r"CREATE (?:UNLOGGED|TEMPORARY) TABLE (\w+)")
REST = "the rest (periods, levels, locks, counts)"


def step_of(statement: str) -> str:
    """The rebuild's step that runs `statement`."""
    if staged := _STAGED.match(statement):
        return STAGED.get(staged.group(1), REST)
    if "INSERT INTO rollups " in statement and "grandparents_rows" in statement:  # after its WITH
        return "the provinces' rows, from the districts' figures"
    if statement.startswith("INSERT INTO rollups "):
        return "the districts' rows written" if FIGURES_TABLE in statement else "the provinces' rows, from the districts'"
    if statement.startswith("ALTER TABLE rollups ADD CONSTRAINT"):
        return "the rows' keys built again"
    if statement.startswith("INSERT INTO rollup_states"):
        return "completeness"
    if statement.startswith("ANALYZE"):
        return "statistics"
    return REST


def timed_steps(run: Callable[[], None]) -> dict[str, float]:
    """Milliseconds per step of `run()`, in the order the steps first ran."""
    steps: dict[str, float] = {}
    started: list[float] = []

    def before(_connection, _cursor, _statement, _parameters, _context, _executemany):
        started.append(time.perf_counter())

    def after(_connection, _cursor, statement, _parameters, _context, _executemany):
        step = step_of(statement)
        steps[step] = steps.get(step, 0.0) + (time.perf_counter() - started.pop()) * 1000

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    return steps
