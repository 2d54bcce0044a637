"""A run's messages are stored in its requester's language: a worker has no request to read it from."""
from flask_babel import lazy_gettext as _l

from app.task_runs import services as runs
from tenants import system_scope


def _run_requested_by(user, db):
    with system_scope("test"):
        run = runs.create_run("send_dispatch", None, user.id if user else None)
        runs.start(run, total=2)
        runs.advance(run, 1, _l("The files are built."))
        db.session.commit()
        return run


def test_a_run_reads_in_its_requesters_language(users, db):
    users["officer"].locale = "en"
    assert _run_requested_by(users["officer"], db).message == "The files are built."
    assert _run_requested_by(users["leader"], db).message == "Đã tạo xong các tệp."


def test_a_run_of_the_command_line_or_of_beat_reads_in_vietnamese(tree, db):
    run = _run_requested_by(None, db)
    with system_scope("test"):
        runs.finish(run, _l("Sent to %(where)s.", where="outbox/1.eml"))
    assert run.message == "Đã gửi tới outbox/1.eml."


def test_a_name_or_an_error_is_stored_as_it_is(users, db):
    run = _run_requested_by(users["officer"], db)
    with system_scope("test"):
        runs.advance(run, 2, "Huyện Như Xuân")
        assert run.message == "Huyện Như Xuân"
        runs.fail(run, "SMTPServerDisconnected: Connection unexpectedly closed")
    assert run.message == "SMTPServerDisconnected: Connection unexpectedly closed"
