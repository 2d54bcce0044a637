"""The demo's progress reports: 2023Q1–Q3 on the district's approved 2023 plans, so that the
comparison page tells a story on first run. Most reports are accepted; a few wait for the
district, a few were returned with a comment, some came in late and some periods are still
missing. Bình Lương has Q1 and Q2 accepted and no Q3: the walk-through writes that one.

Reports are made through the report services as the commune's editor and leader and the
district's officer would make them. Figures are pseudo-random around a quarter of the plan's
targets, seeded by the commune's code so every load gives the same demo. Call in a system
scope; flushes, the caller commits.
"""
import random
from collections.abc import Callable
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from app import periods
from app.auth.models import User
from app.demo import history
from app.demo import nhu_xuan_2023 as content
from app.extensions import db
from app.org_units.models import OrgUnit
from app.org_units.queries import children_of
from app.plan_templates.models import TemplateIndicator, TimeAggregation
from app.plans.models import Plan, PlanActivity
from app.reports import services as report_services
from app.reports.models import ActivityProgress, Report, ReportStatus
from app.reports.workflow import ReportAction
from app.rollups import rebuild as rollup_rebuild

QUARTERS = ("2023Q1", "2023Q2", "2023Q3")
ON_TIME_ACCEPTED = ("accepted",) * len(QUARTERS)
# What became of each commune's 2023Q1–Q3 reports: a status, " late" when it came in after
# the deadline, None when it is not written yet. Communes not listed (with an approved plan)
# sent everything on time and had it accepted.
STORY: dict[str, tuple[str | None, ...]] = {
    content.BINH_LUONG_CODE: ("accepted", "accepted", None),
    "16207": ("accepted", "accepted", "submitted"),  # Thanh Quân
    "16177": ("accepted", "accepted late", "accepted"),  # Bãi Trành
    "16183": ("accepted", "returned", "submitted late"),  # Xuân Bình
    "16186": ("accepted late", None, None),  # Hóa Quỳ
    "16198": ("accepted", "accepted", "returned"),  # Cát Tân
    "16210": ("accepted", "accepted", "returned late"),  # Thanh Xuân
    "16216": ("accepted", "accepted", None),  # Thanh Phong
    "16219": ("accepted", "accepted late", "accepted late"),  # Thanh Lâm
}
RETURN_COMMENTS = (
    "Đề nghị xã bổ sung số liệu người được truyền thông chia theo nam, nữ.",
    "Kinh phí đã chi chưa khớp với các hoạt động đã thực hiện, đề nghị xã rà soát lại.",
    "Đề nghị xã ghi rõ kết quả các hoạt động đang triển khai.",
)

# What each quarter's report says of itself (its part III), by quarter: the same in every
# commune, so that drawing them takes nothing from the figures' random sequence.
ASSESSMENTS = (
    "Các ban, ngành, đoàn thể đã triển khai kế hoạch ngay từ đầu năm; hệ thống loa phát thanh của xã "
    "phát đều các tin bài về bình đẳng giới.\n"
    "Khó khăn: một số thôn xa trung tâm, người dân tham gia hội nghị còn ít.\n"
    "Kiến nghị: đề nghị Phòng LĐTBXH huyện cấp thêm tài liệu tuyên truyền bằng tranh gấp.",
    "Các hoạt động truyền thông và tập huấn được thực hiện đúng tiến độ; tỷ lệ nữ tham gia các buổi "
    "truyền thông tăng so với quý trước.\n"
    "Kiến nghị: đề nghị huyện tổ chức tập huấn kỹ năng lồng ghép giới cho cán bộ thôn.",
    "Mô hình can thiệp giảm thiểu bạo lực trên cơ sở giới ở thôn được duy trì; kinh phí được sử dụng "
    "đúng mục đích.\n"
    "Khó khăn: kinh phí hỗ trợ cộng tác viên còn hạn chế.\n"
    "Kiến nghị: đề nghị huyện hỗ trợ kinh phí nhân rộng mô hình sang các thôn có nguy cơ cao.",
)


def load_demo_reports(district: OrgUnit, username_of: Callable[[OrgUnit, str], str]) -> list[Report]:
    """Write the story once; nothing when the district's communes already have reports."""
    communes = children_of(district)
    if db.session.execute(db.select(Report.id).where(
            Report.unit_id.in_([commune.id for commune in communes]))).first():
        return []
    officer = _user(username_of(district, "officer"))
    reports: list[Report] = []
    for commune in communes:
        plan = db.session.execute(db.select(Plan).where(
            Plan.unit_id == commune.id, Plan.year == content.YEAR)).scalar_one_or_none()
        if plan is None or not report_services.is_reportable(plan):
            if commune.code in STORY:
                raise LookupError(f"the demo commune {commune.code} has no approved plan to report on")
            continue
        rng = random.Random(int(commune.code))
        editor, leader = (_user(username_of(commune, role)) for role in ("editor", "leader"))
        for quarter, outcome in enumerate(STORY.get(commune.code, ON_TIME_ACCEPTED), start=1):
            if outcome is not None:
                reports.append(_write_report(plan, quarter, outcome, rng, editor, leader, officer))
    db.session.flush()
    return reports


def rebuild_rollups(district: OrgUnit) -> None:
    """Compute the district's rollups from the reports at once, and drop the refresh tasks the
    submissions queued: a worker would otherwise spend its first seconds redoing this."""
    from tasks import discard_sends_of
    from tasks.rollups import refresh_rollups

    rollup_rebuild.rebuild(district)
    discard_sends_of(refresh_rollups)


def _user(username: str) -> User:
    return db.session.execute(db.select(User).where(User.username == username)).scalar_one()


def _write_report(plan: Plan, quarter: int, outcome: str, rng: random.Random,
                  editor: User, leader: User, officer: User) -> Report:
    status, _space, lateness = outcome.partition(" ")
    report = report_services.create_report(plan, QUARTERS[quarter - 1], editor)
    activities = [_activity_progress(activity, quarter) for activity in plan.activities]
    spent = sum(item["budget_spent"] or 0 for item in activities)
    report_services.update_report(report, editor, report.version, {
        "values": indicator_values(plan, quarter, rng, spent), "activities": activities,
        "assessment": ASSESSMENTS[quarter - 1], "document_number": document_number(plan, quarter)})
    report_services.perform(report, ReportAction.SUBMIT, leader, report.version)
    if status == ReportStatus.ACCEPTED:
        report_services.perform(report, ReportAction.ACCEPT, officer, report.version)
    elif status == ReportStatus.RETURNED:
        report_services.perform(report, ReportAction.RETURN, officer, report.version,
                                rng.choice(RETURN_COMMENTS))
    backdate(report, late=lateness == "late", rng=rng)
    return report


def document_number(plan: Plan, quarter: int) -> str:
    """The number the commune's office gave the report: its documents are numbered through the
    year, a few dozen a quarter (from the commune's code, not the random sequence)."""
    return f"{quarter * 23 - 11 + int(plan.unit.code) % 9}/BC-UBND"


def backdate(report: Report, late: bool, rng: random.Random) -> None:
    """Demo data only: `perform("submit")` judges lateness by today's date, so a demo loaded
    after 2023 would have every report late. Put each submission where the story wants it:
    on time a few days after the quarter's end, or late some days after the deadline; and the
    district's decision a few days after that."""
    period = periods.parse(report.period)
    deadline = period.deadline(report.plan.template.report_deadline_days)
    day = (deadline + timedelta(days=rng.randint(3, 20)) if late
           else period.end + timedelta(days=rng.randint(2, (deadline - period.end).days)))
    submitted_at = history.at(day, rng.randint(1, 9), rng.randint(0, 59))
    report.created_at = submitted_at - timedelta(days=rng.randint(2, 6))
    report.submitted_at = submitted_at
    report.late = late
    if report.decided_at is not None:
        report.decided_at = submitted_at + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 6))
    # Written when it was made, filled in the next day, submitted and decided as it says.
    history.rewrite_log("report", report.id, {
        "created": report.created_at, "submit": report.submitted_at, "accept": report.decided_at,
        "return": report.decided_at})
    db.session.flush()


def _around(number: Decimal, rng: random.Random) -> Decimal:
    """`number` give or take 30 %, whole; large sums (đồng) in hundreds of thousands."""
    step = Decimal(100_000) if number >= 1_000_000 else Decimal(1)
    value = number * Decimal(rng.uniform(0.7, 1.3)) / step
    return value.quantize(Decimal(1), ROUND_HALF_UP) * step


def _ratios(indicator: TemplateIndicator) -> list[TemplateIndicator]:
    return [other for other in indicator.template.indicators if other.is_ratio]


def _is_numerator(indicator: TemplateIndicator) -> bool:
    return any(ratio.numerator_code == indicator.code for ratio in _ratios(indicator))


def _is_denominator(indicator: TemplateIndicator) -> bool:
    return any(ratio.denominator_code == indicator.code for ratio in _ratios(indicator))


def indicator_values(plan: Plan, quarter: int, rng: random.Random, spent: int) -> list[dict]:
    """A value for every indicator, by sex where it is entered by sex. A summed indicator gets
    about a quarter of its target (the budget spent is what the activities spent, when they
    spent anything); a ratio's denominator (key officials) is its target and its numerator
    (women among them) near it; another `last` one (villages with a model) grows towards its
    target over the year. A ratio is not typed: the report computes it from its numerator and
    denominator."""
    values: list[dict] = []
    for indicator in plan.template.indicators:
        if indicator.is_ratio:
            continue
        for sex in ("male", "female") if indicator.by_sex else (None,):
            target = plan.approved_target(indicator.id, sex)
            goal = target.value if target is not None else Decimal(0)
            if indicator.time_aggregation != TimeAggregation.LAST:
                value = Decimal(spent) if indicator.code == "KP01" and spent else _around(goal / 4, rng)
            elif _is_denominator(indicator):
                value = goal
            elif _is_numerator(indicator):
                value = max(goal + rng.choice((-1, 0, 0, 1)), Decimal(0))
            else:
                value = min(goal, _around(goal * quarter / 4, rng))
            values.append({"indicator": indicator.code, "sex": sex, "value": str(value)})
    return values


def _activity_progress(activity: PlanActivity, quarter: int) -> dict:
    """Done when all its months are over, in progress when some are; the budget spent is its
    budget's share for the months of this quarter."""
    months = activity.month_list
    last_month = quarter * 3
    over = [month for month in months if month <= last_month]
    this_quarter = [month for month in over if month > last_month - 3]
    if not months:
        progress = ActivityProgress.IN_PROGRESS if quarter > 1 else ActivityProgress.NOT_STARTED
    elif len(over) == len(months):
        progress = ActivityProgress.DONE
    else:
        progress = ActivityProgress.IN_PROGRESS if over else ActivityProgress.NOT_STARTED
    spent = None
    if activity.budget_vnd and this_quarter:
        spent = int(Decimal(activity.budget_vnd * len(this_quarter) / len(months)).quantize(
            Decimal("1E4"), ROUND_HALF_UP))
    notes = {ActivityProgress.DONE: "Đã thực hiện theo kế hoạch.",
             ActivityProgress.IN_PROGRESS: "Đang triển khai."}
    return {"activity": activity.id, "progress": progress.value, "note": notes.get(progress, ""),
            "budget_spent": spent}
