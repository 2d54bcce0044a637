"""Engine behaviour that differs by database, kept here so the rest of the code does not care."""
import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Table, event, text
from sqlalchemy.engine import Engine

from app.extensions import db
from app.text import VIETNAMESE_COLLATION, compare_vietnamese

# The largest value an integer column holds on both databases (PostgreSQL's `integer`; SQLite's
# are 64-bit): a number sent beyond it names no row, and SQLite's driver fails on one past 64 bits.
INTEGER_MAX = 2**31 - 1


def storable_int(text) -> int:
    """An int that an integer column can hold, from digits (ValueError otherwise): a query
    argument's `type`, so that Flask gives the default for anything else."""
    number = int(text)
    if abs(number) > INTEGER_MAX:
        raise ValueError(f"{number} is beyond what an integer column holds")
    return number


def utcnow() -> datetime:
    """Naive UTC, as stored in every timestamp column (SQLite keeps no time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # The same collation name as PostgreSQL's ICU one, so queries are written once.
    dbapi_connection.create_collation(VIETNAMESE_COLLATION, compare_vietnamese)
    cursor = dbapi_connection.cursor()
    # The web app, the worker and beat share the file: WAL lets readers run beside a writer.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def is_postgresql() -> bool:
    """Whether the session's database is PostgreSQL (else SQLite)."""
    return db.session.get_bind().dialect.name == "postgresql"


@contextmanager
def one_snapshot(*truncated: Table):
    """Statements inside all see the same commit, where a total is read beside its parts by
    several statements: under PostgreSQL's READ COMMITTED (and SQLite outside a transaction)
    each sees the latest commit, so a refresh committed between two of them would show the total
    from before it beside the parts from after it. What the session did before is committed
    first (a snapshot begins a transaction); write nothing inside, and commit after. Also a
    decorator, for a view: above its sign-in check, so that the user is read in it too.

    `truncated`: tables a writer may empty with TRUNCATE, which is not MVCC-safe: a snapshot
    taken before it commits sees the table empty. On PostgreSQL they are locked before the
    snapshot is taken (at the first read), which waits for such a writer to commit."""
    if db.session().in_transaction():
        db.session.commit()
    if is_postgresql():
        connection = db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        for table in truncated:
            connection.execute(text(f"LOCK TABLE {table.name} IN ACCESS SHARE MODE"))
    else:
        # The driver begins a transaction before a write only; begun now, WAL keeps its snapshot.
        db.session.connection().exec_driver_sql("BEGIN")
    yield
