"""The aggregated report as an XLSX workbook: a summary sheet ("Tổng hợp") and one row per
commune ("Xã").

The workbook is written in constant_memory mode: each row goes to a temporary file as soon as
the next one starts, so memory stays flat from a district (21 communes) to the whole country.
The price is that rows must be written top to bottom, never revisited (no vertical merges).

No cell ever becomes a formula (DESIGN.md): text is written with `write_string`, and the
workbook is told not to turn strings into formulas or links anyway. Labels are Vietnamese
whatever the reader's locale: the report is an official document sent to the province.
"""
from decimal import Decimal
from io import BytesIO

from app.dispatches.figures import Figures, computed_line, period_label
from app.rollups.comparison import Cell, Column

SEX_SUFFIX = {"female": " (nữ)", "male": " (nam)"}
SUMMARY_HEADER = ["Chỉ tiêu", "Đơn vị tính", "Kết quả", "Kế hoạch", "% đạt"]
PER_COLUMN = ["Kết quả", "Kế hoạch", "% đạt"]  # the sub-columns of each indicator on "Xã"


def workbook(figures: Figures) -> bytes:
    import xlsxwriter  # here, so that pages importing the package do not pay for it

    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {
        "constant_memory": True,
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    formats = _formats(book)
    _summary(book.add_worksheet("Tổng hợp"), figures, formats)
    _communes(book.add_worksheet("Xã"), figures, formats)
    book.close()
    return buffer.getvalue()


def title_of(figures: Figures) -> str:
    return f"Báo cáo tổng hợp bình đẳng giới — {figures.unit.name} — {period_label(figures.period)}"


def indicator_title(column: Column) -> str:
    return column.name + SEX_SUFFIX.get(column.sex, "")


def _formats(book) -> dict:
    header = {"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#EDEDED"}
    return {
        "title": book.add_format({"bold": True, "font_size": 13}),
        "bold": book.add_format({"bold": True}),
        "header": book.add_format(header),
        "group": book.add_format({**header, "align": "center"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "integer": book.add_format({"num_format": "#,##0"}),
        "decimal": book.add_format({"num_format": "#,##0.0##"}),
        "percent": book.add_format({"num_format": "0.0%"}),
    }


def _number(sheet, row: int, col: int, number: Decimal | None, formats: dict) -> None:
    """A Decimal as an Excel number (an int when whole, so no stray ".0"); None stays empty."""
    if number is None:
        return
    if number == number.to_integral_value():
        sheet.write_number(row, col, int(number), formats["integer"])
    else:
        sheet.write_number(row, col, float(number), formats["decimal"])


def _cell(sheet, row: int, col: int, cell: Cell, formats: dict) -> None:
    """Value, target and % achieved in three cells from `col`; the % as a true Excel percentage."""
    _number(sheet, row, col, cell.value, formats)
    _number(sheet, row, col + 1, cell.target, formats)
    if cell.percent is not None:
        # Divided as a Decimal, so 86.4 % is stored as 0.864, not 0.8640000000000001.
        sheet.write_number(row, col + 2, float(cell.percent / 100), formats["percent"])


def _completeness_line(figures: Figures) -> str:
    done = figures.completeness
    line = f"Đã nhận {done.received}/{done.expected} báo cáo"
    if done.percent is not None:
        line += f" ({str(done.percent).replace('.', ',')}%)"  # Vietnamese decimal comma
    return f"{line}, trong đó {done.on_time} báo cáo đúng hạn."


def _summary(sheet, figures: Figures, formats: dict) -> None:
    sheet.set_column(0, 0, 50)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 4, 13)
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)

    sheet.write_string(0, 0, title_of(figures), formats["title"])
    sheet.write_string(1, 0, _completeness_line(figures))
    line = 2
    computed = computed_line(figures)
    if computed:
        sheet.write_string(line, 0, computed)
        line += 1

    line += 1
    for col, text in enumerate(SUMMARY_HEADER):
        sheet.write_string(line, col, text, formats["header"])
    for column in figures.columns:
        line += 1
        sheet.write_string(line, 0, indicator_title(column), formats["wrap"])
        sheet.write_string(line, 1, column.measure_unit or "")
        _cell(sheet, line, 2, figures.total.cell(column), formats)

    line += 2
    if not figures.missing:
        sheet.write_string(line, 0, "Không có xã nào quá hạn chưa gửi báo cáo.")
        return
    sheet.write_string(line, 0, f"Xã chưa gửi báo cáo ({len(figures.missing)}):", formats["bold"])
    for name in figures.missing:
        line += 1
        sheet.write_string(line, 0, name)


def _communes(sheet, figures: Figures, formats: dict) -> None:
    """Two header rows: each indicator's title over its three sub-columns, then the labels."""
    width = len(PER_COLUMN)
    last = 1 + width * len(figures.columns)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 24)
    sheet.set_column(2, max(last, 2), 11)
    sheet.set_row(0, 60)  # room for wrapped indicator names
    sheet.freeze_panes(2, 2)
    sheet.repeat_rows(0, 1)
    sheet.set_paper(9)
    sheet.set_landscape()

    sheet.write_blank(0, 0, None, formats["header"])
    sheet.write_blank(0, 1, None, formats["header"])
    for index, column in enumerate(figures.columns):
        first = 2 + width * index
        title = indicator_title(column)
        if column.measure_unit:
            title += f"\nĐơn vị: {column.measure_unit}"
        # A horizontal merge stays within the row, so constant_memory allows it.
        sheet.merge_range(0, first, 0, first + width - 1, "", formats["group"])
        sheet.write_string(0, first, title, formats["group"])

    sheet.write_string(1, 0, "Huyện", formats["header"])
    sheet.write_string(1, 1, "Xã", formats["header"])
    for index in range(len(figures.columns)):
        for offset, text in enumerate(PER_COLUMN):
            sheet.write_string(1, 2 + width * index + offset, text, formats["header"])

    for line, commune in enumerate(figures.communes, start=2):
        sheet.write_string(line, 0, commune.district)
        sheet.write_string(line, 1, commune.row.name)
        for index, column in enumerate(figures.columns):
            _cell(sheet, line, 2 + width * index, commune.row.cell(column), formats)
