"""Demo data only: the moments of the 2023 story. The services stamp each step with the
present moment, so a demo loaded years later would show its 2023 plans written and approved
today, after their own reports. The loaders move each step to its day in 2023 and rewrite
the audit log to match."""
from datetime import date, datetime, time, timedelta

from app.audit import services as audit
from app.audit.models import AuditEntry
from app.extensions import db

EDIT_GAP = timedelta(minutes=7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of `day` as stored (UTC): hours 1 to 9 fall in Việt Nam's working day."""
    return datetime.combine(day, time(hour, minute))


def rewrite_log(kind: str, subject_id: int, when: dict[str, datetime]) -> datetime | None:
    """Put each entry of the subject's log at the moment `when` gives its action; an edit (an
    action `when` does not name) the day after the step before it, a few minutes after the edit
    before it. Returns the last entry's moment."""
    entries = db.session.execute(db.select(AuditEntry).where(
        AuditEntry.subject == audit.subject_of(kind, subject_id)).order_by(AuditEntry.id)).scalars()
    step = last = None
    edits = 0
    for entry in entries:
        if entry.action in when:
            step, edits = when[entry.action], 0
            entry.created_at = step
        else:
            edits += 1
            entry.created_at = step + timedelta(days=1) + edits * EDIT_GAP
        last = entry.created_at
    return last
