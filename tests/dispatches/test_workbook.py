"""The aggregated report as XLSX: numbers stay numbers, text never becomes a formula, one row
per commune. Built from hand-made figures (no database) and read back with openpyxl."""
import dataclasses
import io
from datetime import datetime
from decimal import Decimal

import openpyxl
import pytest

from app.dispatches.figures import CommuneLine, Figures
from app.dispatches.workbook import workbook
from app.org_units.models import OrgUnit
from app.rollups.comparison import Cell, Column, Completeness, Row

SESSIONS = Column(code="TT01", sex="total", name="Số buổi truyền thông", measure_unit="buổi")
WOMEN = Column(code="TT02", sex="female", name="Số người tham gia", measure_unit="người")
MEN = Column(code="TT02", sex="male", name="Số người tham gia", measure_unit="người")
SHARE = Column(code="LD01", sex="female", name="Tỷ lệ nữ lãnh đạo", measure_unit="%")
COLUMNS = [SESSIONS, WOMEN, MEN, SHARE]
HYPERLINK = '=HYPERLINK("http://x","bấm vào đây")'


def row(name: str, cells: dict[Column, Cell]) -> Row:
    return Row(code=name, name=name, cells={column.key: cell for column, cell in cells.items()},
               completeness=Completeness(1, 1, 1))


@pytest.fixture(scope="module")
def figures() -> Figures:
    total = Row(code="402", name="Huyện Như Xuân", completeness=Completeness(21, 18, 15), cells={
        SESSIONS.key: Cell(Decimal("1234"), Decimal("1500")),
        WOMEN.key: Cell(Decimal("3456.5"), Decimal("4000")),
        MEN.key: Cell(Decimal("12"), None),  # no target: no percentage
        # SHARE has no cell at all
    })
    communes = [
        CommuneLine("Huyện Như Xuân", row("Bình Lương", {
            SESSIONS: Cell(Decimal("90"), Decimal("100")), WOMEN: Cell(Decimal("45.25"), Decimal("50"))})),
        CommuneLine("Huyện Như Xuân", row("=1+2", {SESSIONS: Cell(Decimal("7"), Decimal("0"))})),
        CommuneLine("Huyện Như Thanh", row(HYPERLINK, {MEN: Cell(None, Decimal("30"))})),
    ]
    return Figures(unit=OrgUnit(name="Huyện Như Xuân", code="402"), period="2023Q3", columns=COLUMNS,
                   total=total, communes=communes, missing=["Yên Cát", "@SUM(A1)"],
                   computed_at=datetime(2023, 10, 3, 7, 5), stale=False)


@pytest.fixture(scope="module")
def book(figures):
    return openpyxl.load_workbook(io.BytesIO(workbook(figures)))


def values(sheet) -> list[list]:
    return [list(line) for line in sheet.iter_rows(values_only=True)]


def summary_line(sheet, text: str) -> list:
    return next(line for line in values(sheet) if line[0] == text)


def test_the_sheets(book):
    assert book.sheetnames == ["Tổng hợp", "Xã"]


def test_the_summary_title_and_completeness(book):
    lines = values(book["Tổng hợp"])
    assert lines[0][0] == "Báo cáo tổng hợp bình đẳng giới — Huyện Như Xuân — Quý III năm 2023"
    assert lines[1][0] == "Đã nhận 18/21 báo cáo (85,7%), trong đó 15 báo cáo đúng hạn."
    assert lines[2][0] == "Số liệu được tổng hợp lúc 14:05 ngày 03/10/2023."  # UTC+7


def test_the_summary_numbers_are_numbers_equal_to_the_figures(book):
    sheet = book["Tổng hợp"]
    assert summary_line(sheet, "Số buổi truyền thông") == ["Số buổi truyền thông", "buổi", 1234, 1500, 0.823]
    assert summary_line(sheet, "Số người tham gia (nữ)") == ["Số người tham gia (nữ)", "người", 3456.5, 4000, 0.864]
    assert summary_line(sheet, "Số người tham gia (nam)") == ["Số người tham gia (nam)", "người", 12, None, None]
    assert summary_line(sheet, "Tỷ lệ nữ lãnh đạo (nữ)") == ["Tỷ lệ nữ lãnh đạo (nữ)", "%", None, None, None]
    for line in values(sheet):
        if line[0] in {"Số buổi truyền thông", "Số người tham gia (nữ)"}:
            assert all(isinstance(number, int | float) for number in line[2:5])


def test_the_summary_formats(book):
    sheet = book["Tổng hợp"]
    cells = next(line for line in sheet.iter_rows() if line[0].value == "Số người tham gia (nữ)")
    assert cells[2].number_format == "#,##0.0##"
    assert cells[3].number_format == "#,##0"
    assert cells[4].number_format == "0.0%"


def test_the_summary_lists_the_missing_communes(book):
    lines = [line[0] for line in values(book["Tổng hợp"])]
    start = lines.index("Xã chưa gửi báo cáo (2):")
    assert lines[start + 1:start + 3] == ["Yên Cát", "@SUM(A1)"]


def test_one_row_per_commune_with_its_numbers(book):
    lines = values(book["Xã"])
    header, labels, communes = lines[0], lines[1], lines[2:]
    assert header[2].startswith("Số buổi truyền thông\nĐơn vị: buổi")
    assert header[5].startswith("Số người tham gia (nữ)")
    assert labels[:5] == ["Huyện", "Xã", "Kết quả", "Kế hoạch", "% đạt"]
    assert len(labels) == 2 + 3 * len(COLUMNS)
    assert [line[:2] for line in communes] == [
        ["Huyện Như Xuân", "Bình Lương"], ["Huyện Như Xuân", "=1+2"], ["Huyện Như Thanh", HYPERLINK]]
    assert communes[0][2:8] == [90, 100, 0.9, 45.25, 50, 0.905]
    assert communes[1][2:5] == [7, 0, None]  # a zero target: no percentage
    assert communes[2][2:8] == [None] * 6
    assert communes[2][8:11] == [None, 30, None]


def test_the_communes_sheet_is_frozen_below_the_header_and_after_the_name(book):
    sheet = book["Xã"]
    assert sheet.freeze_panes == "C3"
    assert sheet["A2"].font.bold and sheet["C1"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width > 20


def test_text_that_looks_like_a_formula_stays_text(book):
    communes = book["Xã"]
    assert communes["B4"].value == "=1+2" and communes["B4"].data_type == "s"
    assert communes["B5"].value == HYPERLINK and communes["B5"].data_type == "s"
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", cell.coordinate
    assert not any(sheet._hyperlinks for sheet in book.worksheets)


def test_no_missing_commune_no_column_no_commune(figures):
    empty = dataclasses.replace(figures, columns=[], communes=[], missing=[], computed_at=None)
    book = openpyxl.load_workbook(io.BytesIO(workbook(empty)))
    lines = [line[0] for line in values(book["Tổng hợp"])]
    assert lines[-1] == "Không có xã nào quá hạn chưa gửi báo cáo."
    assert not any(str(line).startswith("Số liệu") for line in lines)
    assert values(book["Xã"])[1] == ["Huyện", "Xã"]
