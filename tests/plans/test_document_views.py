"""Downloading the plan as Word and PDF, and its print view: anyone who can see the plan."""
import io

import docx
import pytest

from app.plans.models import PlanStatus
from tenants import system_scope
from tests.conftest import login
from tests.factories import make_plan, make_template

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def plan(tree, users, db):
    with system_scope("test data"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        plan.section("tuyen-truyen").text = "Tuyên truyền <script>alert(1)</script>"
        plan.document_number = "45/KH-UBND"
        plan.status = PlanStatus.SUBMITTED  # sent to the district: the province reads it too
        db.session.commit()
        return plan


@pytest.mark.parametrize("reader", ["editor", "leader", "officer", "province_viewer", "admin"])
def test_everyone_who_sees_the_plan_downloads_it_as_word(client, users, plan, reader):
    login(client, users[reader].username)
    response = client.get(f"/plans/{plan.id}/document.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX_TYPE
    assert response.headers["Content-Disposition"] == 'attachment; filename="ke-hoach-2023-binh-luong.docx"'
    assert "no-store" in response.headers["Cache-Control"]
    document = docx.Document(io.BytesIO(response.data))
    assert "KẾ HOẠCH" in [paragraph.text for paragraph in document.paragraphs]


def test_the_pdf_downloads_with_its_filename(client, users, plan):
    login(client, users["editor"].username)
    response = client.get(f"/plans/{plan.id}/document.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="ke-hoach-2023-binh-luong.pdf"'
    assert response.data.startswith(b"%PDF-")


def test_the_print_view_shows_the_document_without_script(client, users, plan):
    login(client, users["officer"].username)
    response = client.get(f"/plans/{plan.id}/print")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    for text in ("UBND HUYỆN NHƯ XUÂN", "UBND XÃ BÌNH LƯƠNG", "Số: 45/KH-UBND", "KẾ HOẠCH",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "I. MỤC ĐÍCH YÊU CẦU:", "Nơi nhận:",
                 "TM. ỦY BAN NHÂN DÂN", "Nội dung hoạt động", "Các chỉ tiêu năm 2023:"):
        assert text in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "/static/css/print.css" in html


def test_the_print_stylesheet_sets_a4_and_the_official_margins(client):
    css = client.get("/static/css/print.css").get_data(as_text=True)
    assert "size: A4; margin: 20mm 15mm 20mm 30mm" in css
    assert "Times New Roman" in css


@pytest.mark.parametrize("path", ["document.docx", "document.pdf", "print"])
def test_a_user_of_another_commune_gets_404(client, users, plan, path):
    login(client, users["sibling_editor"].username)
    assert client.get(f"/plans/{plan.id}/{path}").status_code == 404


@pytest.mark.parametrize("path", ["document.docx", "document.pdf", "print"])
def test_signing_in_comes_first(client, plan, path):
    response = client.get(f"/plans/{plan.id}/{path}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
