from app.audit.models import AuditEntry
from app.extensions import db


def entries_for(subject: str, limit: int = 200) -> list[AuditEntry]:
    """The newest first."""
    return list(db.session.execute(
        db.select(AuditEntry)
        .where(AuditEntry.subject == subject)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).scalars())
