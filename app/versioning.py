"""Optimistic locking: every editable object carries a `version` (SQLAlchemy's
`version_id_col`), and a write names the version it was based on."""


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
