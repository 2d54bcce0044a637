"""A plan's round trip in a real browser, with CSRF on and each person in their own browser:
Bình Lương's plan is approved in the demo (it has reports), so its editor starts an amendment,
writes a section and a target, the leader submits, Như Xuân's officer returns it with a
comment, the editor fixes it, the leader submits again and the officer approves it; the
approved plan downloads as a Word file that says what was written."""
import io
import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NEW_PARAGRAPH = "Năm 2023 xã tổ chức thêm 2 buổi đối thoại chính sách với phụ nữ các thôn."
FIX = "Bổ sung chỉ tiêu nữ được truyền thông theo góp ý của Phòng."
COMMENT = "Đề nghị xã bổ sung số nữ được truyền thông."


def open_binh_luong_plan(page: Page) -> None:
    page.goto("/plans")
    page.locator("main table a[href*='/plans/']").first.click()
    page.wait_for_url(re.compile(r"/plans/\d+$"))


def act(page: Page, action: str) -> None:
    page.locator(f"[data-testid=action-{action}] button").click()
    page.wait_for_url(re.compile(r"/plans/\d+"))


def add_to_section(page: Page, key: str, paragraph: str) -> None:
    """Open the section's editor, add the paragraph below its text and save."""
    page.locator(f"[data-testid=edit-section-{key}]").click()
    text = page.locator("textarea#text")
    text.fill(text.input_value() + "\n" + paragraph)
    page.get_by_role("button", name=re.compile("Lưu|Save")).click()
    page.wait_for_url(re.compile(r"/plans/\d+"))


def test_a_plan_goes_from_the_commune_to_the_district_and_back(person, shots_dir):
    editor = person("binhluong.editor")
    open_binh_luong_plan(editor)
    plan_url = editor.url
    expect(editor.locator("[data-testid=plan-status]")).to_have_text(re.compile("Đã duyệt|Approved"))
    act(editor, "amend")
    expect(editor.locator("[data-testid=plan-status]")).to_have_text(re.compile("Dự thảo|Draft"))

    # The editor adds a paragraph to section I and raises a target.
    add_to_section(editor, "muc-dich", NEW_PARAGRAPH)
    expect(editor.locator("#section-muc-dich")).to_contain_text(NEW_PARAGRAPH)
    editor.locator("[data-testid=edit-targets]").click()
    editor.fill("input[name='targets.TT01.total']", "12")
    editor.get_by_role("button", name=re.compile("Lưu|Save")).click()
    editor.wait_for_url(re.compile(r"/plans/\d+"))
    expect(editor.locator("[data-testid=target-TT01]")).to_contain_text("12")
    # An editor has no submit button: that is the leader's.
    expect(editor.locator("[data-testid=action-submit]")).to_have_count(0)

    leader = person("binhluong.leader")
    leader.goto(plan_url)
    act(leader, "submit")
    expect(leader.locator("[data-testid=plan-status]")).to_have_text(re.compile("Đã gửi|Submitted"))

    officer = person("nhuxuan.officer")
    officer.goto("/plans")
    expect(officer.locator("[data-testid=waiting]")).to_be_visible()
    officer.goto(plan_url)
    officer.fill("#return-comment", COMMENT)
    act(officer, "return")
    expect(officer.locator("[data-testid=plan-status]")).to_have_text(re.compile("Trả lại|Returned", re.IGNORECASE))

    # The editor sees why, fixes the section, and the leader submits again.
    editor.goto(plan_url)
    expect(editor.locator("[data-testid=return-comment]")).to_contain_text(COMMENT)
    add_to_section(editor, "tuyen-truyen", FIX)
    expect(editor.locator("#section-tuyen-truyen")).to_contain_text(FIX)
    leader.goto(plan_url)
    act(leader, "submit")

    officer.goto(plan_url)
    act(officer, "approve")
    expect(officer.locator("[data-testid=plan-status]")).to_have_text(re.compile("Đã duyệt|Approved"))
    expect(officer.locator("[data-testid=edit-section-muc-dich]")).to_have_count(0)
    history = officer.locator("#log").inner_text()
    assert COMMENT in history
    officer.screenshot(path=str(shots_dir / "plan-approved.png"), full_page=True)

    # The approved amendment as a Word file carries both edits; the first edition's version
    # and the amendment's two submissions were kept.
    with officer.expect_download() as download_info:
        officer.get_by_role("link", name=re.compile("Word")).click()
    download = download_info.value
    assert download.suggested_filename == "ke-hoach-2023-binh-luong.docx"
    document = Document(io.BytesIO(open(download.path(), "rb").read()))
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert NEW_PARAGRAPH in body and FIX in body
    officer.goto(plan_url + "/versions")
    expect(officer.locator("table tbody tr")).to_have_count(3)
