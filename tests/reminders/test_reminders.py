"""Reminders: a report due within three days or late is owed; each is reminded once a day at
most, by e-mail to the commune's editor and leader; the commune sees it on its home page and
the district sees who was reminded when."""
import email
from datetime import date

import pytest

from app.auth.models import User
from app.extensions import db as _db
from app.reminders import services
from app.reminders.models import Reminder, ReminderKind
from tasks.reminders import send_reminders
from tenants import system_scope
from tests.conftest import login
from tests.factories import approve_plan, make_plan, make_report, make_template

# 2023Q3 ends 30/9 and the template's deadline is 10 days later: 10/10/2023.
BEFORE_WINDOW, IN_WINDOW, LATE = date(2023, 10, 6), date(2023, 10, 7), date(2023, 10, 11)


@pytest.fixture
def plan(tree, users, db):
    """Bình Lương's approved 2023 plan with 2023Q1 and Q2 sent; Q3 and Q4 owed."""
    with system_scope("test data"):
        made = approve_plan(make_plan(make_template(tree.district, report_deadline_days=10), tree.commune,
                                      users["editor"]), users["editor"], users["leader"], users["officer"])
        for period in ("2023Q1", "2023Q2"):
            make_report(made, period, {"TR01": 1}, users["editor"], users["leader"], users["officer"])
        users["editor"].email, users["leader"].email = "editor@binhluong.example", "leader@binhluong.example"
        db.session.commit()
        return made


def _owed(plan, today):
    with system_scope("test"):
        return [(item.period.id, item.kind) for item in services.owed_reports([plan], today, days_before=3)]


def test_a_report_is_owed_three_days_before_its_deadline_and_late_after_it(plan):
    assert _owed(plan, BEFORE_WINDOW) == []
    assert _owed(plan, IN_WINDOW) == [("2023Q3", ReminderKind.DUE_SOON)]
    assert _owed(plan, LATE) == [("2023Q3", ReminderKind.LATE)]
    assert _owed(plan, date(2024, 1, 20)) == [("2023Q3", ReminderKind.LATE), ("2023Q4", ReminderKind.LATE)]


def test_a_draft_is_still_owed_but_a_submitted_report_is_not(plan, users, db):
    with system_scope("test data"):
        make_report(plan, "2023Q3", {"TR01": 1}, users["editor"], users["leader"], accept=False)
        db.session.commit()
    assert _owed(plan, LATE) == []


def test_reminders_are_recorded_once_a_day(plan, db):
    with system_scope("reminders"):
        assert [reminder.period for reminder in services.record_reminders(LATE)] == ["2023Q3"]
        db.session.commit()
        assert services.record_reminders(LATE) == []  # the next tick, the same day
        assert [reminder.period for reminder in services.record_reminders(date(2023, 10, 12))] == ["2023Q3"]
        db.session.commit()
        assert db.session.execute(db.select(Reminder.reminded_on)).scalars().all() == [LATE, date(2023, 10, 12)]


def test_the_task_emails_the_editor_and_the_leader_once(plan, db, outbox):
    assert send_reminders.run() == 2  # today, 2023Q3 and Q4 are long late
    assert send_reminders.run() == 0
    [path] = list(outbox.glob("reminder-*.eml"))
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == "editor@binhluong.example, leader@binhluong.example"
    body = message.get_payload(decode=True).decode()
    assert "Quý III năm 2023" in body and "Quý IV năm 2023" in body and "đã quá hạn" in body
    with system_scope("test"):
        assert {reminder.emailed_to for reminder in db.session.execute(db.select(Reminder)).scalars()} == {
            "editor@binhluong.example, leader@binhluong.example"}


def test_a_commune_without_addresses_is_reminded_on_its_page_only(plan, users, db, outbox):
    with system_scope("test data"):
        for key in ("editor", "leader"):
            _db.session.execute(_db.update(User).where(User.id == users[key].id).values(email=None))
        db.session.commit()
    assert send_reminders.run() == 2
    assert list(outbox.glob("*.eml")) == []
    with system_scope("test"):
        assert {reminder.emailed_to for reminder in db.session.execute(db.select(Reminder)).scalars()} == {""}


def test_the_commune_sees_what_it_owes_on_its_home_page(plan, client, login_as):
    login_as("editor")
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="owed-2023Q3" data-kind="late"' in page
    assert 'data-testid="owed-2023Q1"' not in page


def _page_as(app, users, key: str):
    client = app.test_client()
    login(client, users[key].username)
    return client.get("/reminders")


def test_the_district_sees_who_was_reminded_when(plan, db, outbox, app, users):
    send_reminders.run()
    page = _page_as(app, users, "officer").get_data(as_text=True)
    assert 'data-testid="reminder-16204-2023Q3"' in page and "editor@binhluong.example" in page
    assert 'data-testid="reminder-16204' not in _page_as(app, users, "other_district_officer").get_data(as_text=True)
    assert _page_as(app, users, "editor").status_code == 403
