"""The district office's "reports sent to the province" pages: the schedules and the reports,
their files (with the checksum shown), and who may do what."""
import hashlib
import io

import docx
import openpyxl
import pytest

from app.dispatches import views
from app.dispatches.models import Dispatch
from tests.dispatches.conftest import (
    COMMUNE_LEAFLETS,
    DISTRICT_LEAFLETS,
    RECIPIENT_EMAIL,
    RECIPIENT_NAME,
)
from tests.dispatches.pages import (
    DOCX,
    VALID_FORM,
    XLSX,
    file_hashes,
    page,
    saved,
    shown_files,
    state_of,
    text,
)


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
