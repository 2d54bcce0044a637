"""PostgreSQL's advisory locks, which order the rollups' transactions (app/rollups/services.py
and rebuild.py take them: every refresh and request of a unit × period one after the other,
and a rebuild's steps alone). SQLite serialises writers by itself, so there they are not taken."""
import hashlib

from sqlalchemy import func, select

from app.database import is_postgresql
from app.extensions import db

# Taken shared by every refresh and request and exclusively by each step of a rebuild.
REBUILD_LOCK = ("rebuild", "")


def lock_key(unit_id: int | str, period_id: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks."""
    digest = hashlib.blake2b(f"rollup:{unit_id}:{period_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock(unit_id: int | str, period_id: str, shared: bool = False) -> None:
    """Serialise the computations of one unit × period until the transaction ends. SQLite
    serialises writers by itself."""
    if is_postgresql():
        function = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
        db.session.execute(select(function(lock_key(unit_id, period_id))))
