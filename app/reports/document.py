"""A commune's progress report as the official BÁO CÁO its People's Committee signs and sends
to the district (Nghị định 30/2020/NĐ-CP), in Word, PDF and a print view.

Described with the plan's format-neutral blocks (app/plans/document/content.py) and drawn by
the same writers, so the plan, this report and the district's report share one header, one
title block and one signature. Outline:

    (opening)  which plan it reports on, and for which period;
    I.   the indicators: the period's figure, the year so far, the year's target and the
         share of it achieved, each with its women's line where entered by sex;
    II.  the activities: progress, note, planned budget and the budget spent;
    III. the commune's assessment and proposals, when it wrote them;
    (closing)  the customary last sentence, then the plan's recipients and signer.

The document is always in Vietnamese, whatever the page's language: it is the committee's.
"""
from datetime import date

from app import periods
from app.dispatches.figures import SUBJECT, period_label, subject_of
from app.plan_templates.models import ValueType
from app.plans.document import unit_slug
from app.plans.document.content import (
    NO_VALUE,
    Document,
    Paragraph,
    Signature,
    Table,
    amount,
    clean,
    in_text,
    level1_heading,
    number_line,
    percent,
    recipient_line,
    unit_header,
)
from app.plans.models import Sex
from app.reports.models import ActivityProgress, Report
from app.reports.year_to_date import year_so_far
from app.rollups.comparison import Cell

DOCUMENT_TYPE = "BÁO CÁO"
NUMBER_SUFFIX = "/BC-UBND"
COMMITTEE_WORDS = "Ủy ban nhân dân"
FEMALE_LINE = "Trong đó: nữ"
YES, NO = "Có", "Không"

# A report for part of a year shows the year so far beside the period; a year's report does not.
PART_COLUMNS = ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả trong kỳ", "Lũy kế từ đầu năm", "Kế hoạch năm",
                "Tỷ lệ đạt")
PART_WIDTHS = (6, 35, 10, 13, 13, 13, 10)
YEAR_COLUMNS = ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện", "Kế hoạch năm", "Tỷ lệ đạt")
YEAR_WIDTHS = (6, 42, 10, 15, 15, 12)
ACTIVITY_COLUMNS = ("TT", "Nội dung hoạt động", "Tiến độ", "Ghi chú", "Kinh phí kế hoạch (đồng)",
                    "Kinh phí đã chi (đồng)")
ACTIVITY_WIDTHS = (6, 34, 14, 20, 13, 13)
PROGRESS_WORDS = {
    ActivityProgress.NOT_STARTED: "Chưa thực hiện",
    ActivityProgress.IN_PROGRESS: "Đang thực hiện",
    ActivityProgress.DONE: "Đã hoàn thành",
    ActivityProgress.CANCELLED: "Không thực hiện",
}
TOTAL_LINE = "Tổng cộng"
DEFAULT_RECIPIENTS = ("Lưu: VT.",)


def describe(report: Report) -> Document:
    """The report's document, with its plan's other reports for the year so far."""
    plan = report.plan
    submitted_on = periods.local_today(report.submitted_at) if report.submitted_at else None
    header = unit_header(report.unit, number_line(report.document_number, NUMBER_SUFFIX), plan.place, submitted_on,
                         periods.parse(report.period).year)
    blocks = [_opening(report), *_indicator_blocks(report, year_so_far(report)), *_activity_blocks(report),
              *_assessment_blocks(report), _closing(report)]
    given = [line for line in (clean(line).strip() for line in plan.recipient_lines) if line]
    signature = Signature(recipients=tuple(recipient_line(line) for line in given or DEFAULT_RECIPIENTS),
                          authority=clean(plan.signer_authority), title=clean(plan.signer_title),
                          name=clean(plan.signer_name))
    return Document(header=header, summary=subject_of(report.period), blocks=tuple(blocks), signature=signature,
                    document_type=DOCUMENT_TYPE)


def _committee_of(report: Report) -> str:
    """`Ủy ban nhân dân xã Bình Lương`, inside a sentence."""
    return f"{COMMITTEE_WORDS} {in_text(report.unit.name)}"


def _dated(when: date) -> str:
    """`05/5/2023`: as in a document's date line, days 1–9 and months 1–2 take a leading zero."""
    month = f"{when.month:02d}" if when.month <= 2 else str(when.month)
    return f"{when.day:02d}/{month}/{when.year}"


def _opening(report: Report) -> Paragraph:
    plan = report.plan
    reference = "Kế hoạch"
    number = clean(plan.document_number).strip()
    if number:
        reference += f" số {number}"
    if plan.document_date:
        reference += f" ngày {_dated(plan.document_date)}"
    committee = _committee_of(report)
    title = in_text(plan.title)
    about = f" về việc {title}" if title else ""
    return Paragraph(f"Thực hiện {reference} của {committee}{about}; {committee} báo cáo kết quả thực hiện "
                     f"{in_text(period_label(report.period))} như sau:")


def _closing(report: Report) -> Paragraph:
    return Paragraph(f"Trên đây là báo cáo {in_text(SUBJECT)} {in_text(period_label(report.period))} "
                     f"của {_committee_of(report)}./.")


# I. Indicators


def _shown(indicator, value) -> str:
    if indicator.value_type == ValueType.BOOLEAN and value is not None:
        return YES if value else NO
    return amount(value)


def _indicator_blocks(report: Report, to_date: dict | None) -> list[Paragraph | Table]:
    """`to_date`: the year so far by (indicator id, sex); None for a year's report."""
    blocks: list[Paragraph | Table] = [Paragraph(level1_heading("I", "Kết quả thực hiện các chỉ tiêu"), "heading1")]
    indicators = list(report.plan.template.indicators)
    if not indicators:
        blocks.append(Paragraph("Kế hoạch không có chỉ tiêu nào."))
        return blocks
    for_a_part = to_date is not None
    rows: list[tuple[str, ...]] = []
    for position, indicator in enumerate(indicators, start=1):
        lines = [(str(position), clean(indicator.name), None)]
        if indicator.by_sex:
            lines.append(("", FEMALE_LINE, Sex.FEMALE.value))
        for number, name, sex in lines:
            saved = report.value(indicator.id, sex)
            value = saved.value if saved is not None else None
            target = report.plan.approved_target(indicator.id, sex)
            target_value = target.value if target is not None else None
            achieved = to_date.get((indicator.id, sex)) if for_a_part else value
            cells = [_shown(indicator, value)]
            if for_a_part:
                cells.append(_shown(indicator, achieved))
            rows.append((number, name, clean(indicator.measure_unit), *cells, amount(target_value),
                         percent(Cell(achieved, target_value).percent)))
    if for_a_part:
        return [*blocks, Table(PART_COLUMNS, tuple(rows), PART_WIDTHS, right=(3, 4, 5, 6), centre=(0, 2))]
    return [*blocks, Table(YEAR_COLUMNS, tuple(rows), YEAR_WIDTHS, right=(3, 4, 5), centre=(0, 2))]


# II. Activities


def _activity_blocks(report: Report) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = [
        Paragraph(level1_heading("II", "Tiến độ thực hiện các hoạt động"), "heading1")]
    progress = sorted(report.activities, key=lambda row: (row.activity.position, row.activity_id))
    if not progress:
        blocks.append(Paragraph("Kế hoạch không có hoạt động nào."))
        return blocks
    rows = [(str(position), clean(row.activity.name), PROGRESS_WORDS.get(row.progress, NO_VALUE), clean(row.note),
             amount(row.activity.budget_vnd), amount(row.budget_spent_vnd))
            for position, row in enumerate(progress, start=1)]
    planned = [row.activity.budget_vnd for row in progress if row.activity.budget_vnd is not None]
    spent = [row.budget_spent_vnd for row in progress if row.budget_spent_vnd is not None]
    rows.append(("", TOTAL_LINE, "", "", amount(sum(planned) if planned else None),
                 amount(sum(spent) if spent else None)))
    blocks.append(Table(ACTIVITY_COLUMNS, tuple(rows), ACTIVITY_WIDTHS, right=(4, 5), centre=(0,)))
    return blocks


# III. Assessment


def _assessment_blocks(report: Report) -> list[Paragraph]:
    lines = [line.strip() for line in clean(report.assessment).splitlines() if line.strip()]
    if not lines:
        return []
    return [Paragraph(level1_heading("III", "Đánh giá chung và kiến nghị"), "heading1"),
            *[Paragraph(line) for line in lines]]


# The files


def render_docx(report: Report) -> bytes:
    from app.plans.document import docx

    return docx.write(describe(report))


def render_pdf(report: Report) -> bytes:
    from app.plans.document import pdf

    return pdf.write(describe(report))


def document_filename(report: Report, ext: str) -> str:
    """`bao-cao-2023q3-binh-luong.docx`."""
    return f"bao-cao-{report.period.lower()}-{unit_slug(report.unit)}.{ext}"
