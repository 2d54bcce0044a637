"""The aggregated report as an official BÁO CÁO (Nghị định 30): the Word file the district office
sends upward, and the ranking chart inside it. Built from hand-made figures (no database) and
read back with python-docx and Pillow."""
import dataclasses
import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal

import docx
import pytest
from PIL import Image

from app.dispatches import chart
from app.dispatches.document import describe, render
from app.dispatches.figures import CommuneLine, Figures
from app.org_units.models import OrgUnit
from app.plans.document import content, pdf
from app.rollups.comparison import Cell, Column, Completeness, Row

SESSIONS = Column(code="TT01", sex="total", name="Số buổi truyền thông", measure_unit="buổi")
PEOPLE = Column(code="TT02", sex="total", name="Số người tham gia", measure_unit="người")
WOMEN = Column(code="TT02", sex="female", name="Số người tham gia", measure_unit="người")
MEN = Column(code="TT02", sex="male", name="Số người tham gia", measure_unit="người")
LEADERS = Column(code="LD01", sex="female", name="Tỷ lệ nữ lãnh đạo", measure_unit="%")
COLUMNS = [SESSIONS, PEOPLE, WOMEN, MEN, LEADERS]
NARRATIVE = [
    "Các xã đã chủ động lồng ghép nội dung bình đẳng giới vào hội nghị thôn.",
    "Ghi chú <script>alert(1)</script> giữ nguyên\x07 như chữ.",
    unicodedata.normalize("NFD", "Đề nghị Sở hỗ trợ kinh phí tập huấn."),
]
RECIPIENTS = ["Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa (b/c);", "- UBND huyện (b/c);",
              "Lưu: VT."]


def unit(name: str, code: str, division_type: str, parent: OrgUnit | None = None) -> OrgUnit:
    return OrgUnit(name=name, code=code, division_type=division_type, parent=parent)


def commune(name: str, sessions: str | None) -> CommuneLine:
    cells = {SESSIONS.key: Cell(None if sessions is None else Decimal(sessions), Decimal("100"))}
    return CommuneLine("Huyện Như Xuân", Row(code=name, name=name, cells=cells,
                                             completeness=Completeness(1, 1, 1)))


def make_figures(*, missing=("Yên Cát", "Xuân Bình"), completeness=None, columns=COLUMNS,
                 communes=None, period="2023Q3") -> Figures:
    province = unit("Tỉnh Thanh Hóa", "38", "Tỉnh")
    district = unit("Huyện Như Xuân", "402", "Huyện", province)
    total = Row(code="402", name="Huyện Như Xuân", completeness=completeness or Completeness(17, 15, 12),
                cells={
                    SESSIONS.key: Cell(Decimal("1234"), Decimal("1500")),
                    PEOPLE.key: Cell(Decimal("5678"), Decimal("6000")),
                    WOMEN.key: Cell(Decimal("3456.5"), Decimal("4000")),
                    MEN.key: Cell(Decimal("2221.5"), None),
                    # LEADERS has no cell at all
                })
    if communes is None:
        communes = [commune("Bình Lương", "90"), commune("Cát Tân", "412"), commune("Thanh Quân", None),
                    commune("Xuân Hòa", "1234.5")]
    return Figures(unit=district, period=period, columns=list(columns), total=total, communes=communes,
                   missing=list(missing), computed_at=datetime(2023, 10, 3, 7, 5), stale=False)


def rendered(figures: Figures | None = None, **overrides) -> docx.document.Document:
    arguments = dict(narrative=NARRATIVE, number="12/BC-LĐTBXH", place="Như Xuân",
                     issued_on=date(2023, 10, 5), signer_title="KT. TRƯỞNG PHÒNG\nPhó Trưởng phòng",
                     signer_name="Lê Thị Hoa", recipients=RECIPIENTS)
    arguments.update(overrides)
    return docx.Document(io.BytesIO(render(figures or make_figures(), **arguments)))


@pytest.fixture(scope="module")
def document():
    return rendered()


def texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def cell_lines(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs]


def bold_runs(cell) -> list[str]:
    return [run.text for paragraph in cell.paragraphs for run in paragraph.runs if run.bold]


# The document


def test_the_official_header(document):
    left, right = document.tables[0].rows[0].cells
    lines = [line for line in cell_lines(left) if line]
    assert lines == ["UBND HUYỆN NHƯ XUÂN", "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Số: 12/BC-LĐTBXH"]
    assert bold_runs(left) == ["PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"]
    assert [line for line in cell_lines(right) if line] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Như Xuân, ngày 05 tháng 10 năm 2023"]


def test_the_title_and_summary(document):
    lines = texts(document)
    assert "BÁO CÁO" in lines
    assert lines[lines.index("BÁO CÁO") + 1] == "Kết quả thực hiện công tác bình đẳng giới Quý III năm 2023"
    assert document.core_properties.title == "Kết quả thực hiện công tác bình đẳng giới Quý III năm 2023"


def test_the_three_parts_in_order(document):
    lines = texts(document)
    headings = [line for line in lines if line[:4] in ("I. T", "II. ", "III.")]
    assert headings == ["I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ CẤP XÃ:", "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU:",
                        "III. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ:"]


def test_completeness_and_the_communes_that_did_not_report(document):
    body = "\n".join(texts(document))
    assert ("Tổng số đơn vị cấp xã phải báo cáo: 17. Đã nhận báo cáo của 15/17 đơn vị cấp xã (88,2%), "
            "trong đó 12 đơn vị gửi đúng hạn.") in body
    assert "Các đơn vị cấp xã chưa gửi báo cáo (2): Yên Cát, Xuân Bình." in body
    # 07:05 UTC is 14:05 in Việt Nam
    assert "Số liệu được tổng hợp lúc 14:05 ngày 03/10/2023." in body


def test_when_every_commune_reported_the_report_says_so():
    document = rendered(make_figures(missing=(), completeness=Completeness(17, 17, 17)))
    body = "\n".join(texts(document))
    assert "Tất cả các đơn vị cấp xã đã gửi báo cáo." in body
    assert "chưa gửi báo cáo" not in body


def test_the_figures_table(document):
    table = document.tables[1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện", "Kế hoạch", "Tỷ lệ đạt"]
    assert rows[1:] == [
        ["1", "Số buổi truyền thông", "buổi", "1.234", "1.500", "82,3%"],
        ["2", "Số người tham gia", "người", "5.678", "6.000", "94,6%"],
        ["", "Trong đó: nữ", "người", "3.456,5", "4.000", "86,4%"],
        ["3", "Tỷ lệ nữ lãnh đạo (nữ)", "%", "–", "–", "–"],
    ]


def test_the_chart_is_one_inline_png_after_the_table(document):
    assert len(document.inline_shapes) == 1
    shape = document.inline_shapes[0]
    blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    with Image.open(io.BytesIO(blob)) as picture:
        assert picture.format == "PNG"
        assert picture.width == 1200
    assert shape.width.mm == pytest.approx(160, abs=0.5)
    lines = texts(document)
    caption = "Biểu đồ: Số buổi truyền thông của các đơn vị cấp xã, Quý III năm 2023"
    assert caption in lines
    assert lines.index(caption) < lines.index("III. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ:")
    paragraph = document.paragraphs[lines.index(caption)]
    assert all(run.italic for run in paragraph.runs)


def test_the_narrative_is_plain_cleaned_text(document):
    lines = texts(document)
    assert "Các xã đã chủ động lồng ghép nội dung bình đẳng giới vào hội nghị thôn." in lines
    assert "Ghi chú <script>alert(1)</script> giữ nguyên như chữ." in lines
    assert "Đề nghị Sở hỗ trợ kinh phí tập huấn." in lines  # NFC again
    start = lines.index("III. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ:")
    assert lines.index("Các xã đã chủ động lồng ghép nội dung bình đẳng giới vào hội nghị thôn.") > start


def test_without_a_narrative_one_default_paragraph():
    lines = texts(rendered(narrative=[]))
    start = lines.index("III. ĐÁNH GIÁ CHUNG VÀ KIẾN NGHỊ:")
    assert lines[start + 1] == ("Trên đây là báo cáo kết quả thực hiện công tác bình đẳng giới quý III "
                                "năm 2023 trên địa bàn huyện Như Xuân./.")


def test_the_signature_and_recipients(document):
    left, right = document.tables[-1].rows[0].cells
    assert cell_lines(left) == ["Nơi nhận:", "- Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa (b/c);",
                                "- UBND huyện (b/c);", "- Lưu: VT."]
    assert [line for line in cell_lines(right) if line] == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "Lê Thị Hoa"]


@pytest.mark.parametrize(("title", "expected"), [
    ("Trưởng phòng", ("TRƯỞNG PHÒNG", "")),
    ("Phó Trưởng phòng", ("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG")),
    ("KT. TRƯỞNG PHÒNG", ("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG")),
])
def test_the_signer_title(title, expected):
    signature = describe(make_figures(), [], "12", "", date(2023, 10, 5), title, "A", []).signature
    assert (signature.authority, signature.title) == expected


def test_a_bare_number_takes_the_suffix_and_no_place_means_the_units_short_name():
    header = describe(make_figures(), [], "12", "", date(2023, 1, 9), "Trưởng phòng", "A", []).header
    assert header.number == "Số: 12/BC-LĐTBXH"
    assert header.place_date == "Như Xuân, ngày 09 tháng 01 năm 2023"
    assert describe(make_figures(), [], "", "", None, "", "", []).header.number == "Số:      /BC-LĐTBXH"


def test_a_year_report_and_no_indicators_still_render():
    figures = make_figures(columns=[], communes=[], period="2023")
    document = rendered(figures)
    assert "Kết quả thực hiện công tác bình đẳng giới năm 2023" in texts(document)
    assert "Trong kỳ báo cáo chưa có chỉ tiêu nào được tổng hợp." in texts(document)
    assert len(document.inline_shapes) == 0


def test_stale_figures_say_so():
    figures = dataclasses.replace(make_figures(), stale=True)
    paragraphs = [block.text for block in describe(figures, [], "12", "", date(2023, 10, 5), "", "", []).blocks
                  if isinstance(block, content.Paragraph)]
    assert ("Số liệu được tổng hợp lúc 14:05 ngày 03/10/2023. Một số báo cáo mới nhận chưa được tổng hợp "
            "vào số liệu dưới đây.") in paragraphs


def test_a_long_ranking_keeps_the_best_and_fits_on_a_page():
    figures = make_figures(communes=[commune(f"Xã {index:02d}", str(index)) for index in range(45)])
    image = next(block for block in describe(figures, [], "12", "", date(2023, 10, 5), "", "", []).blocks
                 if isinstance(block, content.Image))
    assert image.caption.endswith("(40 đơn vị có kết quả cao nhất trên tổng số 45)")
    with Image.open(io.BytesIO(image.png)) as picture:
        assert image.width_mm * picture.height / picture.width <= 200.5
    assert len(bar_lengths(image.png)) == 40


def test_the_pdf_writer_draws_the_chart_too():
    description = describe(make_figures(), NARRATIVE, "12/BC-LĐTBXH", "Như Xuân", date(2023, 10, 5),
                           "Trưởng phòng", "Lê Thị Hoa", RECIPIENTS)
    assert any(isinstance(block, content.Image) for block in description.blocks)
    data = pdf.write(description)
    assert data.startswith(b"%PDF") and b"/Subtype /Image" in data


# The chart


def bar_lengths(png: bytes) -> list[int]:
    """The bars from top to bottom, as their length in pixels of the bar colour."""
    with Image.open(io.BytesIO(png)) as picture:
        picture = picture.convert("RGB")
        lengths, current = [], 0
        for y in range(picture.height):
            count = sum(1 for x in range(picture.width) if picture.getpixel((x, y)) == chart.BAR)
            if count and not current:
                lengths.append(count)
            current = count
    return lengths


def test_ranking_png_ranks_bars_highest_first_and_none_last():
    bars = [("Bình Lương", 90.0), ("Thanh Quân", None), ("Xuân Hòa", 1234.5), ("Cát Tân", 412.0)]
    assert chart.ranked(bars) == [("Xuân Hòa", 1234.5), ("Cát Tân", 412.0), ("Bình Lương", 90.0),
                                  ("Thanh Quân", None)]
    png = chart.ranking_png("Số buổi truyền thông (buổi)", bars)
    assert png.startswith(b"\x89PNG")
    lengths = bar_lengths(png)
    assert len(lengths) == 3  # no bar for the commune without a value
    assert lengths == sorted(lengths, reverse=True)
    assert lengths[1] / lengths[0] == pytest.approx(412 / 1234.5, abs=0.01)


def test_ranking_png_size_follows_the_width_and_the_number_of_bars():
    few = chart.ranking_png("Ít", [("A", 1.0), ("B", 2.0)], width_px=800)
    many = chart.ranking_png("Nhiều", [(f"Xã {index}", float(index)) for index in range(20)], width_px=800)
    empty = chart.ranking_png("Không có", [])
    with Image.open(io.BytesIO(few)) as a, Image.open(io.BytesIO(many)) as b, Image.open(io.BytesIO(empty)) as c:
        assert a.width == b.width == 800
        assert b.height > a.height
        assert c.width == 1200 and c.height > 0


def test_chart_values_are_written_the_vietnamese_way():
    assert chart.format_value(1234) == "1.234"
    assert chart.format_value(3456.5) == "3.456,5"
    assert chart.format_value(None) == "—"
