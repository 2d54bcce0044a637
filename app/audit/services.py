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
