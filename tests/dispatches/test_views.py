"""The district office's "reports sent to the province" pages: the schedules and the reports,
their files (with the checksum shown), the schedule's form and its errors, "send now" through
the tasks into the outbox, never twice, the report's paragraphs, and who may do what."""
import hashlib
import io
import unicodedata
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import docx
import lxml.html
import openpyxl
import pytest
from flask_babel import force_locale, gettext

from app.database import utcnow
from app.dispatches import views
from app.dispatches.models import Dispatch, ReportSchedule
from app.task_runs.models import TaskRun
from tasks.dispatches import build_dispatch
from tenants import system_scope
from tests.dispatches.conftest import (
    COMMUNE_LEAFLETS,
    DISTRICT_LEAFLETS,
    RECIPIENT_EMAIL,
    RECIPIENT_NAME,
)
from tests.factories import make_template, put_rollup_state

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def vi(message: str, **variables) -> str:
    """The message as a Vietnamese reader gets it (the users' language)."""
    with force_locale("vi"):
        return gettext(message, **variables)


def en(message: str, **variables) -> str:
    with force_locale("en"):
        return gettext(message, **variables)


def in_viet_nam(moment: datetime) -> datetime:
    """A stored time (UTC) as a clock in Viet Nam shows it."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:500]
    return lxml.html.fromstring(response.get_data(as_text=True))


def text(element) -> str:
    return " ".join(element.text_content().split())


def alerts(document) -> list[str]:
    return [text(alert) for alert in document.xpath("//div[@role='alert']")]


def state_of(document, period: str | None = None) -> str:
    scope = f"//tr[@data-testid='dispatch-{period}']" if period else ""
    return document.xpath(f"{scope}//*[@data-testid='dispatch-state']/@data-state")[0]


def shown_files(document, period: str) -> dict[str, tuple[str, str]]:
    """On the list: each file's name → (its link, the SHA-256 shown beside it)."""
    files = {}
    for link in document.xpath(f"//tr[@data-testid='dispatch-{period}']//a[starts-with(@data-testid, 'file-')]"):
        files[text(link)] = (link.get("href"), link.getnext().xpath(".//code/@title")[0])
    return files


def field_errors(document) -> dict[str, str]:
    """The schedule form's messages, by the name of the field they stand under."""
    errors = {}
    for feedback in document.xpath("//form[@data-testid='schedule-form']//div[contains(@class, 'invalid-feedback')]"):
        name = feedback.getparent().xpath(".//*[@name]")[0].get("name")
        errors[name] = text(feedback)
    return errors


def saved(db, model, row_id: int, read=lambda row: row):
    """`read(row)` on the row as the database has it now."""
    with system_scope("test reads what was saved"):
        db.session.expire_all()
        return read(db.session.get(model, row_id))


def count(db, model) -> int:
    with system_scope("test counts rows"):
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def file_hashes(db, dispatch_id: int) -> dict[str, str]:
    return saved(db, Dispatch, dispatch_id, lambda dispatch: {file.name: file.sha256 for file in dispatch.files})


# --- reading ---------------------------------------------------------------------------------

def test_the_officer_sees_the_schedule_and_the_prepared_report(client, login_as, dispatch_q3, schedule):
    login_as("officer")
    document = page(client.get("/dispatches"))

    row = document.xpath("//tr[@data-testid='dispatch-2023Q3']")[0]
    assert "Huyện Như Xuân" in text(row) and views.period_label("2023Q3") in text(row)
    assert state_of(document, "2023Q3") == "prepared"
    assert set(shown_files(document, "2023Q3")) == {"bao-cao-402-2023Q3.xlsx", "bao-cao-402-2023Q3.docx"}
    assert f"/dispatches/{dispatch_q3.id}" in row.xpath(".//a/@href")

    card = document.xpath(f"//section[@data-testid='schedule-{schedule.id}']")[0]
    assert RECIPIENT_NAME in text(card) and RECIPIENT_EMAIL in text(card)
    assert card.xpath(".//a/@href") == [f"/dispatches/schedules/{schedule.id}/edit"]
    periods = card.xpath(".//form[@data-testid='send-now-%d']//option/@value" % schedule.id)
    assert periods == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]

    report = page(client.get(f"/dispatches/{dispatch_q3.id}"))
    assert state_of(report) == "prepared"
    assert report.xpath("//form[@data-testid='send']") and report.xpath("//form[@data-testid='narrative-form']")
    assert len(report.xpath("//p[@data-testid='files']//a")) == 2


def test_both_files_download_with_the_checksum_shown(client, login_as, dispatch_q3):
    login_as("officer")
    shown = shown_files(page(client.get("/dispatches")), "2023Q3")

    downloads = {}
    for name, (href, sha256) in shown.items():
        response = client.get(href)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == (XLSX if name.endswith(".xlsx") else DOCX)
        assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
        assert hashlib.sha256(response.data).hexdigest() == sha256
        downloads[name] = response.data

    # The figures are the rollups': the district's total and each commune's line.
    book = openpyxl.load_workbook(io.BytesIO(downloads["bao-cao-402-2023Q3.xlsx"]))
    leaflets = next(line for line in book["Tổng hợp"].iter_rows(values_only=True) if line[0] == "Số tờ rơi phát ra")
    assert list(leaflets[2:4]) == [int(number) for number in DISTRICT_LEAFLETS]
    communes = "\n".join(" ".join(map(str, line)) for line in book["Xã"].iter_rows(values_only=True))
    assert "Bình Lương" in communes and "Yên Cát" in communes and "Hải Long" not in communes
    word = docx.Document(io.BytesIO(downloads["bao-cao-402-2023Q3.docx"]))
    assert "BÁO CÁO" in "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert set(COMMUNE_LEAFLETS) == {"16204", "16174"}

    # An unknown file of a visible report is a 404, not someone else's file.
    assert client.get(f"/dispatches/{dispatch_q3.id}/files/bao-cao-402-2023Q3.pdf").status_code == 404


# --- the schedule's form ---------------------------------------------------------------------

VALID_FORM = {"period_type": "quarter", "days_after_deadline": "5", "recipient_name": RECIPIENT_NAME,
              "recipient_emails": f"{RECIPIENT_EMAIL}, bdg@thanhhoa.gov.vn", "formats": ["xlsx", "docx"],
              "mode": "review", "active": "y"}


def test_the_officer_creates_a_schedule_through_the_form(client, login_as, template, db):
    login_as("officer")
    form = page(client.get("/dispatches/schedules/new"))
    assert form.xpath("//select[@name='template_id']/option/@value") == [str(template.id)]
    assert form.xpath("//select[@name='period_type']/option/@value") == ["quarter", "year"]
    assert form.xpath("//input[@name='formats'][@checked]/@value") == ["xlsx", "docx"]

    response = client.post("/dispatches/schedules/new", data={**VALID_FORM, "template_id": template.id})

    assert response.status_code == 302
    with system_scope("test reads the schedule"):
        schedule = db.session.execute(db.select(ReportSchedule)).scalar_one()
        assert (schedule.template_id, schedule.unit.code, schedule.period_type) == (template.id, "402", "quarter")
        assert schedule.emails == [RECIPIENT_EMAIL, "bdg@thanhhoa.gov.vn"]
        assert (schedule.formats, schedule.mode, schedule.active, schedule.days_after_deadline) == (
            "xlsx,docx", "review", True, 5)
        schedule_id = schedule.id
    assert response.headers["Location"] == f"/dispatches#schedule-{schedule_id}"
    listing = page(client.get("/dispatches"))
    assert vi("The schedule was saved.") in alerts(listing)
    assert listing.xpath(f"//section[@data-testid='schedule-{schedule_id}']")


def test_a_wrong_schedule_gets_every_error_by_field_in_vietnamese_and_keeps_what_was_typed(
        client, login_as, template, tree, db):
    with system_scope("test data"):
        # A monthly template too: "Tháng" is offered, but the quarterly template has no months.
        make_template(tree.district, year=2024, report_period_type="month")
        db.session.commit()
    login_as("officer")
    typed = {"template_id": template.id, "period_type": "month", "days_after_deadline": "-3",
             "recipient_name": "Sở LĐTBXH tỉnh", "recipient_emails": "sold@thanhhoa, bdg@thanhhoa.gov.vn",
             "mode": "automatic"}  # and no format

    response = client.post("/dispatches/schedules/new", data=typed)

    assert response.status_code == 422
    document = page(response)
    messages = {
        "period_type": ("This template's reports are by %(types)s only.", {"types": "Quý, Năm"}),
        "days_after_deadline": ("Enter a whole number of days from 0 to %(most)s.", {"most": 365}),
        "recipient_emails": ("%(email)s is not a valid e-mail address.", {"email": "sold@thanhhoa"}),
        "formats": ("Choose at least one format: %(formats)s.", {"formats": "docx, xlsx"}),
    }
    expected = {name: vi(message, **variables) for name, (message, variables) in messages.items()}
    assert field_errors(document) == expected
    # What was typed is kept.
    assert document.xpath("//select[@name='period_type']/option[@selected]/@value") == ["month"]
    assert document.xpath("//input[@name='days_after_deadline']/@value") == ["-3"]
    assert document.xpath("//input[@name='recipient_name']/@value") == ["Sở LĐTBXH tỉnh"]
    assert document.xpath("//input[@name='recipient_emails']/@value") == ["sold@thanhhoa, bdg@thanhhoa.gov.vn"]
    assert document.xpath("//input[@name='mode'][@checked]/@value") == ["automatic"]
    assert document.xpath("//input[@name='formats'][@checked]") == []
    assert count(db, ReportSchedule) == 0

    # Days that are not a number get the same message, not WTForms' English one.
    response = client.post("/dispatches/schedules/new", data={**VALID_FORM, "template_id": template.id,
                                                               "days_after_deadline": "năm"})
    assert response.status_code == 422
    assert field_errors(page(response)) == {"days_after_deadline": expected["days_after_deadline"]}
    assert count(db, ReportSchedule) == 0

    untranslated = [name for name, (message, variables) in messages.items()
                    if expected[name] == en(message, **variables)]
    assert not untranslated, f"the messages of {untranslated} are in English: translate them in translations/vi"


def test_the_officer_edits_the_schedule(client, login_as, schedule, db):
    login_as("officer")
    form = page(client.get(f"/dispatches/schedules/{schedule.id}/edit"))
    assert form.xpath("//input[@name='recipient_name']/@value") == [RECIPIENT_NAME]
    assert form.xpath("//input[@name='formats'][@checked]/@value") == ["xlsx", "docx"]
    assert form.xpath("//select[@name='period_type']/option[@selected]/@value") == ["quarter"]

    # A mistake changes nothing that was saved...
    response = client.post(f"/dispatches/schedules/{schedule.id}/edit",
                           data={**VALID_FORM, "recipient_emails": "không phải e-mail"})
    assert response.status_code == 422
    assert set(field_errors(page(response))) == {"recipient_emails"}
    assert saved(db, ReportSchedule, schedule.id, lambda row: row.emails) == [RECIPIENT_EMAIL]

    # ...and the corrected form is saved. NFC: Vietnamese typed decomposed is stored composed.
    decomposed = unicodedata.normalize("NFD", "Sở Lao động tỉnh Thanh Hóa")
    response = client.post(f"/dispatches/schedules/{schedule.id}/edit", data={
        **VALID_FORM, "period_type": "year", "days_after_deadline": "7", "recipient_name": decomposed,
        "recipient_emails": "bdg@thanhhoa.gov.vn", "formats": ["docx"], "mode": "automatic", "active": ""})
    assert response.status_code == 302
    assert saved(db, ReportSchedule, schedule.id, lambda row: (
        row.period_type, row.days_after_deadline, row.recipient_name, row.emails, row.formats, row.mode, row.active,
    )) == ("year", 7, "Sở Lao động tỉnh Thanh Hóa", ["bdg@thanhhoa.gov.vn"], "docx", "automatic", False)


# --- sending ---------------------------------------------------------------------------------

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


# --- who may do what -------------------------------------------------------------------------

@pytest.mark.parametrize("reader", ["province_viewer", "district_admin"])
def test_a_reader_reads_and_downloads_but_cannot_send_or_change(client, login_as, reader, dispatch_q3, schedule,
                                                                outbox, tasks_run_at_once, db):
    login_as(reader)
    listing = page(client.get("/dispatches"))
    assert state_of(listing, "2023Q3") == "prepared"
    assert not listing.xpath("//form[starts-with(@data-testid, 'send-now')]")
    assert not listing.xpath("//a[contains(@href, '/schedules/')]")
    report = page(client.get(f"/dispatches/{dispatch_q3.id}"))
    assert not report.xpath("//form[@data-testid='send' or @data-testid='narrative-form']")
    for href, sha256 in shown_files(listing, "2023Q3").values():
        assert hashlib.sha256(client.get(href).data).hexdigest() == sha256
    before = file_hashes(db, dispatch_q3.id)

    assert client.post(f"/dispatches/{dispatch_q3.id}/send").status_code == 403
    assert client.post(f"/dispatches/schedules/{schedule.id}/send-now", data={"period": "2023Q3"}).status_code == 403
    assert client.post(f"/dispatches/{dispatch_q3.id}/narrative", data={"narrative": "x"}).status_code == 403
    assert client.get("/dispatches/schedules/new").status_code == 403
    assert client.post(f"/dispatches/schedules/{schedule.id}/edit", data=VALID_FORM).status_code == 403

    assert saved(db, Dispatch, dispatch_q3.id, lambda row: (row.state, row.narrative)) == ("prepared", "")
    assert file_hashes(db, dispatch_q3.id) == before
    assert list(outbox.glob("*.eml")) == []


@pytest.mark.parametrize("commune_user", ["editor", "leader"])
def test_commune_users_have_no_business_here(client, login_as, commune_user, dispatch_q3, schedule):
    login_as(commune_user)
    assert client.get("/dispatches").status_code == 403
    assert client.get(f"/dispatches/{dispatch_q3.id}").status_code == 403
    assert client.get(f"/dispatches/{dispatch_q3.id}/files/bao-cao-402-2023Q3.xlsx").status_code == 403
    assert client.post(f"/dispatches/schedules/{schedule.id}/send-now", data={"period": "2023Q3"}).status_code == 403


def test_another_districts_officer_finds_nothing_of_this_district(client, login_as, dispatch_q3, schedule, outbox,
                                                                  tasks_run_at_once, db):
    login_as("other_district_officer")
    listing = page(client.get("/dispatches"))
    assert not listing.xpath("//tr[starts-with(@data-testid, 'dispatch-')]")
    assert not listing.xpath("//section[starts-with(@data-testid, 'schedule-')]")
    assert client.get(f"/dispatches/{dispatch_q3.id}").status_code == 404
    assert client.get(f"/dispatches/{dispatch_q3.id}/files/bao-cao-402-2023Q3.xlsx").status_code == 404
    assert client.post(f"/dispatches/{dispatch_q3.id}/send").status_code == 404
    assert client.post(f"/dispatches/{dispatch_q3.id}/narrative", data={"narrative": "x"}).status_code == 404
    assert client.post(f"/dispatches/schedules/{schedule.id}/send-now", data={"period": "2023Q3"}).status_code == 404
    assert client.get(f"/dispatches/schedules/{schedule.id}/edit").status_code == 404
    # Its own form offers only its own district's templates (it has none: it is told so).
    response = client.get("/dispatches/schedules/new")
    assert response.status_code == 302
    assert saved(db, Dispatch, dispatch_q3.id, lambda row: row.state) == "prepared"
    assert list(outbox.glob("*.eml")) == []


def test_the_schedule_forms_choices_read_in_the_users_language(client, login_as, template):
    login_as("officer")
    html = client.get("/dispatches/schedules/new").get_data(as_text=True)
    for label in ("Excel workbook (XLSX)", "Word report (DOCX)", "Prepared for the officer to review and send",
                  "Sent automatically"):
        assert vi(label) != label and vi(label) in html
