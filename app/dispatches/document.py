"""The aggregated report as an official BÁO CÁO (Nghị định 30/2020/NĐ-CP), sent by the district
office (Phòng Lao động - Thương binh và Xã hội, under the unit's People's Committee) upward.

Described with the plan's format-neutral blocks (`app.plans.document.content`) and written by
the same Word writer, so the two kinds of document share one header, one title block and one
signature. Outline:

    I.   the reports received (received/expected, on time, the units that did not report);
    II.  the key figures: value, target and % achieved per indicator, then a ranking chart of
         the main indicator across the communes;
    III. the officer's own assessment (editable narrative), or one default paragraph.

Every piece of user text goes through `content.clean` (NFC, no characters Word cannot hold).
"""
import io
import re
from datetime import date

from PIL import Image as PILImage

from app.dispatches import chart
from app.dispatches.figures import (
    SUBJECT,
    Figures,
    computed_line,
    period_label,
    subject_of,
)
from app.plans.document import docx, layout
from app.plans.document.content import (
    COMMITTEE,
    Document,
    Header,
    Image,
    Paragraph,
    Signature,
    Table,
    amount,
    clean,
    in_text,
    level1_heading,
    number_line,
    percent,
    place_date,
    recipient_line,
)
from app.rollups.comparison import Cell, Column
from app.rollups.models import TOTAL

DOCUMENT_TYPE = "BÁO CÁO"
OFFICE = "PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"
NUMBER_SUFFIX = "/BC-LĐTBXH"
COMMUNES = "đơn vị cấp xã"  # xã, phường and thị trấn alike

FIGURE_COLUMNS = ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện", "Kế hoạch", "Tỷ lệ đạt")
# Room for a district's budget in đồng ("1.200.000.000") on one line.
FIGURE_WIDTHS = (6, 41, 10, 17, 17, 9)
FEMALE_LINE = "Trong đó: nữ"
FEMALE_SUFFIX = " (nữ)"
MALE_SUFFIX = " (nam)"

CHART_WIDTH_PX = 1200
CHART_WIDTH_MM = 160.0
CHART_MAX_HEIGHT_MM = 200.0  # a chart stays on one page, with its caption
CHART_MAX_BARS = 40
DEFAULT_RECIPIENTS = ("Lưu: VT.",)

_DIVISION_PREFIX = re.compile(r"^(huyện|quận|thị xã|thành phố|tỉnh)\s+", re.IGNORECASE)


def header_of(figures: Figures, number_text: str, place: str, issued_on: date | None, office: str) -> Header:
    unit = figures.unit
    year = issued_on.year if issued_on else int(figures.period[:4])
    return Header(
        parent_body=f"{COMMITTEE} {clean(unit.name).upper()}",
        issuing_body=clean(office).strip().upper(),
        number=number_line(number_text, NUMBER_SUFFIX),
        place_date=place_date(clean(place).strip() or clean(unit.short_name), issued_on, year),
    )


# I. Reports received


def completeness_blocks(figures: Figures) -> list[Paragraph]:
    done = figures.completeness
    blocks = [Paragraph(level1_heading("I", f"Tình hình báo cáo của các {COMMUNES}"), "heading1")]
    if not done.expected:
        blocks.append(Paragraph(f"Trong kỳ báo cáo không có {COMMUNES} nào phải gửi báo cáo."))
    else:
        received = f"{done.received}/{done.expected} {COMMUNES}"
        if done.percent is not None:
            received += f" ({percent(done.percent)})"
        blocks.append(Paragraph(
            f"Tổng số {COMMUNES} phải báo cáo: {done.expected}. Đã nhận báo cáo của {received}, "
            f"trong đó {done.on_time} đơn vị gửi đúng hạn."))
    missing = [name for name in (clean(name).strip() for name in figures.missing) if name]
    if missing:
        blocks.append(Paragraph(f"Các {COMMUNES} chưa gửi báo cáo ({len(missing)}): {', '.join(missing)}."))
    elif done.expected and done.received >= done.expected:
        blocks.append(Paragraph(f"Tất cả các {COMMUNES} đã gửi báo cáo."))
    elif done.expected:
        blocks.append(Paragraph(f"Các {COMMUNES} còn lại chưa đến hạn gửi báo cáo."))
    computed = computed_line(figures)
    if computed:
        blocks.append(Paragraph(computed))
    return blocks


# II. Key figures


def _figure_row(position: str, name: str, column: Column, cell: Cell) -> tuple[str, ...]:
    return (position, name, clean(column.measure_unit), amount(cell.value), amount(cell.target),
            percent(cell.percent))


def figures_table(figures: Figures) -> Table | None:
    """One numbered line per indicator (its total), with its female line below when there is
    one; an indicator measured for women only is one line named `… (nữ)`."""
    by_code: dict[str, dict[str, Column]] = {}
    for column in figures.columns:
        by_code.setdefault(column.code, {})[column.sex] = column
    rows: list[tuple[str, ...]] = []
    for position, columns in enumerate(by_code.values(), start=1):
        total, female = columns.get(TOTAL), columns.get("female")
        if total is not None:
            rows.append(_figure_row(str(position), clean(total.name), total, figures.total.cell(total)))
            if female is not None:
                rows.append(_figure_row("", FEMALE_LINE, female, figures.total.cell(female)))
        elif female is not None:
            rows.append(_figure_row(str(position), clean(female.name) + FEMALE_SUFFIX, female,
                                    figures.total.cell(female)))
        else:  # men only
            for index, column in enumerate(columns.values()):
                rows.append(_figure_row("" if index else str(position), clean(column.name) + MALE_SUFFIX,
                                        column, figures.total.cell(column)))
    if not rows:
        return None
    return Table(FIGURE_COLUMNS, tuple(rows), FIGURE_WIDTHS, right=(3, 4, 5), centre=(0, 2))


def main_column(figures: Figures) -> Column | None:
    """The main comparison: the first total column (else the first column)."""
    return next((column for column in figures.columns if column.sex == TOTAL),
                figures.columns[0] if figures.columns else None)


def _district_short(name: str) -> str:
    return _DIVISION_PREFIX.sub("", clean(name).strip())


def chart_block(figures: Figures) -> Image | None:
    """The main column ranked across the communes, as a picture sized to stay on one page."""
    column = main_column(figures)
    if column is None or not figures.communes:
        return None
    several_districts = len({line.district for line in figures.communes}) > 1
    bars = []
    for line in figures.communes:
        label = clean(line.row.name)
        if several_districts:
            label += f" ({_district_short(line.district)})"
        value = line.row.cell(column).value
        bars.append((label, None if value is None else float(value)))
    if all(value is None for _, value in bars):
        return None
    bars = chart.ranked(bars)
    label = period_label(figures.period)
    caption = f"Biểu đồ: {clean(column.name)} của các {COMMUNES}, {label}"
    if len(bars) > CHART_MAX_BARS:
        caption += f" ({CHART_MAX_BARS} đơn vị có kết quả cao nhất trên tổng số {len(bars)})"
        bars = bars[:CHART_MAX_BARS]
    title = clean(column.name) + (f" ({clean(column.measure_unit)})" if column.measure_unit else "")
    png = chart.ranking_png(title, bars, width_px=CHART_WIDTH_PX)
    with PILImage.open(io.BytesIO(png)) as picture:
        width_px, height_px = picture.size
    width_mm = min(CHART_WIDTH_MM, layout.TEXT_WIDTH, CHART_MAX_HEIGHT_MM * width_px / height_px)
    return Image(png=png, width_mm=width_mm, caption=caption)


def figure_blocks(figures: Figures) -> list[Paragraph | Table | Image]:
    blocks: list[Paragraph | Table | Image] = [
        Paragraph(level1_heading("II", "Kết quả thực hiện các chỉ tiêu"), "heading1")]
    table = figures_table(figures)
    if table is None:
        blocks.append(Paragraph("Trong kỳ báo cáo chưa có chỉ tiêu nào được tổng hợp."))
        return blocks
    blocks.append(Paragraph(f"Kết quả thực hiện các chỉ tiêu trên địa bàn {in_text(figures.unit.name)}, "
                            f"{period_label(figures.period)}:"))
    blocks.append(table)
    picture = chart_block(figures)
    if picture is not None:
        blocks.append(picture)
    return blocks


# III. Assessment


def narrative_blocks(figures: Figures, narrative: list[str]) -> list[Paragraph]:
    blocks = [Paragraph(level1_heading("III", "Đánh giá chung và kiến nghị"), "heading1")]
    lines = [line.strip() for text in narrative for line in clean(text).splitlines() if line.strip()]
    if not lines:
        lines = [f"Trên đây là báo cáo {SUBJECT.lower()} {in_text(period_label(figures.period))} "
                 f"trên địa bàn {in_text(figures.unit.name)}./."]
    blocks += [Paragraph(line) for line in lines]
    return blocks


def signature_of(signer_title: str, signer_name: str, recipients: list[str]) -> Signature:
    """`KT. TRƯỞNG PHÒNG` over `PHÓ TRƯỞNG PHÒNG` (two lines given, or `PHÓ TRƯỞNG PHÒNG` alone),
    or `TRƯỞNG PHÒNG` alone."""
    lines = [line.strip().upper() for line in clean(signer_title).splitlines() if line.strip()]
    if len(lines) >= 2:
        authority, title = lines[0], " ".join(lines[1:])
    elif lines and lines[0].startswith("PHÓ "):
        authority, title = "KT. " + lines[0][len("PHÓ "):], lines[0]
    elif lines and lines[0].startswith("KT. "):
        authority, title = lines[0], "PHÓ " + lines[0][len("KT. "):]
    else:
        authority, title = (lines[0] if lines else ""), ""
    given = [line for line in (clean(line).strip() for line in recipients) if line]
    return Signature(recipients=tuple(recipient_line(line) for line in given or DEFAULT_RECIPIENTS),
                     authority=authority, title=title, name=clean(signer_name).strip())


def describe(figures: Figures, narrative: list[str], number: str, place: str, issued_on: date | None,
             signer_title: str, signer_name: str, recipients: list[str], *, office: str = OFFICE) -> Document:
    blocks = [*completeness_blocks(figures), *figure_blocks(figures), *narrative_blocks(figures, narrative)]
    return Document(
        header=header_of(figures, number, place, issued_on, office),
        summary=subject_of(figures.period),
        blocks=tuple(blocks),
        signature=signature_of(signer_title, signer_name, recipients),
        document_type=DOCUMENT_TYPE,
    )


def render(figures: Figures, narrative: list[str], number: str, place: str, issued_on: date | None,
           signer_title: str, signer_name: str, recipients: list[str], *, office: str = OFFICE) -> bytes:
    """The report as a Word file."""
    return docx.write(describe(figures, narrative, number, place, issued_on, signer_title, signer_name,
                               recipients, office=office))
