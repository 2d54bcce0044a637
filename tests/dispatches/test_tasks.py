"""The dispatch tasks run in-process: files built with their checksums; one e-mail per report,
to the outbox or to a real SMTP server on loopback, however often the send is repeated, after
a worker died having sent it, or when the server was down at first."""
import email
import hashlib
import socket
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale

from app.dispatches import building, services
from app.dispatches.models import Dispatch, DispatchState
from app.extensions import db as _db
from app.plan_templates.models import PlanTemplate
from app.task_runs.queries import get_run
from tasks import dispatches as tasks_dispatches
from tasks.dispatches import build_dispatch, prepare_due_dispatches, send_dispatch
from tenants import system_scope
from tests.factories import make_template, put_rollup_state
from tests.rollups import compare_data

SCHEDULE = {"period_type": "quarter", "days_after_deadline": 5, "recipient_name": "Sở LĐTBXH Thanh Hóa",
            "recipient_emails": ["bdg@soldtbxh.thanhhoa.gov.vn"], "formats": ["xlsx", "docx"], "mode": "review"}


@pytest.fixture
def prepared(tree, db, outbox) -> int:
    """Như Xuân's 2023 schedule, beat's first tick, and 2023Q3 built: its id."""
    with system_scope("test data"):
        services.create_schedule(make_template(tree.district), SCHEDULE, None)
        db.session.commit()
    assert prepare_due_dispatches.run() == 4
    dispatch_id = _dispatch(db, "2023Q3").id
    build_dispatch.run(dispatch_id)
    return dispatch_id


def _dispatch(db, period: str) -> Dispatch:
    _db.session.expire_all()
    with system_scope("test"):
        return db.session.execute(db.select(Dispatch).where(Dispatch.period == period)).scalar_one()


def test_building_stores_both_files_with_their_checksums(prepared, db):
    dispatch = _dispatch(db, "2023Q3")
    assert dispatch.state == DispatchState.PREPARED
    with system_scope("test"):
        assert sorted(file.name for file in dispatch.files) == ["bao-cao-402-2023Q3.docx", "bao-cao-402-2023Q3.xlsx"]
        for file in dispatch.files:
            assert file.sha256 == hashlib.sha256(file.content).hexdigest() and file.size == len(file.content)


def test_a_build_after_a_crash_starts_over_and_leaves_one_set_of_files(prepared, db):
    with system_scope("test"):
        dispatch = _dispatch(db, "2023Q3")
        dispatch.state = DispatchState.PREPARING  # as a worker killed mid-build leaves it
        db.session.commit()
    build_dispatch.run(prepared)
    dispatch = _dispatch(db, "2023Q3")
    with system_scope("test"):
        assert (dispatch.state, len(dispatch.files)) == ("prepared", 2)


def _messages(outbox: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(path.read_bytes()) for path in sorted(outbox.glob("*.eml"))]


def _attachments(message) -> list[str]:
    return sorted(part.get_filename() for part in message.walk() if part.get_filename())


def test_a_report_goes_once_to_the_outbox_however_often_it_is_sent(prepared, db, outbox):
    for _ in range(3):  # the officer's click, a retry, a second tick
        send_dispatch.run(prepared)
    [message] = _messages(outbox)
    assert message["To"] == "bdg@soldtbxh.thanhhoa.gov.vn"
    assert _attachments(message) == ["bao-cao-402-2023Q3.docx", "bao-cao-402-2023Q3.xlsx"]
    dispatch = _dispatch(db, "2023Q3")
    assert (dispatch.state, dispatch.attempts) == ("sent", 1) and dispatch.sent_at is not None


def test_a_report_sent_after_the_figures_changed_is_built_again_with_them(prepared, tree, db, client, login_as):
    """A report accepted after the dispatch was prepared: its page says so, and sending builds
    the files again (preparing alone does not)."""
    with system_scope("test data"):
        dispatch = _dispatch(db, "2023Q3")
        built_at = dispatch.prepared_at = dispatch.prepared_at - timedelta(hours=1)
        put_rollup_state(tree.district, "2023Q3", 11, 6, 4, built_at + timedelta(minutes=30))
        db.session.commit()
    login_as("officer")
    page = client.get(f"/dispatches/{prepared}").get_data(as_text=True)
    assert 'data-testid="figures-changed"' in page and "được tạo lại với số liệu mới khi gửi" in page

    build_dispatch.run(prepared)  # beat's or a retry's build: the files stay as the officer checked them
    assert _dispatch(db, "2023Q3").prepared_at == built_at
    build_dispatch.run(prepared, True)
    assert _dispatch(db, "2023Q3").prepared_at > built_at + timedelta(minutes=30)
    assert 'data-testid="figures-changed"' not in client.get(f"/dispatches/{prepared}").get_data(as_text=True)


def test_a_report_sent_while_its_figures_wait_to_be_computed_is_built_after_them(
        prepared, tree, db, users, monkeypatch):
    """A report accepted a moment before the officer sends: the build waits in turns until the
    refresh has run, then builds the files with the new figures; after the last turn it builds
    with what there is, so a stuck worker does not hold the report back for ever."""
    requeued = []
    monkeypatch.setattr(build_dispatch, "apply_async", lambda args, countdown: requeued.append((args, countdown)))
    with system_scope("test data"):
        dispatch = _dispatch(db, "2023Q3")
        built_at = dispatch.prepared_at = dispatch.prepared_at - timedelta(hours=1)
        put_rollup_state(tree.district, "2023Q3", 11, 5, 4, built_at, requested_at=built_at + timedelta(minutes=30))
        run = services.start_sending(dispatch, users["officer"])
        db.session.commit()
        run_id = run.id

    build_dispatch.run(prepared, True, run_id)
    assert requeued == [((prepared, True, run_id, 1), tasks_dispatches.FIGURES_WAIT_SECONDS)]
    assert _dispatch(db, "2023Q3").prepared_at == built_at
    with system_scope("test"), force_locale("en"):
        assert get_run(run_id).message == "Waiting for the district's figures to be computed."

    build_dispatch.run(prepared, True, run_id, tasks_dispatches.FIGURES_WAIT_TURNS)  # the last turn
    assert _dispatch(db, "2023Q3").prepared_at > built_at
    assert len(requeued) == 1


def test_a_report_whose_figures_are_computed_is_sent_without_waiting(prepared, tree, db, monkeypatch):
    requeued = []
    monkeypatch.setattr(build_dispatch, "apply_async", lambda args, countdown: requeued.append(args))
    with system_scope("test data"):
        dispatch = _dispatch(db, "2023Q3")
        built_at = dispatch.prepared_at = dispatch.prepared_at - timedelta(hours=1)
        asked_at = built_at + timedelta(minutes=30)
        put_rollup_state(tree.district, "2023", 44, 20, 16, asked_at + timedelta(seconds=1), requested_at=asked_at)
        db.session.commit()
    build_dispatch.run(prepared, True)
    assert requeued == [] and _dispatch(db, "2023Q3").prepared_at > asked_at


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


def test_a_worker_killed_after_sending_leaves_it_sent_once(prepared, db, outbox, monkeypatch):
    def killed(dispatch, now=None):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(services, "mark_sent", killed)
        with pytest.raises(WorkerKilled):
            send_dispatch.run(prepared)
    _db.session.rollback()
    assert _dispatch(db, "2023Q3").state == "sending"  # the claim was committed before sending
    send_dispatch.run(prepared)  # the task delivered again after the worker's death
    assert len(_messages(outbox)) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(app):
    before = {name: app.config[name] for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_TIMEOUT_SECONDS")}
    port = _free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False, SMTP_TIMEOUT_SECONDS=5)
    yield port
    app.config.update(before)


def test_a_real_smtp_server_receives_one_mail_with_both_files_after_being_down(prepared, db, smtp):
    with pytest.raises(OSError):  # nothing listens yet: refused
        send_dispatch.run(prepared)
    dispatch = _dispatch(db, "2023Q3")
    assert dispatch.state == "failed"  # kept as built, and why shown in each reader's language
    with force_locale("vi"):
        assert dispatch.error.startswith("Không gửi được thư (ConnectionRefusedError: [Errno 111]")
    with force_locale("en"):
        assert dispatch.error.startswith("The e-mail could not be sent (ConnectionRefusedError: [Errno 111]")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp)
    controller.start()
    try:
        send_dispatch.run(prepared)  # the retry
        send_dispatch.run(prepared)  # and one too many
    finally:
        controller.stop()
    [(recipients, message)] = inbox.messages
    assert recipients == ["bdg@soldtbxh.thanhhoa.gov.vn"]
    assert _attachments(message) == ["bao-cao-402-2023Q3.docx", "bao-cao-402-2023Q3.xlsx"]
    dispatch = _dispatch(db, "2023Q3")
    assert (dispatch.state, dispatch.attempts, dispatch.error) == ("sent", 2, "")


def test_a_schedule_that_sends_automatically_sends_after_building(tree, db, outbox, tasks_run_at_once):
    with system_scope("test data"):
        services.create_schedule(make_template(tree.district), {**SCHEDULE, "mode": "automatic"}, None)
        db.session.commit()
    prepare_due_dispatches.run()
    assert len(_messages(outbox)) == 4
    with system_scope("test"):
        assert {dispatch.state for dispatch in db.session.execute(db.select(Dispatch)).scalars()} == {"sent"}


def test_an_interrupted_send_waits_for_the_office_to_release_it(prepared, db, outbox, monkeypatch, client, login_as):
    with monkeypatch.context() as patch:
        patch.setattr(services, "mark_sent", lambda dispatch, now=None: (_ for _ in ()).throw(WorkerKilled))
        with pytest.raises(WorkerKilled):
            send_dispatch.run(prepared)
    _db.session.rollback()
    login_as("officer")
    assert 'data-testid="interrupted"' not in client.get(f"/dispatches/{prepared}").get_data(as_text=True)

    with system_scope("test"):  # ten minutes later
        _dispatch(db, "2023Q3").sending_since -= services.SENDING_TIMEOUT
        db.session.commit()
    page = client.get(f"/dispatches/{prepared}").get_data(as_text=True)
    assert 'data-testid="interrupted"' in page and 'http-equiv="refresh"' not in page
    send_dispatch.run(prepared)
    assert len(_messages(outbox)) == 1  # still never twice on its own

    response = client.post(f"/dispatches/{prepared}/release")
    assert response.status_code == 302
    assert _dispatch(db, "2023Q3").state == "failed"
    send_dispatch.run(prepared)  # the office's decision: send it again
    assert _dispatch(db, "2023Q3").state == "sent"


def test_the_run_an_officer_follows_says_where_the_report_went_and_why_a_second_send_did_nothing(
        prepared, db, outbox, users):
    def run_of_a_send() -> int:
        with system_scope("test"):
            run = services.start_sending(_dispatch(db, "2023Q3"), users["officer"])
            db.session.commit()
            return run.id

    first, second = run_of_a_send(), run_of_a_send()
    build_dispatch.run(prepared, True, first)
    send_dispatch.run(prepared, first)
    build_dispatch.run(prepared, True, second)

    with system_scope("test"), force_locale("en"):  # followed in English
        [eml] = sorted(outbox.glob("*.eml"))
        assert get_run(first).message == ("No mail server is set up: the e-mail to bdg@soldtbxh.thanhhoa.gov.vn "
                                          f"is kept in the outbox as {eml.name}.")
        assert get_run(second).message == "Nothing was done: the report is “Sent”."


figures = compare_data.figures  # Như Xuân's 2023Q1: its communes' reports and its stored total
refresh_after_the_communes_are_read = compare_data.refresh_after_the_communes_are_read


def test_a_report_built_while_a_refresh_commits_reads_its_figures_from_one_commit(
        figures, refresh_after_the_communes_are_read, tree, db, monkeypatch):
    """The refresh shows in neither: the total sent (210) still adds up the communes listed
    (Bình Lương's 90)."""
    with system_scope("test data"):
        template = db.session.execute(db.select(PlanTemplate).where(PlanTemplate.unit_id == tree.district.id)).scalar_one()
        services.create_schedule(template, SCHEDULE, None)
        db.session.commit()
    prepare_due_dispatches.run()
    read_figures, built = building.figures_for, []
    monkeypatch.setattr(building, "figures_for", lambda *args: built.append(read_figures(*args)) or built[-1])

    build_dispatch.run(_dispatch(db, "2023Q1").id)

    [read] = built
    communes = {line.row.name: line.row for line in read.communes}
    assert (communes["Bình Lương"].cells["TR01.total"].value, read.total.cells["TR01.total"].value) == (90, 210)
    assert _dispatch(db, "2023Q1").state == DispatchState.PREPARED
