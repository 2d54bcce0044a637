"""PostgreSQL's planner settings for the rollups' statements, for one transaction or one
block: a refresh's few small statements, a rebuild's few large ones and a page's read are each
planned in their own way. SQLite has no such settings, so there each is a no-op."""
from contextlib import contextmanager

from sqlalchemy import text

from app.database import is_postgresql
from app.extensions import db

_JOIN_ORDER = ("join_collapse_limit", "from_collapse_limit")


def _join_order(limits: dict[str, int]) -> None:
    for setting, limit in limits.items():
        db.session.execute(text(f"SET LOCAL {setting} = {int(limit)}"))


def plan_as_written() -> None:
    """PostgreSQL: join in the order the statements are written (from the reports or the
    children of one unit), for the rest of the transaction. A refresh's statements each touch a
    few thousand rows, and searching every join order of ten tables took far longer (≈ 50 ms
    of planning) than running them."""
    if is_postgresql():
        _join_order(dict.fromkeys(_JOIN_ORDER, 1))


@contextmanager
def planned_as_written():
    """`plan_as_written` for the statements run inside the block only (a page's read of its
    communes' figures), then the transaction's settings again."""
    if not is_postgresql():
        yield
        return
    before = {setting: db.session.execute(text(f"SHOW {setting}")).scalar() for setting in _JOIN_ORDER}
    plan_as_written()
    try:
        yield
    finally:
        _join_order(before)


@contextmanager
def planned_once_per_connection():
    """PostgreSQL: the statements run inside the block are prepared at their first execution
    on the connection and keep one generic plan. A refresh runs the same few statements with
    other parameters each time, and planning them anew took a third of it (≈ 15 ms of ≈ 45 at
    the country's scale): psycopg prepares a statement at its sixth execution only, and
    PostgreSQL then plans it five more times before it keeps a generic plan. The connection's
    own settings come back after the block, so a page on the same pooled connection prepares
    as usual."""
    if not is_postgresql():
        yield
        return
    driver = db.session.connection().connection.driver_connection
    threshold = driver.prepare_threshold
    mode = db.session.execute(text("SHOW plan_cache_mode")).scalar()
    driver.prepare_threshold = 0
    db.session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
    db.session.execute(text(f"SET LOCAL plan_cache_mode = {mode}"))


def for_a_rebuild() -> None:
    """PostgreSQL, for this transaction only: room to hash a rebuild's groups in memory (with
    the default 4 MB, sorting a country's millions of figures took twice as long; each hash of
    each parallel worker may take this much, twice over: keep it modest), and no JIT
    compilation (compiling the parents' aggregates of every period took 5 s, twice as long as
    running them)."""
    if is_postgresql():
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))
        db.session.execute(text("SET LOCAL jit = off"))


def refresh_statistics() -> None:
    """PostgreSQL: after a rebuild replaced most rows, sample the tables again; with the old
    statistics the planner read a few children's rows by scanning every row. Only the columns
    of their unique keys, by which every read finds its rows: all the columns took three times
    as long (country: 280 ms against 90 ms)."""
    if is_postgresql():
        db.session.execute(text("ANALYZE rollups (unit_id, period, indicator_code, sex), rollup_states (unit_id, period)"))
