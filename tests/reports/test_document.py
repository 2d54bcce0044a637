"""A commune's report as the official BÁO CÁO it signs and sends to the district: what the
document says (read from its description and back from the Word file), and who downloads it,
on the pages and through the API."""
import io
import re
from datetime import datetime

import docx
import pytest

from app.extensions import db as _db
from app.plans.models import Plan
from app.reports import document, services
from app.reports.models import Report
from tenants import system_scope
from tests.factories import approve_plan, make_plan, make_report, make_template

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _q3_with_progress(plan, users, values: dict) -> Report:
    """2023Q3 with `values` and the first activity done, the second under way; then submitted."""
    report = services.create_report(plan, "2023Q3", users["editor"])
    first, second = sorted(report.activities, key=lambda row: row.activity.position)
    services.update_report(report, users["editor"], report.version, {
        "values": [{"indicator": code, "sex": sex, "value": value} for (code, sex), value in values.items()],
        "activities": [
            {"activity": first.activity_id, "progress": "done", "budget_spent": 1_500_000,
             "note": "Phát thanh 12 buổi <script>alert(1)</script>"},
            {"activity": second.activity_id, "progress": "in_progress", "note": "", "budget_spent": None}]})
    services.perform(report, "submit", users["leader"], report.version)
    return report


@pytest.fixture
def q3_id(plan, users, db) -> int:
    """Bình Lương's 2023Q3 report, submitted on 12 October 2023 after two accepted quarters."""
    with system_scope("test data"):
        plan = _db.session.get(Plan, plan.id)
        make_report(plan, "2023Q1", {("TT01", "male"): 15, ("TT01", "female"): 25, "TR01": 100, "CB01": 20},
                    users["editor"], users["leader"], users["officer"])
        make_report(plan, "2023Q2", {("TT01", "male"): 5, ("TT01", "female"): 10},
                    users["editor"], users["leader"], users["officer"])
        q3 = _q3_with_progress(plan, users, {("TT01", "male"): 30, ("TT01", "female"): 45, ("TR01", None): 250})
        q3.submitted_at = datetime(2023, 10, 12, 2, 0)  # 09:00 in Viet Nam
        db.session.commit()
        return q3.id


def _described(report_id: int):
    with system_scope("test reads the report"):
        return document.describe(_db.session.get(Report, report_id))


def _tables(described):
    return [block for block in described.blocks if hasattr(block, "rows")]


def _texts(described):
    return [block.text for block in described.blocks if hasattr(block, "text")]


def test_the_committee_reports_on_its_plan_for_the_period(q3_id):
    described = _described(q3_id)

    assert described.document_type == "BÁO CÁO"
    assert described.summary == "Kết quả thực hiện công tác bình đẳng giới Quý III năm 2023"
    header = described.header
    assert (header.parent_body, header.issuing_body, header.number) == (
        "UBND HUYỆN NHƯ XUÂN", "UBND XÃ BÌNH LƯƠNG", "Số:      /BC-UBND")
    assert header.place_date == "Bình Lương, ngày 12 tháng 10 năm 2023"  # the day it was submitted
    texts = _texts(described)
    assert texts[0] == ("Thực hiện Kế hoạch số 45/KH-UBND ngày 05/5/2023 của Ủy ban nhân dân xã Bình Lương về "
                        "việc công tác bình đẳng giới năm 2023; Ủy ban nhân dân xã Bình Lương báo cáo kết quả "
                        "thực hiện quý III năm 2023 như sau:")
    assert texts[1:] == ["I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU:", "II. TIẾN ĐỘ THỰC HIỆN CÁC HOẠT ĐỘNG:", texts[-1]]
    assert texts[-1] == ("Trên đây là báo cáo kết quả thực hiện công tác bình đẳng giới quý III năm 2023 "
                         "của Ủy ban nhân dân xã Bình Lương./.")


@pytest.mark.parametrize(("typed", "line"), [("12", "Số: 12/BC-UBND"), ("12/BC-UBND", "Số: 12/BC-UBND"),
                                             ("Số: 07/BC-UBND", "Số: 07/BC-UBND")])
def test_the_number_the_commune_gave_it_heads_the_document(q3_id, db, typed, line):
    with system_scope("test data"):
        _db.session.get(Report, q3_id).document_number = typed
        db.session.commit()

    assert _described(q3_id).header.number == line


def test_each_indicator_shows_the_quarter_the_year_so_far_and_the_share_of_its_target(q3_id):
    indicators, _activities = _tables(_described(q3_id))

    assert indicators.columns == ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả trong kỳ", "Lũy kế từ đầu năm",
                                  "Kế hoạch năm", "Tỷ lệ đạt")
    # Targets (tests/factories.py): TT01 100 in all, CB01 30%, TR01 10.
    assert indicators.rows == (
        ("1", "Số người được truyền thông", "người", "75", "130", "100", "130%"),
        ("", "Trong đó: nữ", "người", "45", "80", "–", "–"),
        ("2", "Tỷ lệ nữ cán bộ xã", "%", "–", "20", "30", "66,7%"),  # `last`: Q1's, the latest entered
        ("3", "Số tờ rơi phát ra", "tờ", "250", "350", "10", "3.500%"),
    )


def test_each_activity_shows_its_progress_note_and_money(q3_id):
    _indicators, activities = _tables(_described(q3_id))

    assert activities.columns == ("TT", "Nội dung hoạt động", "Tiến độ", "Ghi chú", "Kinh phí kế hoạch (đồng)",
                                  "Kinh phí đã chi (đồng)")
    assert [row[:4] for row in activities.rows[:2]] == [
        ("1", "Tuyên truyền trên loa phát thanh", "Đã hoàn thành", "Phát thanh 12 buổi <script>alert(1)</script>"),
        ("2", "Tập huấn cán bộ thôn", "Đang thực hiện", ""),
    ]
    assert activities.rows[0][5] == "1.500.000"
    assert activities.rows[1][5] == "–"
    assert activities.rows[-1][1:] == ("Tổng cộng", "", "", activities.rows[-1][4], "1.500.000")


def test_the_communes_assessment_is_its_third_part_a_paragraph_a_line(q3_id, users, db):
    with system_scope("test data"):
        report = _db.session.get(Report, q3_id)
        report.assessment = "Các thôn đã tổ chức đủ các buổi truyền thông.\n\nKiến nghị: hỗ trợ kinh phí."
        db.session.commit()

    texts = _texts(_described(q3_id))

    assert texts[3:6] == ["III. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ:", "Các thôn đã tổ chức đủ các buổi truyền thông.",
                          "Kiến nghị: hỗ trợ kinh phí."]
    assert texts[-1].startswith("Trên đây là báo cáo")


def test_the_plans_signer_and_recipients_sign_it(q3_id):
    signature = _described(q3_id).signature

    assert (signature.authority, signature.title, signature.name) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Bình")
    assert signature.recipients == ("- Phòng LĐTBXH huyện (b/c);", "- Lưu VT.")


def test_a_draft_leaves_the_date_to_write_by_hand(plan, users, db):
    with system_scope("test data"):
        draft = services.create_report(_db.session.get(Plan, plan.id), "2023Q1", users["editor"])
        db.session.commit()
    assert _described(draft.id).header.place_date == "Bình Lương, ngày … tháng … năm 2023"


def test_a_years_report_has_no_year_so_far_beside_it(client, login_as, tree, users, db):
    with system_scope("test data"):
        template = make_template(tree.district, report_period_type="year")
        plan = approve_plan(make_plan(template, tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        report = make_report(plan, "2023", {"TR01": 12}, users["editor"], users["leader"])
        db.session.commit()

    indicators, _activities = _tables(_described(report.id))

    assert indicators.columns == ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện", "Kế hoạch năm", "Tỷ lệ đạt")
    assert indicators.rows[-1] == ("3", "Số tờ rơi phát ra", "tờ", "12", "10", "120%")
    assert _described(report.id).summary == "Kết quả thực hiện công tác bình đẳng giới năm 2023"
    login_as("editor")
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'data-testid="value-TR01"' in page and 'data-testid="to-date-' not in page


# --- downloading --------------------------------------------------------------------------

@pytest.mark.parametrize("reader", ["editor", "leader", "officer", "province_viewer", "admin"])
def test_everyone_who_sees_the_report_downloads_it_as_word(client, login_as, q3_id, reader):
    login_as(reader)
    response = client.get(f"/reports/{q3_id}/document.docx")

    assert response.status_code == 200
    assert response.mimetype == DOCX_TYPE
    assert response.headers["Content-Disposition"] == 'attachment; filename="bao-cao-2023q3-binh-luong.docx"'
    assert "no-store" in response.headers["Cache-Control"]
    written = docx.Document(io.BytesIO(response.data))
    assert "BÁO CÁO" in [paragraph.text for paragraph in written.paragraphs]
    indicators = written.tables[1]
    assert [cell.text for cell in indicators.rows[1].cells] == [
        "1", "Số người được truyền thông", "người", "75", "130", "100", "130%"]


def test_another_communes_user_does_not_find_it(client, login_as, q3_id):
    login_as("sibling_editor")
    assert client.get(f"/reports/{q3_id}/document.docx").status_code == 404
    assert client.get(f"/reports/{q3_id}/print").status_code == 404


def test_the_pdf_downloads_with_its_filename(client, login_as, q3_id):
    login_as("officer")
    response = client.get(f"/reports/{q3_id}/document.pdf")

    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="bao-cao-2023q3-binh-luong.pdf"'
    assert response.data.startswith(b"%PDF-")


def test_the_print_view_shows_the_document_without_script(client, login_as, q3_id):
    login_as("leader")
    html = client.get(f"/reports/{q3_id}/print").get_data(as_text=True)

    for text in ("UBND XÃ BÌNH LƯƠNG", "BÁO CÁO", "Lũy kế từ đầu năm", "Đã hoàn thành", "TM. ỦY BAN NHÂN DÂN",
                 f"/reports/{q3_id}/document.docx", f"/reports/{q3_id}/document.pdf"):
        assert text in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    # The tables keep the Word file's column widths: the activity's name takes the most room.
    assert '<col width="34.0%">' in html


def test_the_report_page_links_to_its_document_and_shows_the_year_so_far(client, login_as, q3_id):
    login_as("editor")
    page = client.get(f"/reports/{q3_id}").get_data(as_text=True)
    for path in ("document.docx", "document.pdf", "print"):
        assert f'href="/reports/{q3_id}/{path}"' in page
    assert re.search(r'data-testid="to-date-TR01">\s*350\s*<', page)  # 100 + 250
    assert re.search(r'data-testid="to-date-TT01">\s*130\s*<', page)


def test_the_api_gives_the_document_and_links_it(client, as_user, q3_id):
    headers = as_user("officer")
    links = client.get(f"/api/v1/reports/{q3_id}", headers=headers).get_json()["links"]
    assert links["document.docx"] == f"/api/v1/reports/{q3_id}/document.docx"

    response = client.get(links["document.docx"], headers=headers)
    assert response.status_code == 200
    assert response.mimetype == DOCX_TYPE
    assert client.get(links["document.pdf"], headers=headers).data.startswith(b"%PDF-")
    assert client.get(links["document.pdf"], headers=as_user("sibling_editor")).status_code == 404
