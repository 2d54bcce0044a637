"""A worker writes a run's messages with no reader to write for: each is kept in every
language of the app, and whoever follows the run reads it in their own."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.task_runs import services as runs
from tenants import system_scope
from tests.factories import TaskRunFactory


def _advanced(db, message):
    with system_scope("test"):
        run = TaskRunFactory()
        runs.start(run, total=2)
        runs.advance(run, 1, message)
        db.session.commit()
        return run


def read_in(language: str, run) -> str:
    with force_locale(language):  # as a page or an API request in that language
        return run.message


def test_a_run_reads_in_the_readers_language_whoever_started_it(db):
    run = _advanced(db, _l("The files are built."))
    assert read_in("en", run) == "The files are built."
    assert read_in("vi", run) == "Đã tạo xong các tệp."


def test_a_message_with_arguments_and_one_that_names_a_state_are_translated_whole(db):
    run = _advanced(db, _l("Sent to %(emails)s.", emails="so@thanhhoa.gov.vn"))
    assert (read_in("en", run), read_in("vi", run)) == ("Sent to so@thanhhoa.gov.vn.", "Đã gửi tới so@thanhhoa.gov.vn.")
    with system_scope("test"):
        runs.fail(run, _l("Nothing was done: the report is “%(state)s”.", state=_l("Sent")))
    assert read_in("en", run) == "Nothing was done: the report is “Sent”."
    assert read_in("vi", run).endswith("“Đã gửi”.")


def test_outside_a_request_a_run_reads_in_the_default_language(db):
    run = _advanced(db, _l("The files are built."))
    assert run.message == "Đã tạo xong các tệp."


def test_a_name_or_an_error_reads_as_it_was_written(db):
    run = _advanced(db, "Huyện Như Xuân")
    assert read_in("en", run) == read_in("vi", run) == "Huyện Như Xuân"
    with system_scope("test"):
        runs.fail(run, "SMTPServerDisconnected: Connection unexpectedly closed")
    assert read_in("en", run) == "SMTPServerDisconnected: Connection unexpectedly closed"


def test_a_restarted_run_has_no_message_until_its_first_step(db):
    run = _advanced(db, _l("The files are built."))
    with system_scope("test"):
        runs.start(run, total=2)  # delivered again after a worker died
    assert read_in("en", run) == read_in("vi", run) == ""


def test_a_run_written_before_messages_were_kept_in_every_language_reads_in_its_own(db):
    with system_scope("test"):
        run = TaskRunFactory(messages={"vi": "112 dòng số liệu tổng hợp cho 18 đơn vị, 5 kỳ."})
    assert read_in("en", run) == "112 dòng số liệu tổng hợp cho 18 đơn vị, 5 kỳ."
