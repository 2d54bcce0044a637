"""Optimistic locking: every editable object carries a `version` (SQLAlchemy's
`version_id_col`), and a write names the version it was based on."""
from sqlalchemy.orm.exc import StaleDataError


class StaleVersion(Exception):
    """The object changed since the writer read it; `current` is what is saved now."""

    def __init__(self, current):
        super().__init__(f"{current!r} is at version {current.version}")
        self.current = current


def check_version(obj, expected_version) -> None:
    """Refuse a write based on another version than the saved one."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise StaleVersion(obj) from None
    if expected != obj.version:
        raise StaleVersion(obj)


# What a write may raise when someone else saved first: the version the writer named was old
# (StaleVersion), or two writes passed that check at the same moment and the database's
# `WHERE version = …` let only one through (StaleDataError, at the flush).
CONFLICTS = (StaleVersion, StaleDataError)
