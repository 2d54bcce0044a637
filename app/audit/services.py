"""Writing the audit log. Callers pass what changed; nothing here commits."""
from app.audit.models import AuditEntry
from app.extensions import db


def subject_of(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


def apply_changes(row, values: dict, names, label: str = "") -> list[dict]:
    """Set each of `names` that `values` holds and the row does not, and return those changes
    as the log records them: {"field": label + name, "before", "after"}."""
    changes = []
    for name in names:
        if name in values and getattr(row, name) != values[name]:
            changes.append({"field": f"{label}{name}", "before": getattr(row, name), "after": values[name]})
            setattr(row, name, values[name])
    return changes


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
