"""Sending after commit, and the org-unit import task run in-process (no broker needed)."""
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from app.org_units import gso
from app.org_units import services as org_unit_services
from app.org_units.models import Level, OrgUnit
from app.task_runs.models import RunState, TaskRun
from app.task_runs.queries import get_run_by_celery_id
from app.task_runs.services import create_run
from tasks import send_after_commit
from tasks.org_units import import_org_units
from tenants import system_scope
from tests.conftest import refused_send

NHU_XUAN = "402"
NHU_XUAN_COMMUNES = 16


class FakeTask:
    """Records `apply_async` calls instead of talking to a broker."""

    def __init__(self):
        self.calls = []

    def apply_async(self, args=(), kwargs=None, task_id=None, **options):
        self.calls.append({"args": tuple(args), "kwargs": dict(kwargs or {}),
                           "task_id": task_id, **options})


def _queue_import(db, task) -> TaskRun:
    run = create_run("import_org_units", None, None, NHU_XUAN)
    send_after_commit(task, run.id, None, NHU_XUAN, task_id=run.celery_id)
    return run


def test_task_is_sent_once_after_commit_and_not_before(db):
    task = FakeTask()
    with system_scope("test"):
        run = _queue_import(db, task)
        db.session.flush()
        assert task.calls == []  # the run row is not committed: a worker must not see its id

        db.session.commit()
        assert task.calls == [
            {"args": (run.id, None, NHU_XUAN), "kwargs": {}, "task_id": run.celery_id}
        ]

        # Later transactions do not send it again.
        db.session.add(TaskRun(celery_id="other", name="other"))
        db.session.commit()
        db.session.commit()
    assert len(task.calls) == 1


def test_task_is_dropped_on_rollback(db):
    task = FakeTask()
    with system_scope("test"):
        run = _queue_import(db, task)
        celery_id = run.celery_id
        db.session.rollback()
        assert task.calls == []

        # Nor is it sent by the next commit of the same session.
        db.session.add(TaskRun(celery_id="other", name="other"))
        db.session.commit()
        assert task.calls == []
        assert get_run_by_celery_id(celery_id) is None  # (its id may be reused: not by id)


def test_tasks_of_separate_transactions_are_sent_with_their_own_commit(db):
    kept, dropped = FakeTask(), FakeTask()
    with system_scope("test"):
        first = _queue_import(db, kept)
        db.session.commit()
        _queue_import(db, dropped)
        db.session.rollback()
        db.session.commit()
    assert [call["task_id"] for call in kept.calls] == [first.celery_id]
    assert dropped.calls == []


def test_task_queued_before_any_query_is_dropped_on_rollback(db):
    task = FakeTask()
    with system_scope("test"):
        db.session.commit()  # a fresh transaction: nothing begun yet
        send_after_commit(task, 1, None, NHU_XUAN, task_id="never-committed")
        db.session.rollback()
        db.session.add(TaskRun(celery_id="other", name="other"))
        db.session.commit()
    assert task.calls == []


def test_savepoint_rollback_keeps_the_tasks_of_the_outer_transaction(db):
    task = FakeTask()
    with system_scope("test"):
        run = _queue_import(db, task)
        savepoint = db.session.begin_nested()
        db.session.add(TaskRun(celery_id="inner", name="inner"))
        savepoint.rollback()
        db.session.commit()
    assert [call["task_id"] for call in task.calls] == [run.celery_id]


def _summary_numbers(message: str) -> list[int]:
    """The counts in the run's summary (added, updated, unchanged), whatever its wording and
    language: sorted, since a translation may reorder them."""
    return sorted(int(number) for number in re.findall(r"\d+", message))


def _units_snapshot(db) -> list[tuple]:
    with system_scope("test"):
        rows = db.session.execute(db.select(OrgUnit).order_by(OrgUnit.code)).scalars()
        return [(u.id, u.code, u.name, u.division_type, u.level, u.parent_id, u.path,
                 u.updated_at) for u in rows]


def _committed_run(db) -> int:
    with system_scope("test"):
        run = create_run("import_org_units", None, None, NHU_XUAN)
        db.session.commit()
        return run.id


def _reload_run(db, run_id: int) -> TaskRun:
    db.session.expire_all()
    with system_scope("test"):
        return db.session.get(TaskRun, run_id)


def test_import_task_creates_the_district_and_records_progress(db):
    run_id = _committed_run(db)

    # `.run` is the undecorated function: no FlaskTask.__call__, the test's app context is used.
    import_org_units.run(run_id, None, NHU_XUAN)

    run = _reload_run(db, run_id)
    assert (run.state, run.total, run.done) == (RunState.DONE, 1, 1)
    assert run.started_at is not None and run.finished_at is not None
    assert _summary_numbers(run.message) == [0, 0, 2 + NHU_XUAN_COMMUNES]  # all added
    with system_scope("test"):
        district = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.code == NHU_XUAN)).scalar_one()
        communes = db.session.execute(
            db.select(OrgUnit).where(OrgUnit.parent_id == district.id)).scalars().all()
        assert district.name == "Huyện Như Xuân"
        assert district.parent.code == "38"
        assert len(communes) == NHU_XUAN_COMMUNES
        assert {c.level for c in communes} == {Level.COMMUNE}
        assert all(c.path == f"/38/402/{c.code}/" for c in communes)
        assert "16204" in {c.code for c in communes}  # Bình Lương


def test_import_task_run_twice_changes_nothing(db):
    run_id = _committed_run(db)
    import_org_units.run(run_id, None, NHU_XUAN)
    before = _units_snapshot(db)

    # The same run delivered again (as after a worker crash): the upserts find everything.
    import_org_units.run(run_id, None, NHU_XUAN)

    assert _units_snapshot(db) == before
    assert len(before) == 2 + NHU_XUAN_COMMUNES
    run = _reload_run(db, run_id)
    assert (run.state, run.total, run.done) == (RunState.DONE, 1, 1)
    assert _summary_numbers(run.message) == [0, 0, 2 + NHU_XUAN_COMMUNES]  # all unchanged


def test_an_import_that_meets_another_adding_the_same_district_at_that_moment_finishes(db, monkeypatch):
    """Two admins re-import Như Xuân at once: the other's district is committed between this
    import's read and its insert. Before, the run failed with the database's duplicate-key error."""
    with system_scope("test: Thanh Hóa is there, Như Xuân not yet"):
        org_unit_services.upsert_province(gso.select(district_code=NHU_XUAN).province)
        db.session.commit()
    real_existing = org_unit_services._existing_by_code

    def another_import_commits_the_district_first(codes):
        found = real_existing(codes)
        if NHU_XUAN in codes and NHU_XUAN not in found and not db.session.info.get("raced"):
            db.session.info["raced"] = True
            with db.engine.begin() as other:
                province_id = other.execute(sa.text("SELECT id FROM org_units WHERE code = '38'")).scalar_one()
                other.execute(sa.text(
                    "INSERT INTO org_units (code, name, division_type, level, parent_id, path, created_at, updated_at) "
                    "VALUES ('402', 'Huyện Như Xuân', 'Huyện', 'district', :province, '/38/402/', :now, :now)"),
                    {"province": province_id, "now": datetime(2026, 12, 7)})
        return found

    monkeypatch.setattr(org_unit_services, "_existing_by_code", another_import_commits_the_district_first)
    run_id = _committed_run(db)
    import_org_units.run(run_id, None, NHU_XUAN)

    assert db.session.info.get("raced")
    run = _reload_run(db, run_id)
    assert (run.state, run.done) == (RunState.DONE, 1), run.message
    assert len(_units_snapshot(db)) == 2 + NHU_XUAN_COMMUNES


def test_import_task_called_as_a_celery_task_runs_in_its_own_app_context(app, db):
    """Calling the task (not `.run`) goes through FlaskTask.__call__: app context, and the
    session removed at the end."""
    run_id = _committed_run(db)
    # The task of this app's Celery (the `import_org_units` proxy follows the Celery app made
    # last, which is another Flask app's if a test has called create_app() since).
    task = app.extensions["celery"].tasks["tasks.org_units.import_org_units"]
    assert task.run is import_org_units.run
    task(run_id, None, NHU_XUAN)
    run = _reload_run(db, run_id)
    assert (run.state, run.total, run.done) == (RunState.DONE, 1, 1)


def test_import_task_with_an_unknown_district_fails_the_run_saying_why_in_every_language(db):
    run_id = _committed_run(db)
    with pytest.raises(LookupError):
        import_org_units.run(run_id, None, "999")
    run = _reload_run(db, run_id)
    assert run.state == RunState.FAILED
    assert run.finished_at is not None
    assert run.messages["en"].startswith("Stopped on an error (UnknownCode: 999).")
    assert run.messages["vi"].startswith("Đã dừng vì gặp lỗi (UnknownCode: 999).")


class UnreachableBroker(FakeTask):
    name = "tasks.org_units.import_org_units"

    def apply_async(self, *args, **kwargs):
        super().apply_async(*args, **kwargs)
        refused_send()


def test_a_task_the_broker_cannot_take_leaves_the_commit_and_fails_its_run_in_every_language(db, caplog):
    unreachable, later = UnreachableBroker(), FakeTask()
    with system_scope("test"):
        run = _queue_import(db, unreachable)
        send_after_commit(later, 1)
        db.session.commit()  # no error: what the request saved stays saved
    assert len(unreachable.calls) == 1 and len(later.calls) == 1  # the next task is still sent
    assert "tasks.org_units.import_org_units" in caplog.text and "was not sent" in caplog.text
    failed = _reload_run(db, run.id)
    assert (failed.state, failed.finished_at is not None) == (RunState.FAILED, True)
    assert failed.messages == {
        "vi": "Không kết nối được với tiến trình chạy nền nên chưa thực hiện được gì. Vui lòng thử lại sau.",
        "en": "The background workers could not be reached, so nothing was done. Please try again later."}
