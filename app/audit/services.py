"""Writing the audit log. Callers pass what changed; nothing here commits."""
from app.audit.models import AuditEntry
from app.extensions import db


def subject_of(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def record(unit_id: int, subject: str, action: str, user=None, changes=(), comment: str = "") -> AuditEntry:
    entry = AuditEntry(
        unit_id=unit_id,
        subject=subject,
        action=action,
        user_id=getattr(user, "id", None),
        changes=[dict(change) for change in changes],
        comment=comment,
    )
    db.session.add(entry)
    return entry


def field_changes(before: dict, after: dict) -> list[dict]:
    """The fields whose values differ, in the order of `after`."""
    return [
        {"field": name, "before": before.get(name), "after": value}
        for name, value in after.items()
        if before.get(name) != value
    ]
