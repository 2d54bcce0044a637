"""Migrations that move saved data keep it, both ways."""
import json
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.auth.models import Role
from app.plans import services as plan_services
from tenants import system_scope
from tests import factories


@pytest.fixture
def db(tmp_path):
    """An empty SQLite database of the test's own, at no revision yet, for it to migrate (in place
    of the suite's `db`, which is migrated once for the session)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.sqlite'}",
                      "CELERY": {"broker_url": "memory://"}})
    with app.app_context():
        from app.extensions import db

        yield db
        db.session.remove()
        db.engine.dispose()


def test_a_run_message_is_kept_when_runs_keep_their_messages_in_every_language(db):
    upgrade(revision="0009")
    db.session.execute(sa.text(
        "INSERT INTO task_runs (celery_id, name, arguments, state, done, total, message, locale, created_at) "
        "VALUES ('a', 'rebuild_rollups', '', 'done', 1, 1, 'Đã tính xong.', 'vi', '2026-12-04'), "
        "('b', 'rebuild_rollups', '', 'queued', 0, 0, '', 'en', '2026-12-04')"))
    db.session.commit()

    upgrade(revision="0010")
    messages = db.session.execute(sa.text("SELECT celery_id, messages FROM task_runs ORDER BY celery_id")).all()
    assert [(run, json.loads(text)) for run, text in messages] == [("a", {"vi": "Đã tính xong."}), ("b", {})]

    downgrade(revision="0009")
    assert db.session.execute(sa.text(
        "SELECT celery_id, message, locale FROM task_runs ORDER BY celery_id")).all() == [
        ("a", "Đã tính xong.", "vi"), ("b", "", "vi")]


def test_a_report_submitted_after_its_deadline_in_viet_nam_is_marked_late_and_its_rollups_wait(db):
    """2023Q1's deadline is 10 April: at 17:30 UTC that day it is already 11 April in Việt Nam.
    One report submitted then, one at 16:30 UTC (23:30 there, on time)."""
    upgrade()
    with system_scope("test data"):
        tree = factories.make_tree()
        users = factories.make_users(tree)
        template = factories.make_template(tree.district)
        submitted = {}
        for commune, editor, at in ((tree.commune, users["editor"], "17:30"),
                                    (tree.sibling_commune, users["sibling_editor"], "16:30")):
            leader = factories.UserFactory(role=Role.COMMUNE_LEADER.value, unit=commune)
            plan = factories.approve_plan(factories.make_plan(template, commune, editor), editor, leader,
                                          users["officer"])
            report = factories.make_report(plan, "2023Q1", {"TR01": 5}, editor, leader, users["officer"])
            submitted[report.id] = f"2023-04-10 {at}:00"
        computed = datetime(2023, 4, 20)
        for unit in (tree.district, tree.province):
            for period in ("2023Q1", "2023", "2023Q2"):
                factories.put_rollup_state(unit, period, 2, 2, 2, computed, requested_at=computed)
        db.session.commit()
    for report_id, at in submitted.items():
        db.session.execute(sa.text("UPDATE reports SET late = false, submitted_at = :at WHERE id = :id"),
                           {"at": at, "id": report_id})
    db.session.commit()

    downgrade(revision="0012")
    upgrade(revision="0013")
    late = dict(db.session.execute(sa.text("SELECT id, late FROM reports")).all())
    assert late == dict(zip(submitted, [True, False], strict=True))
    waiting = db.session.execute(sa.text(
        "SELECT unit.code, state.period FROM rollup_states AS state JOIN org_units AS unit ON unit.id = state.unit_id "
        "WHERE state.requested_at > state.computed_at ORDER BY unit.code, state.period")).all()
    assert waiting == [("38", "2023"), ("38", "2023Q1"), ("402", "2023"), ("402", "2023Q1")]


def test_the_rollups_keep_their_rows_when_their_foreign_key_goes_and_comes_back(db):
    """0014 drops the rollups' foreign key to the units (SQLite copies the table to do it)."""
    def rollups() -> list[tuple]:
        return db.session.execute(sa.text("SELECT unit_id, period, indicator_code, value FROM rollups")).all()

    def foreign_keys() -> list:
        return sa.inspect(db.engine).get_foreign_keys("rollups")

    upgrade(revision="0013")
    with system_scope("test data"):
        district = factories.make_tree().district
        db.session.commit()
    db.session.execute(sa.text(
        "INSERT INTO rollups (unit_id, period, indicator_code, sex, aggregation, value, value_sum, value_count, "
        "numerator_sum, denominator_sum, reporting, target_count, computed_at) VALUES (:unit, '2023Q1', 'TR01', "
        "'total', 'sum', 210, 210, 2, 0, 0, 2, 2, '2023-04-20')"), {"unit": district.id})
    db.session.commit()
    before = rollups()

    upgrade(revision="0014")
    assert (rollups(), foreign_keys()) == (before, [])
    downgrade(revision="0013")
    assert rollups() == before
    assert [key["referred_table"] for key in foreign_keys()] == ["org_units"]


def test_the_approved_targets_are_filled_from_each_plans_latest_approved_version(db):
    """0015: a plan being amended keeps the targets of its approved edition, not its draft's."""

    def approved_targets() -> set[tuple]:
        return set(db.session.execute(sa.text(
            "SELECT plan.unit_id, indicator.code, target.sex, target.value FROM approved_targets AS target "
            "JOIN plans AS plan ON plan.id = target.plan_id "
            "JOIN template_indicators AS indicator ON indicator.id = target.indicator_id")).all())

    upgrade()
    with system_scope("test data"):
        tree = factories.make_tree()
        users = factories.make_users(tree)
        template = factories.make_template(tree.district)
        amended = factories.approve_plan(factories.make_plan(template, tree.commune, users["editor"]),
                                         users["editor"], users["leader"], users["officer"], {"TR01": 15})
        plan_services.perform(amended, "amend", users["editor"], amended.version)
        plan_services.update_plan(amended, users["editor"], amended.version, {
            "targets": [{"indicator": "TR01", "sex": None, "value": 900}]})
        factories.make_plan(template, tree.sibling_commune, users["sibling_editor"])  # a draft: none approved
        db.session.commit()
    before = approved_targets()
    assert (tree.commune.id, "TR01", None, 15) in before and not any(row[3] == 900 for row in before)

    downgrade(revision="0014")
    upgrade(revision="0015")
    assert approved_targets() == before


def test_why_a_send_failed_is_kept_when_it_is_kept_in_every_language(db):
    """0016: a dispatch's failure, written in one language, is read by everyone as it was."""
    upgrade(revision="0015")
    with system_scope("test data"):
        district = factories.make_tree().district
        template = factories.make_template(district)
        db.session.commit()
    db.session.execute(sa.text(
        "INSERT INTO report_schedules (unit_id, template_id, period_type, days_after_deadline, recipient_name, "
        "recipient_emails, formats, mode, active, created_at, updated_at) VALUES (:unit, :template, 'quarter', 5, "
        "'Sở', 'so@thanhhoa.gov.vn', 'xlsx', 'review', 1, '2026-12-07', '2026-12-07')"),
        {"unit": district.id, "template": template.id})
    db.session.execute(sa.text(
        "INSERT INTO dispatches (unit_id, schedule_id, period, state, narrative, error, attempts, created_at) "
        "VALUES (:unit, 1, '2023Q2', 'failed', '', 'OSError: [Errno 28] No space left on device', 1, '2026-12-07'), "
        "(:unit, 1, '2023Q3', 'sent', '', '', 1, '2026-12-07')"), {"unit": district.id})
    db.session.commit()

    upgrade(revision="0016")
    errors = db.session.execute(sa.text("SELECT period, error_messages FROM dispatches ORDER BY period")).all()
    written = "OSError: [Errno 28] No space left on device"
    assert [(period, json.loads(text)) for period, text in errors] == [
        ("2023Q2", {"vi": written, "en": written}), ("2023Q3", {})]

    downgrade(revision="0015")
    assert db.session.execute(sa.text("SELECT period, error FROM dispatches ORDER BY period")).all() == [
        ("2023Q2", written), ("2023Q3", "")]
