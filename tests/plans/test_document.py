"""The plan as an official document (Nghị định 30): the Word file, the PDF, and the rules they
share (the date with its leading zeros, numbering, Vietnamese numbers)."""
import io
from datetime import date
from decimal import Decimal

import docx
import pytest

from app.org_units.models import Level
from app.plans import services
from app.plans.document import content, document_filename, render_docx, render_pdf
from tenants import system_scope
from tests.factories import OrgUnitFactory, make_plan, make_template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def plan(tree, users, db):
    """Bình Lương's 2023 plan, filled in as the seed document is."""
    with system_scope("test data"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        services.update_plan(plan, users["editor"], plan.version, {
            "document_number": "45/KH-UBND", "document_date": "2023-05-05",
            "signer_name": "Lê Văn Hùng",
            "recipients": "Phòng LĐTBXH huyện (b/c);\n- TTĐU, HĐND (b/c);\nLưu VT.",
            "sections": {"tuyen-truyen": "Tổ chức tuyên truyền.\n\n<script>alert(1)</script>"},
            "targets": [{"indicator": "TT01", "sex": None, "value": 150},
                        {"indicator": "TT01", "sex": "female", "value": 80},
                        {"indicator": "CB01", "sex": None, "value": "30,5"}],
        })
        services.add_activity(plan, users["editor"], plan.version, {
            "section_key": "tuyen-truyen", "name": "Hội nghị tuyên truyền Luật Bình đẳng giới",
            "lead_body": "Ban văn hoá", "supporting_bodies": "Hội LHPN, Đoàn TN",
            "months": "3,4,5,6,9", "budget_vnd": 15_000_000, "funding_source": "Ngân sách xã"})
        db.session.commit()
        yield plan


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def cell_lines(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs]


# The rules


@pytest.mark.parametrize(("when", "expected"), [
    (date(2023, 5, 5), "ngày 05 tháng 5 năm 2023"),
    (date(2023, 1, 12), "ngày 12 tháng 01 năm 2023"),
    (date(2023, 2, 1), "ngày 01 tháng 02 năm 2023"),
    (date(2023, 3, 9), "ngày 09 tháng 3 năm 2023"),
    (date(2023, 11, 20), "ngày 20 tháng 11 năm 2023"),
    (date(2023, 12, 31), "ngày 31 tháng 12 năm 2023"),
    (date(2023, 10, 10), "ngày 10 tháng 10 năm 2023"),
])
def test_days_1_to_9_and_months_1_and_2_take_a_leading_zero(when, expected):
    assert content.place_date("Bình Lương", when, 2023) == f"Bình Lương, {expected}"


def test_an_undated_plan_leaves_the_day_and_month_blank():
    assert content.place_date("Bình Lương", None, 2023) == "Bình Lương, ngày … tháng … năm 2023"


def test_a_missing_number_leaves_room_to_write_it():
    assert content.number_line("") == "Số:      /KH-UBND"
    assert content.number_line("45/KH-UBND") == "Số: 45/KH-UBND"


def test_months_read_as_ranges_and_money_with_thousands_dots():
    assert content.month_ranges([3, 4, 5, 6, 9]) == "Tháng 3–6, 9"
    assert content.month_ranges([]) == ""
    assert content.vietnamese_number(15_000_000) == "15.000.000"
    assert content.vietnamese_number(Decimal("30.50")) == "30,5"
    assert content.vietnamese_number(Decimal("1234.00")) == "1.234"


def test_the_file_is_named_after_the_year_and_commune_in_ascii(plan):
    assert document_filename(plan, "docx") == "ke-hoach-2023-binh-luong.docx"


# The Word document


def test_the_page_is_a4_with_the_official_margins(plan):
    section = open_docx(render_docx(plan)).sections[0]
    measures = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin]
    # Word stores twentieths of a point: a millimetre is exact to a hundredth.
    assert [round(length.mm, 1) for length in measures] == [210, 297, 20, 20, 30, 15]


def test_times_new_roman_everywhere_including_east_asian_and_complex_scripts(plan):
    document = open_docx(render_docx(plan))
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    fonts = normal.element.rPr.find(f"{W}rFonts")
    assert {fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    assert runs and all(run.font.name == "Times New Roman" for run in runs)


def test_the_header_names_the_parent_and_the_commune_with_number_motto_and_date(plan):
    header = open_docx(render_docx(plan)).tables[0]
    left, right = header.rows[0].cells
    left_lines = [line for line in cell_lines(left) if line]
    assert left_lines == ["UBND HUYỆN NHƯ XUÂN", "UBND XÃ BÌNH LƯƠNG", "Số: 45/KH-UBND"]
    assert [line for line in cell_lines(right) if line] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Bình Lương, ngày 05 tháng 5 năm 2023"]
    bold = {run.text for cell in (left, right) for p in cell.paragraphs for run in p.runs if run.bold}
    assert bold == {"UBND XÃ BÌNH LƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"}
    date_run = right.paragraphs[-1].runs[0]
    assert date_run.italic


def test_a_commune_directly_under_a_province_names_the_province(tree, users, db):
    with system_scope("test data"):
        province = tree.province
        commune = OrgUnitFactory(code="99001", name="Xã Mới", level=Level.COMMUNE, parent=province)
        plan = make_plan(make_template(province), commune)
        db.session.commit()
        lines = cell_lines(open_docx(render_docx(plan)).tables[0].rows[0].cells[0])
    assert lines[:2] == ["UBND TỈNH THANH HÓA", "UBND XÃ MỚI"]
    assert not any("HUYỆN" in line for line in lines)
    assert "Số:      /KH-UBND" in lines


def test_the_title_sections_and_closing_are_in_order_and_numbered(plan):
    paragraphs = texts(open_docx(render_docx(plan)))
    assert paragraphs.index("KẾ HOẠCH") + 1 == paragraphs.index(plan.title)
    order = ["Luật Bình đẳng giới năm 2006;", "I. MỤC ĐÍCH YÊU CẦU:", "II. NỘI DUNG THỰC HIỆN:",
             "1. Tuyên truyền nâng cao nhận thức", "Tổ chức tuyên truyền.",
             "2. Nâng cao năng lực quản lý nhà nước", "Các chỉ tiêu năm 2023:",
             "III. TỔ CHỨC THỰC HIỆN:", "Trên đây là kế hoạch của UBND xã Bình Lương."]
    positions = [paragraphs.index(text) for text in order]
    assert positions == sorted(positions)


def test_headings_are_bold(plan):
    document = open_docx(render_docx(plan))
    heading = next(p for p in document.paragraphs if p.text == "I. MỤC ĐÍCH YÊU CẦU:")
    assert all(run.bold for run in heading.runs)


def test_user_text_is_written_literally(plan):
    assert "<script>alert(1)</script>" in texts(open_docx(render_docx(plan)))


def test_each_area_has_its_table_of_activities(plan):
    document = open_docx(render_docx(plan))
    activity_tables = [t for t in document.tables if t.rows[0].cells[1].text == "Nội dung hoạt động"]
    assert len(activity_tables) == 2  # one per content area
    rows = [[cell.text for cell in row.cells] for row in activity_tables[0].rows]
    assert rows[0] == list(content.ACTIVITY_COLUMNS)
    assert rows[2] == ["2", "Hội nghị tuyên truyền Luật Bình đẳng giới", "Ban văn hoá",
                       "Hội LHPN, Đoàn TN", "Tháng 3–6, 9", "15.000.000", "Ngân sách xã"]
    assert all(run.font.size.pt == 12 for cell in activity_tables[0].rows[2].cells
               for p in cell.paragraphs for run in p.runs)


def test_the_targets_table_shows_totals_and_the_female_target(plan):
    document = open_docx(render_docx(plan))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [list(content.TARGET_COLUMNS),
                    ["1", "Số người được truyền thông", "người", "150", "80"],
                    ["2", "Tỷ lệ nữ cán bộ xã", "%", "30,5", "–"]]


def test_recipients_sit_beside_the_signature(plan):
    last = open_docx(render_docx(plan)).tables[-1]
    left, right = last.rows[0].cells
    assert cell_lines(left) == ["Nơi nhận:", "- Phòng LĐTBXH huyện (b/c);", "- TTĐU, HĐND (b/c);",
                                "- Lưu VT."]
    assert left.paragraphs[0].runs[0].bold and left.paragraphs[0].runs[0].italic
    signature = [line for line in cell_lines(right) if line]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn Hùng"]


def test_page_numbers_at_the_top_from_page_two(plan):
    section = open_docx(render_docx(plan)).sections[0]
    assert section.different_first_page_header_footer
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and 'w:fldCharType="begin"' in header_xml


def test_decomposed_text_is_written_in_nfc(plan, users, db):
    with system_scope("test data"):
        plan.title = "Ke\u0302\u0301 hoa\u0323ch"  # NFD, as typed on some Windows keyboards
        paragraphs = texts(open_docx(render_docx(plan)))
    assert "Kế hoạch" in paragraphs


def test_a_title_longer_than_a_word_property_holds_is_written_whole_in_the_text(plan):
    title = "Kế hoạch thực hiện công tác bình đẳng giới " * 10  # 430 characters; the column holds 500
    with system_scope("test data"):
        plan.title = title
        document = open_docx(render_docx(plan))
    assert document.core_properties.title == title[:255]  # the most a Word property holds
    assert any(title.strip() in text for text in texts(document))


# The PDF


def test_the_pdf_is_an_a4_document_in_vietnamese(plan):
    data = render_pdf(plan)
    assert data.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 595.28 841.89]" in data
    assert b"LiberationSerif" in data  # the embedded font, with the Vietnamese glyphs


def test_a_long_plan_runs_over_several_pages(plan, users, db):
    from app.plans.document import pdf as pdf_writer

    with system_scope("test data"):
        plan.section("muc-dich").text = "\n".join(["Một đoạn văn khá dài về bình đẳng giới. " * 8] * 30)
        document = content.describe(plan)
    assert pdf_writer.build(document).pages_count >= 3


def test_any_text_a_user_typed_renders_in_every_format(plan, users, db):
    awkward = "Bell\x07 tab\there 🙂 " + "x" * 300 + " <b>&amp;</b>"
    with system_scope("test data"):
        plan.section("tuyen-truyen").text = awkward
        plan.activities[0].name = awkward
        plan.signer_name = "Bell\x07 🙂 <b>&amp;</b>"  # the column holds 100 characters
        paragraphs = texts(open_docx(render_docx(plan)))
        assert render_pdf(plan).startswith(b"%PDF-")
    assert any(text.startswith("Bell tab here 🙂 xxx") and text.endswith(" <b>&amp;</b>") for text in paragraphs)


def test_numbering_typed_into_a_heading_is_not_doubled():
    assert content.level1_heading("II", "II. Nội dung thực hiện") == "II. NỘI DUNG THỰC HIỆN:"
    assert content.level1_heading("III", "Tổ chức thực hiện:") == "III. TỔ CHỨC THỰC HIỆN:"
    assert content.level2_heading("1", "1. Tuyên truyền") == "1. Tuyên truyền"
