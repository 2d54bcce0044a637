"""Engine behaviour that differs by database, kept here so the rest of the code does not care."""
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import db
from app.text import VIETNAMESE_COLLATION, compare_vietnamese


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
