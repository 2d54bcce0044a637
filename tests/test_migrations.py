"""Migrations that move saved data keep it, both ways."""
import json

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app


def test_a_run_message_is_kept_when_runs_keep_their_messages_in_every_language(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.sqlite'}",
                      "CELERY": {"broker_url": "memory://"}})
    with app.app_context():
        from app.extensions import db

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
        db.session.remove()
        db.engine.dispose()
