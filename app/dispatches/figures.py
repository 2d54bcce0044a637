"""The figures of an aggregated report sent upward: a unit's rollups for a period, read from
the comparison of its communes. Format-neutral: the workbook and the Word report draw them.

For a district, its communes; for a province, the communes of each district in turn (the
province-wide sheet). Read in a system scope: the report is the district office's, built by a
task, and names the communes below the unit only.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from app import periods
from app.org_units.models import Level, OrgUnit
from app.org_units.queries import children_by_parent, children_of
from app.periods import ZONE
from app.plan_templates.queries import published_templates
from app.rollups import comparison, timeliness
from app.rollups.comparison import Column, Completeness, Row
from app.text import vietnamese_sort_key


@dataclass(frozen=True)
class CommuneLine:
    district: str  # the name of the commune's parent ("Huyện Như Xuân")
    row: Row  # the commune's cells (value and target per column) and completeness


@dataclass(frozen=True)
class Figures:
    unit: OrgUnit  # whose report it is
    period: str  # "2023Q3"
    columns: list[Column]  # indicator × sex, in the template's order
    total: Row  # the unit's own figures and completeness
    communes: list[CommuneLine]  # every commune below, district by district, in name order
    missing: list[str]  # the communes whose report is missing past its deadline
    computed_at: datetime | None
    stale: bool  # newer data was waiting when the figures were read

    @property
    def completeness(self) -> Completeness:
        return self.total.completeness


SUBJECT = "Kết quả thực hiện công tác bình đẳng giới"


def period_label(period_id: str) -> str:
    """"Quý III năm 2023", "6 tháng đầu năm 2023", "Năm 2023", "Tháng 4 năm 2023"."""
    period = periods.parse(period_id)
    if period.type == "quarter":
        return f"Quý {'I II III IV'.split()[int(period_id[-1]) - 1]} năm {period.year}"
    if period.type == "six_months":
        half = "đầu" if period_id.endswith("S1") else "cuối"
        return f"6 tháng {half} năm {period.year}"
    if period.type == "month":
        return f"Tháng {int(period_id[4:])} năm {period.year}"
    return f"Năm {period.year}"


def subject_of(period_id: str) -> str:
    """`Kết quả thực hiện công tác bình đẳng giới Quý III năm 2023` (`… năm 2023` for a year):
    the summary of a BÁO CÁO on the period, a district's or a commune's."""
    label = period_label(period_id)
    if label.startswith(("Năm ", "Tháng ")):
        label = label[0].lower() + label[1:]
    return f"{SUBJECT} {label}"


def computed_line(figures: Figures) -> str | None:
    """When the figures were computed, in Viet Nam, and whether newer reports wait (one text
    for the workbook and the Word report)."""
    if figures.computed_at is None:
        return None
    local = figures.computed_at.replace(tzinfo=UTC).astimezone(ZONE)  # stored as naive UTC
    line = f"Số liệu được tổng hợp lúc {local:%H:%M} ngày {local:%d/%m/%Y}."
    if figures.stale:
        line += " Một số báo cáo mới nhận chưa được tổng hợp vào số liệu dưới đây."
    return line


def figures_for(unit: OrgUnit, period_id: str, today: date | None = None) -> Figures:
    """The unit's figures for the period (call in a system scope). A province's communes are
    read at once, all districts together (`comparison.children_rows`): read district by
    district, each with its own total, columns and counts, a province's 549 took one and a half
    to two times as long."""
    templates = published_templates(periods.parse(period_id).year)
    today = today or periods.local_today()
    found = comparison.build_from(unit, period_id, templates, today)
    districts = [child for child in children_of(unit) if child.level != Level.COMMUNE]
    if not districts:
        sections = [(unit, found.rows, found.issues)]
    else:
        communes_of = children_by_parent(districts)
        read = comparison.children_rows([commune for communes in communes_of.values() for commune in communes],
                                        period_id)
        rows_of = {row.code: row for row in read.rows}
        sections = [(district, [rows_of[commune.code] for commune in communes_of[district.id]],
                     timeliness.issues_of(read.report_cells(communes_of[district.id], today), period_id))
                    for district in districts]
    communes, missing = [], []
    for district, rows, issues in sections:
        rows = sorted(rows, key=lambda row: vietnamese_sort_key(row.name))
        communes += [CommuneLine(district.name, row) for row in rows]
        missing += sorted({issue.unit_name for issue in issues if issue.state == timeliness.MISSING},
                          key=vietnamese_sort_key)
    return Figures(unit=unit, period=period_id, columns=found.columns, total=found.totals,
                   communes=communes, missing=missing, computed_at=found.computed_at, stale=found.stale)
