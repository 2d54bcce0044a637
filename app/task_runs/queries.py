from app.extensions import db
from app.task_runs.models import TaskRun


def get_run(run_id: int) -> TaskRun | None:
    return db.session.execute(db.select(TaskRun).where(TaskRun.id == run_id)).scalar_one_or_none()


def get_run_by_celery_id(celery_id: str) -> TaskRun | None:
    return db.session.execute(
        db.select(TaskRun).where(TaskRun.celery_id == celery_id)
    ).scalar_one_or_none()
