"""A run's messages are stored in the language of the request that started it: a worker has no
request to read it from."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.task_runs import services as runs
from tenants import system_scope


def _run_started_in(locale: str | None, db):
    with system_scope("test"):
        if locale is None:  # the command line, beat
            run = runs.create_run("send_dispatch", None, None)
        else:
            with force_locale(locale):  # as a page or an API request in that language
                run = runs.create_run("send_dispatch", None, None)
        runs.start(run, total=2)
        runs.advance(run, 1, _l("The files are built."))
        db.session.commit()
        return run


def test_a_run_reads_in_the_language_it_was_started_in(db):
    assert _run_started_in("en", db).message == "The files are built."
    assert _run_started_in("vi", db).message == "Đã tạo xong các tệp."


def test_a_run_of_the_command_line_or_of_beat_reads_in_vietnamese(db):
    run = _run_started_in(None, db)
    with system_scope("test"):
        runs.finish(run, _l("Sent to %(where)s.", where="outbox/1.eml"))
    assert run.message == "Đã gửi tới outbox/1.eml."


def test_a_name_or_an_error_is_stored_as_it_is(db):
    run = _run_started_in("en", db)
    with system_scope("test"):
        runs.advance(run, 2, "Huyện Như Xuân")
        assert run.message == "Huyện Như Xuân"
        runs.fail(run, "SMTPServerDisconnected: Connection unexpectedly closed")
    assert run.message == "SMTPServerDisconnected: Connection unexpectedly closed"
