"""Issue 5's walk-through in a real browser: beat has prepared Như Xuân's 2023Q3 report; the
officer opens both files, presses send, and the e-mail is in the outbox; Bình Lương's editor
is reminded of its missing report; the province's viewer reads the district's report and
compares the districts."""
import email
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from tasks.dispatches import prepare_due_dispatches

pytestmark = pytest.mark.browser


def _download(page, testid: str) -> bytes:
    with page.expect_download() as download:
        page.locator(f"[data-testid={testid}]").click()
    return download.value.path().read_bytes()


def test_the_district_sends_its_prepared_report_and_the_province_reads_it(person, app, outbox, tasks_run_at_once,
                                                                          shots_dir):
    with app.app_context():
        assert prepare_due_dispatches.run() == 4  # beat's first tick: the four 2023 quarters

    officer = person("nhuxuan.officer")
    officer.goto("/dispatches")
    row = officer.locator("[data-testid=dispatch-2023Q3]")
    expect(row.locator("[data-testid=dispatch-state]")).to_have_attribute("data-state", "prepared")
    row.locator("td a").first.click()
    officer.wait_for_url(re.compile(r"/dispatches/\d+$"))

    workbook = load_workbook(io.BytesIO(_download(officer, "file-xlsx")), read_only=True)
    assert workbook.sheetnames == ["Tổng hợp", "Xã"]
    document = Document(io.BytesIO(_download(officer, "file-docx")))
    assert any(paragraph.text == "BÁO CÁO" for paragraph in document.paragraphs)

    officer.locator("#narrative").fill("Các xã đã tích cực triển khai kế hoạch.")
    officer.locator("[data-testid=narrative-form] button").click()
    officer.locator("[data-testid=send] button").click()
    expect(officer.locator("[data-testid=dispatch-state]")).to_have_attribute("data-state", "sent")
    officer.screenshot(path=str(shots_dir / "dispatch-sent.png"), full_page=True)
    [path] = list(outbox.glob("dispatch-*.eml"))
    message = email.message_from_bytes(path.read_bytes())
    assert sorted(part.get_filename() for part in message.walk() if part.get_filename()) == [
        "bao-cao-402-2023Q3.docx", "bao-cao-402-2023Q3.xlsx"]

    editor = person("binhluong.editor")
    expect(editor.locator("[data-testid=owed-2023Q3]")).to_have_attribute("data-kind", "late")

    viewer = person("thanhhoa.viewer")
    viewer.goto("/dispatches")
    expect(viewer.locator("[data-testid=dispatch-2023Q3] [data-testid=dispatch-state]")).to_have_attribute(
        "data-state", "sent")
    expect(viewer.locator("[data-testid=send-now-1]")).to_have_count(0)
    viewer.goto("/compare?unit=38&period=2023Q3")
    expect(viewer.locator("tr[data-unit='402']")).to_be_visible()
