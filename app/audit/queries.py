from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from tenants import system_scope


def entries_for(subject: str, limit: int = 200) -> list[AuditEntry]:
    """The newest first."""
    return list(db.session.execute(
        db.select(AuditEntry)
        .where(AuditEntry.subject == subject)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    ).scalars())


def user_names(user_ids) -> dict[int, str]:
    """The names of the people in a log. A commune may not list the district's users, but it
    may know who reviewed its plan."""
    user_ids = {user_id for user_id in user_ids if user_id is not None}
    if not user_ids:
        return {}
    with system_scope("a log names who did each step"):
        rows = db.session.execute(
            db.select(User.id, User.full_name, User.username).where(User.id.in_(user_ids))
        ).all()
    return {row.id: row.full_name or row.username for row in rows}
