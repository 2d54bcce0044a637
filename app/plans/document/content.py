"""The plan as an official document (Nghị định 30/2020/NĐ-CP), described once, format-neutral.

`describe(plan)` gives the header, the title, the body blocks in order and the signature;
the DOCX, the PDF and the HTML print view all draw this description, so the three outputs
cannot drift apart. Every text here is plain text (NFC): the writers never interpret it.
"""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.numbering import numbered_sections
from app.org_units.models import OrgUnit
from app.plans.models import Plan, PlanActivity, PlanSection, Sex
from app.text import nfc

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_TYPE = "KẾ HOẠCH"
NUMBER_SUFFIX = "/KH-UBND"
COMMITTEE = "UBND"
NO_VALUE = "–"
ACTIVITY_COLUMNS = ("TT", "Nội dung hoạt động", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian",
                    "Kinh phí (đồng)", "Nguồn kinh phí")
# Relative widths: the activity's name takes the most room.
ACTIVITY_WIDTHS = (6, 27, 14, 15, 11, 14, 13)
TARGET_COLUMNS = ("TT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu năm", "Trong đó nữ")
TARGET_WIDTHS = (6, 50, 14, 15, 15)
# Characters Word's XML cannot hold (C0 controls but tab and newline), dropped from user text.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Numbering a user may have typed into a heading; the document numbers headings itself.
_LEVEL1_NUMBER = re.compile(r"^[IVXLC]+\.\s*")
_LEVEL2_NUMBER = re.compile(r"^\d+\.\s*")
_NUMBER_PREFIX = re.compile(r"^số\s*:?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Header:
    parent_body: str  # "UBND HUYỆN NHƯ XUÂN" (empty for a unit without a parent)
    issuing_body: str  # "UBND XÃ BÌNH LƯƠNG", bold
    number: str  # "Số: 45/KH-UBND"
    place_date: str  # "Bình Lương, ngày 05 tháng 5 năm 2023", italic
    nation: str = NATION
    motto: str = MOTTO


@dataclass(frozen=True)
class Paragraph:
    """`style` is one of: body, legal_basis, heading1, heading2, subheading."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    # Columns aligned right (numbers) and centred (TT, units).
    right: tuple[int, ...] = ()
    centre: tuple[int, ...] = (0,)


@dataclass(frozen=True)
class Image:
    """A picture (a chart) centred on the text width, with an optional caption below it."""

    png: bytes
    width_mm: float
    caption: str = ""


@dataclass(frozen=True)
class Signature:
    recipients: tuple[str, ...]  # each "- …;", the list under "Nơi nhận:"
    authority: str  # "TM. ỦY BAN NHÂN DÂN"
    title: str  # "CHỦ TỊCH"
    name: str
    recipients_heading: str = "Nơi nhận:"


@dataclass(frozen=True)
class Document:
    header: Header
    summary: str
    blocks: tuple[Paragraph | Table | Image, ...]
    signature: Signature
    document_type: str = DOCUMENT_TYPE


def clean(text: str | None) -> str:
    """User text as the document writes it: NFC, without unwritable control characters."""
    return _UNWRITABLE.sub("", nfc(text or "")).replace("\t", " ")


def place_date(place: str, when: date | None, year: int) -> str:
    """`Bình Lương, ngày 05 tháng 5 năm 2023`: days 1–9 and months 1–2 take a leading zero
    (Nghị định 30, Phụ lục I); without a date the blanks are left to fill by hand."""
    if when is None:
        dated = f"ngày … tháng … năm {year}"
    else:
        month = f"{when.month:02d}" if when.month <= 2 else str(when.month)
        dated = f"ngày {when.day:02d} tháng {month} năm {when.year}"
    return f"{place}, {dated}" if place else dated


def bare_number(document_number: str) -> str:
    """The number without a "Số:" typed before it: `Số: 45/KH-UBND` → `45/KH-UBND`."""
    return _NUMBER_PREFIX.sub("", clean(document_number).strip())


def number_line(document_number: str, suffix: str = NUMBER_SUFFIX) -> str:
    """`Số: 45/KH-UBND`; a bare number takes the suffix; blank leaves room to write it by hand.
    A "Số:" typed before the number is not written twice."""
    number = bare_number(document_number)
    if not number:
        return f"Số:      {suffix}"
    if number.isdigit():
        number += suffix
    return f"Số: {number}"


def month_ranges(months: list[int]) -> str:
    """[3, 4, 5, 6, 9] → `Tháng 3–6, 9`."""
    if not months:
        return ""
    runs: list[list[int]] = []
    for month in sorted(set(months)):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs]
    return "Tháng " + ", ".join(parts)


def vietnamese_number(value: Decimal | int | None) -> str:
    """15000000 → `15.000.000`; 12.5 → `12,5` (dots group thousands, the comma is decimal)."""
    if value is None:
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    whole, _, fraction = f"{number.normalize():f}".partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + fraction


def amount(value: Decimal | float | None, decimals: int = 2) -> str:
    """`1.234`, `3.456,5`; at most `decimals` decimals; `–` for no value."""
    if value is None:
        return NO_VALUE
    return vietnamese_number(Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals)))


def percent(value: Decimal | None) -> str:
    """`45,5%`, `100%`; `–` when there is no target to compare with."""
    return NO_VALUE if value is None else f"{amount(value, 1)}%"


def in_text(name: str) -> str:
    """`Huyện Như Xuân` → `huyện Như Xuân`, inside a sentence."""
    name = clean(name).strip()
    return name[:1].lower() + name[1:]


def _committee(name: str) -> str:
    return f"{COMMITTEE} {clean(name).upper()}"


def unit_header(unit: OrgUnit, number: str, place: str, when: date | None, year: int) -> Header:
    """The header of a document the unit's People's Committee issues: its parent's committee
    above its own, the number, and the place (the unit's short name if none is given) and date."""
    parent = unit.parent
    return Header(
        parent_body=_committee(parent.name) if parent is not None else "",
        issuing_body=_committee(unit.name),
        number=number,
        place_date=place_date(clean(place or unit.short_name), when, year),
    )


def header_of(plan: Plan) -> Header:
    return unit_header(plan.unit, number_line(plan.document_number), plan.place, plan.document_date, plan.year)


def level1_heading(number: str, heading: str) -> str:
    text = _LEVEL1_NUMBER.sub("", clean(heading).strip()).upper()
    return f"{number}. {text}" + ("" if text.endswith(":") else ":")


def level2_heading(number: str, heading: str) -> str:
    return f"{number}. {_LEVEL2_NUMBER.sub('', clean(heading).strip())}"


def activities_table(activities: list[PlanActivity]) -> Table | None:
    if not activities:
        return None
    rows = tuple(
        (str(position), clean(activity.name), clean(activity.lead_body), clean(activity.supporting_bodies),
         month_ranges(activity.month_list), vietnamese_number(activity.budget_vnd),
         clean(activity.funding_source))
        for position, activity in enumerate(activities, start=1)
    )
    return Table(ACTIVITY_COLUMNS, rows, ACTIVITY_WIDTHS, right=(5,), centre=(0, 4))


def targets_table(plan: Plan) -> Table | None:
    rows = []
    for indicator in plan.template.indicators:
        total = plan.target(indicator.id, None)
        female = plan.target(indicator.id, Sex.FEMALE.value) if indicator.by_sex else None
        if total is None and female is None:
            continue
        female_text = vietnamese_number(female.value) if female is not None else (
            "" if indicator.by_sex else NO_VALUE)
        rows.append((str(len(rows) + 1), clean(indicator.name), clean(indicator.measure_unit),
                     vietnamese_number(total.value) if total is not None else "", female_text))
    if not rows:
        return None
    return Table(TARGET_COLUMNS, tuple(rows), TARGET_WIDTHS, right=(3, 4), centre=(0, 2))


def _paragraphs(text_lines: list[str], style: str = "body") -> list[Paragraph]:
    return [Paragraph(clean(line), style) for line in text_lines]


def _targets_blocks(plan: Plan) -> list[Paragraph | Table]:
    table = targets_table(plan)
    if table is None:
        return []
    return [Paragraph(f"Các chỉ tiêu năm {plan.year}:", "subheading"), table]


def _last_area_index(sections: list[PlanSection]) -> int:
    """Where the targets go: after the last content area (level 2), else after the last section."""
    areas = [index for index, section in enumerate(sections) if section.level >= 2]
    return areas[-1] if areas else len(sections) - 1


def section_blocks(plan: Plan) -> list[Paragraph | Table]:
    blocks: list[Paragraph | Table] = []
    sections = list(plan.sections)
    targets_after = _last_area_index(sections)
    for index, (number, section) in enumerate(numbered_sections(sections)):
        if section.level <= 1:
            blocks.append(Paragraph(level1_heading(number, section.heading), "heading1"))
        else:
            blocks.append(Paragraph(level2_heading(number, section.heading), "heading2"))
        blocks.extend(_paragraphs(section.paragraphs))
        if section.level >= 2:
            table = activities_table([a for a in plan.activities if a.section_key == section.key])
            if table is not None:
                blocks.append(table)
        if index == targets_after:
            blocks.extend(_targets_blocks(plan))
    if not sections:
        blocks.extend(_targets_blocks(plan))
    return blocks


def recipient_line(line: str) -> str:
    line = clean(line).strip()
    return line if line.startswith(("-", "–")) else f"- {line}"


def describe(plan: Plan) -> Document:
    blocks: list[Paragraph | Table] = [
        *_paragraphs(plan.legal_basis_lines, "legal_basis"),
        *_paragraphs(_lines_of(plan.introduction)),
        *section_blocks(plan),
        *_paragraphs(_lines_of(plan.closing)),
    ]
    signature = Signature(
        recipients=tuple(recipient_line(line) for line in plan.recipient_lines),
        authority=clean(plan.signer_authority), title=clean(plan.signer_title), name=clean(plan.signer_name),
    )
    return Document(header=header_of(plan), summary=clean(plan.title), blocks=tuple(blocks),
                    signature=signature)


def _lines_of(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
