from celery import shared_task

from app.auth.services import purge_expired_tokens
from app.extensions import db


@shared_task(name="tasks.maintenance.purge_expired_api_tokens")
def purge_expired_api_tokens() -> int:
    # API tokens are not tenant-owned: no scope is needed to delete expired ones.
    removed = purge_expired_tokens()
    db.session.commit()
    return removed
