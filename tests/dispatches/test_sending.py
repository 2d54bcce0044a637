"""Sending from the pages: "send now" and the prepared report through the tasks into the
outbox, never twice; the page following a send; the broker down; a period the schedule does not
send; the report's paragraphs."""
import hashlib
import io
import unicodedata
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import docx

from app.database import utcnow
from app.dispatches.models import Dispatch, ReportSchedule
from app.task_runs.models import TaskRun
from tasks.dispatches import build_dispatch
from tenants import system_scope
from tests.dispatches.conftest import (
    RECIPIENT_EMAIL,
)
from tests.dispatches.pages import (
    alerts,
    count,
    file_hashes,
    in_viet_nam,
    page,
    saved,
    shown_files,
    state_of,
    text,
    vi,
)
from tests.factories import put_rollup_state


def eml(path) -> EmailMessage:
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_send_now_builds_and_sends_the_report_once(client, login_as, schedule, district_rollups, outbox,
                                                   tasks_run_at_once, db):
    login_as("officer")
    response = client.post(f"/dispatches/schedules/{schedule.id}/send-now", data={"period": "2023Q3"})

    assert response.status_code == 302
    with system_scope("test reads the report"):
        dispatch = db.session.execute(db.select(Dispatch)).scalar_one()
        dispatch_id, files = dispatch.id, {file.name: file.sha256 for file in dispatch.files}
        assert (dispatch.period, dispatch.state, dispatch.attempts) == ("2023Q3", "sent", 1)
        run = db.session.execute(db.select(TaskRun).where(TaskRun.celery_id == dispatch.task_id)).scalar_one()
        assert run.state == "done"
    assert response.headers["Location"] == f"/dispatches/{dispatch_id}"
    report = page(client.get(f"/dispatches/{dispatch_id}"))
    assert state_of(report) == "sent"
    assert not report.xpath("//form[@data-testid='send']")  # nothing left to press
    assert state_of(page(client.get("/dispatches")), "2023Q3") == "sent"

    sent = list(outbox.glob("*.eml"))
    assert len(sent) == 1
    message = eml(sent[0])
    assert message["To"] == RECIPIENT_EMAIL and "Quý III năm 2023" in message["Subject"]
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert {name: hashlib.sha256(content).hexdigest() for name, content in attachments.items()} == files
    assert set(files) == {"bao-cao-402-2023Q3.xlsx", "bao-cao-402-2023Q3.docx"}
    for sha256 in files.values():
        assert sha256 in message.get_body(("plain",)).get_content()  # the checksums are in the text too
    first = sent[0].read_bytes()

    # Pressing again, on the report or on the schedule, is refused with a message.
    for url, data in ((f"/dispatches/{dispatch_id}/send", {}),
                      (f"/dispatches/schedules/{schedule.id}/send-now", {"period": "2023Q3"})):
        response = client.post(url, data=data)
        assert response.status_code == 302
        messages = alerts(page(client.get(response.headers["Location"])))
        sent_on = saved(db, Dispatch, dispatch_id, lambda row: in_viet_nam(row.sent_at).strftime("%H:%M %d/%m/%Y"))
        assert vi("This report was sent on %(when)s; it is never sent twice.", when=sent_on) in messages

    assert [path.read_bytes() for path in outbox.glob("*.eml")] == [first]  # not written again
    assert saved(db, Dispatch, dispatch_id, lambda row: (row.state, row.attempts)) == ("sent", 1)
    assert count(db, Dispatch) == 1 and count(db, TaskRun) == 1


def test_the_officer_reviews_then_sends_the_prepared_report(client, login_as, dispatch_q3, outbox,
                                                            tasks_run_at_once, db):
    login_as("officer")
    assert list(outbox.glob("*.eml")) == []  # prepared for review: nothing went by itself

    response = client.post(f"/dispatches/{dispatch_q3.id}/send")

    assert response.status_code == 302 and response.headers["Location"] == f"/dispatches/{dispatch_q3.id}"
    assert saved(db, Dispatch, dispatch_q3.id, lambda row: row.state) == "sent"
    assert len(list(outbox.glob("*.eml"))) == 1


def test_while_a_send_goes_on_the_page_follows_it_and_offers_no_second_send(
        client, login_as, dispatch_q3, tree, outbox, db, monkeypatch):
    """Its run's last step is shown and the page refreshes itself; a run that a lost worker left
    unfinished for ten minutes is no longer waited for, and the report can be sent again."""
    login_as("officer")
    client.post(f"/dispatches/{dispatch_q3.id}/send")  # the task waits in the broker
    report = page(client.get(f"/dispatches/{dispatch_q3.id}"))
    assert text(report.xpath("//*[@data-testid='sending-run']")[0]) == vi("Waiting for a worker…")
    assert report.xpath("//meta[@http-equiv='refresh']") and not report.xpath("//form[@data-testid='send']")

    monkeypatch.setattr(build_dispatch, "apply_async", lambda args, countdown: None)
    with system_scope("test data"):
        put_rollup_state(tree.district, "2023Q3", 11, 6, 4, utcnow() - timedelta(minutes=1), requested_at=utcnow())
        db.session.commit()
        run = db.session.execute(db.select(TaskRun)).scalar_one()
    build_dispatch.run(dispatch_q3.id, True, run.id)
    report = page(client.get(f"/dispatches/{dispatch_q3.id}"))
    assert text(report.xpath("//*[@data-testid='sending-run']")[0]) == vi(
        "Waiting for the district's figures to be computed.")
    assert not report.xpath("//*[@data-testid='figures-changed']")  # the send builds them again already

    with system_scope("test data"):
        db.session.get(TaskRun, run.id).created_at = utcnow() - timedelta(minutes=11)
        db.session.commit()
    report = page(client.get(f"/dispatches/{dispatch_q3.id}"))
    assert not report.xpath("//*[@data-testid='sending-run']") and not report.xpath("//meta[@http-equiv='refresh']")
    assert report.xpath("//form[@data-testid='send']")


def test_sending_while_the_broker_is_down_says_so_and_can_be_done_again(client, login_as, dispatch_q3, outbox,
                                                                        tasks_run_at_once, broker_down, db):
    login_as("officer")
    with broker_down():
        response = client.post(f"/dispatches/{dispatch_q3.id}/send")

    assert response.headers["Location"] == f"/dispatches/{dispatch_q3.id}"
    messages = alerts(page(client.get(response.headers["Location"])))
    assert vi("The background workers could not be reached, so nothing was done. Please try again later.") in messages
    assert vi("The report is being sent.") not in messages
    assert saved(db, Dispatch, dispatch_q3.id, lambda row: row.state) == "prepared"
    assert list(outbox.glob("*.eml")) == []

    client.post(f"/dispatches/{dispatch_q3.id}/send")
    assert saved(db, Dispatch, dispatch_q3.id, lambda row: row.state) == "sent"
    assert len(list(outbox.glob("*.eml"))) == 1


def test_a_period_the_schedule_does_not_send_is_refused(client, login_as, schedule, outbox, tasks_run_at_once, db):
    login_as("officer")
    response = client.post(f"/dispatches/schedules/{schedule.id}/send-now", data={"period": "2022Q3"})

    assert response.status_code == 302
    message = vi("This schedule sends %(type)s reports of %(year)s.", type="quý", year=2023)
    assert message in alerts(page(client.get(response.headers["Location"])))
    assert count(db, Dispatch) == 0 and list(outbox.glob("*.eml")) == []


def test_editing_the_paragraphs_rebuilds_the_word_file(client, login_as, dispatch_q3, outbox, tasks_run_at_once, db):
    login_as("officer")
    before = file_hashes(db, dispatch_q3.id)
    paragraphs = "Các xã đã tổ chức tốt công tác truyền thông.\nXã Yên Cát cần cố gắng hơn."

    response = client.post(f"/dispatches/{dispatch_q3.id}/narrative",
                           data={"narrative": unicodedata.normalize("NFD", paragraphs)})

    assert response.status_code == 302
    after = file_hashes(db, dispatch_q3.id)
    docx_name = "bao-cao-402-2023Q3.docx"
    assert after[docx_name] != before[docx_name]
    assert saved(db, Dispatch, dispatch_q3.id, lambda row: (row.state, row.narrative)) == ("prepared", paragraphs)
    # The page shows the new checksum, and the file downloaded is the new one, with the paragraphs.
    shown = shown_files(page(client.get("/dispatches")), "2023Q3")
    assert shown[docx_name][1] == after[docx_name]
    content = client.get(shown[docx_name][0]).data
    assert hashlib.sha256(content).hexdigest() == after[docx_name]
    written = [paragraph.text for paragraph in docx.Document(io.BytesIO(content)).paragraphs]
    assert all(line in written for line in paragraphs.split("\n"))
    assert list(outbox.glob("*.eml")) == []  # still waiting for the officer

    # Once sent, the paragraphs are fixed.
    client.post(f"/dispatches/{dispatch_q3.id}/send")
    response = client.post(f"/dispatches/{dispatch_q3.id}/narrative", data={"narrative": "Đoạn khác."})
    assert response.status_code == 302
    assert vi("Only a prepared report can be changed.") in alerts(page(client.get(response.headers["Location"])))
    assert saved(db, Dispatch, dispatch_q3.id, lambda row: row.narrative) == paragraphs
    assert file_hashes(db, dispatch_q3.id) == after


def test_new_paragraphs_send_nothing_even_once_the_schedule_sends_automatically(
        client, login_as, dispatch_q3, schedule, outbox, tasks_run_at_once, db):
    """The officer switched the schedule to automatic after this report was prepared: saving its
    paragraphs builds the Word file again and still waits for "send"."""
    with system_scope("test data"):
        db.session.get(ReportSchedule, schedule.id).mode = "automatic"
        db.session.commit()
    login_as("officer")
    client.post(f"/dispatches/{dispatch_q3.id}/narrative", data={"narrative": "Đoạn mở đầu, chưa xong."})
    assert saved(db, Dispatch, dispatch_q3.id, lambda row: (row.state, row.narrative)) == (
        "prepared", "Đoạn mở đầu, chưa xong.")
    assert list(outbox.glob("*.eml")) == []


def test_paragraphs_too_long_are_refused_on_the_page_and_kept_in_the_form(client, login_as, dispatch_q3, db):
    login_as("officer")
    typed = "Các xã đã tổ chức tốt công tác truyền thông. " * 500  # 22,500 characters
    before = file_hashes(db, dispatch_q3.id)

    response = client.post(f"/dispatches/{dispatch_q3.id}/narrative", data={"narrative": typed})

    assert response.status_code == 422
    document = page(response)
    assert text(document.xpath("//*[@data-testid='narrative-error']")[0]) == "Tối đa 20.000 ký tự (hiện có 22.499)."
    assert document.xpath("//textarea[@name='narrative']")[0].text == typed
    assert saved(db, Dispatch, dispatch_q3.id, lambda row: (row.state, row.narrative)) == ("prepared", "")
    assert file_hashes(db, dispatch_q3.id) == before
