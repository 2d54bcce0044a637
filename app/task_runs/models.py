from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utcnow
from app.extensions import db
from app.i18n import in_reader_language
from app.org_units.models import OrgUnit
from tenants import TenantOwned


class RunState:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# What each task does, as its run's page names it.
TITLES = {
    "import_org_units": _l("Update from the official list"),
    "rebuild_rollups": _l("Rebuild of the rollups"),
    "send_dispatch": _l("Sending a report to the province"),
}


class TaskRun(TenantOwned, db.Model):
    """One run of a background task as its requester sees it: state and progress.

    It belongs to the unit the work is for; a run for no unit is visible to admins only.
    """

    __tablename__ = "task_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    celery_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    arguments: Mapped[str] = mapped_column(String(255), default="")
    state: Mapped[str] = mapped_column(String(16), default=RunState.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    # The last step's message in each language of the app (`app.i18n.in_every_language`): a
    # worker writes it with no reader to write for.
    messages: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    unit: Mapped[OrgUnit | None] = relationship()

    @property
    def title(self) -> str:
        return str(TITLES.get(self.name, self.name))

    @property
    def message(self) -> str:
        """The last step's message in the reader's language (a run written before messages
        were kept in every language: in the one it has)."""
        return in_reader_language(self.messages)

    @property
    def percent(self) -> int:
        if self.state == RunState.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.state in (RunState.DONE, RunState.FAILED)
