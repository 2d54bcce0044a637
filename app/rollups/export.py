"""The comparison table as an XLSX workbook.

No cell ever becomes a formula (DESIGN.md): every text is written with `write_string`, and the
workbook is told not to turn strings into formulas anyway. XlsxWriter is imported inside the
function so that pages do not pay for it."""
import re
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

from flask_babel import gettext as _

from app.reports.pages import period_label
from app.rollups import timeliness
from app.rollups.comparison import BANDS, TENTH, Column, Comparison, Row
from app.text import ascii_fold


def file_name(found: Comparison) -> str:
    """"so-sanh-nhu-xuan-2023Q3.xlsx", or in English "compare-nhu-xuan-2023Q3.xlsx": the page's
    name and its unit's (or commune's), in ASCII for every browser and system."""
    unit = found.focus or found.unit
    return f"{_slug(str(_('Compare')), 'compare')}-{_slug(unit.short_name, unit.code)}-{found.period}.xlsx"


def _slug(text: str, instead: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-") or instead


def _column_title(column: Column) -> str:
    sex = {"female": _("female"), "male": _("male")}.get(column.sex)
    title = f"{column.code} {column.name}"
    return f"{title} ({sex})" if sex else title


def workbook(found: Comparison, sort_rows: list[Row] | None = None) -> BytesIO:
    import xlsxwriter

    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet(found.period)
    bold = book.add_format({"bold": True})
    heading = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    title = _("Comparison at %(unit)s, period %(period)s", unit=found.unit.name, period=period_label(found.period))
    sheet.write_string(0, 0, title, bold)
    if found.counted is not None:
        sheet.write_string(1, 0, found.counted.label)

    header, percentages = [_("Code"), _("Unit")], []
    for column in found.columns:
        name = _column_title(column)
        header += [name, _("%(column)s: target", column=name), _("%(column)s: %% achieved", column=name)]
        percentages.append((len(header) - 1, column.due))
    header += [_("Reports expected"), _("Received"), _("On time")]
    for index, text in enumerate(header):
        sheet.write_string(2, index, text, heading)

    rows = sort_rows if sort_rows is not None else found.rows
    line = 3
    formats = {(kind, is_total): book.add_format({"num_format": NUMBER_FORMATS[kind], "bold": is_total})
               for kind in NUMBER_FORMATS for is_total in (False, True)}
    for row in [*rows, found.totals]:
        is_total = row is found.totals
        _write_row(sheet, line, row, found.columns, lambda kind, is_total=is_total: formats[(kind, is_total)],
                   is_total)
        line += 1
    _colour_percentages(book, sheet, first=3, last=line - 1, positions=percentages)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, len(header) - 1, 14)  # the figures' long titles wrap over a few lines
    sheet.freeze_panes(3, 2)  # the titles and the units stay in view across forty columns
    if found.report_grid is not None:
        _write_report_grid(book, found)
    book.close()
    buffer.seek(0)
    return buffer


def _colour_percentages(book, sheet, first: int, last: int, positions: list[tuple[int, Decimal]]) -> None:
    """Each "% achieved" column (at `positions`, with the part of the target due by the
    period's end: `Column.due`) in the page's colour bands, as conditional formats, so that a
    figure corrected in the file takes its band too. A threshold is rounded to a tenth as the
    percentages are: 1 of 12 in a month, written 8.3, is on track."""
    fills = [(band.lowest, book.add_format({"bg_color": band.colour})) for band in BANDS]
    for position, due in positions:
        for lowest, fill in fills:
            threshold = (lowest * due).quantize(TENTH, ROUND_HALF_UP) if not lowest.is_infinite() else None
            rule = ({"type": "no_blanks"} if threshold is None
                    else {"type": "cell", "criteria": ">=", "value": float(threshold)})
            sheet.conditional_format(first, position, last, position, {**rule, "format": fill, "stop_if_true": True})


# Numbers grouped by thousands, as the page shows them (Excel writes the separators of the
# reader's language): whole figures without decimals, others with up to three, as the page
# has them; a percentage achieved to a tenth; text as it is.
NUMBER_FORMATS = {"text": "General", "whole": "#,##0", "decimal": "#,##0.0##", "percent": "0.0"}


def _write_row(sheet, line: int, row: Row, columns: list[Column], cell_format, is_total: bool) -> None:
    """`cell_format(kind)`: the row's format of a kind of cell (`NUMBER_FORMATS`), bold for the total."""
    sheet.write_string(line, 0, row.code, cell_format("text"))
    name = f"{_('Total')}: {row.name}" if is_total else row.name  # as the page names it
    sheet.write_string(line, 1, name, cell_format("text"))
    position = 2
    for column in columns:
        cell = row.cell(column)
        for number, kind in ((cell.value, None), (cell.target, None), (cell.percent, "percent")):
            if number is not None:
                kind = kind or ("whole" if number == number.to_integral_value() else "decimal")
                sheet.write_number(line, position, float(number), cell_format(kind))
            position += 1
    for number in (row.completeness.expected, row.completeness.received, row.completeness.on_time):
        sheet.write_number(line, position, number, cell_format("whole"))
        position += 1


# The page's colours of a report's state (app/static/css/app.css, .report-grid).
STATE_COLOURS = {timeliness.ACCEPTED: "#E2F4E8", timeliness.MISSING: "#F8D7DA", timeliness.RETURNED: "#F8D7DA",
                 timeliness.WAITING: "#FFF3CD", timeliness.LATE: "#FFF3CD"}


def _write_report_grid(book, found: Comparison) -> None:
    """A year's grid of the communes' reports, on a sheet of its own, as the page shows it."""
    grid = found.report_grid
    sheet = book.add_worksheet(_("Reports"))
    bold = book.add_format({"bold": True})
    fills = {state: book.add_format({"bg_color": colour}) for state, colour in STATE_COLOURS.items()}
    sheet.write_string(0, 0, found.report_grid_title, bold)
    for index, text in enumerate([_("Commune"), *[period_label(period_id) for period_id in grid.periods]]):
        sheet.write_string(1, index, text, bold)
    for line, row in enumerate(grid.rows, start=2):
        sheet.write_string(line, 0, row.unit_name)
        for index, period_id in enumerate(grid.periods, start=1):
            if (cell := row.cells.get(period_id)) is not None:
                sheet.write_string(line, index, cell.grid_label, fills.get(cell.state))
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, len(grid.periods), 26)
    sheet.freeze_panes(2, 1)
