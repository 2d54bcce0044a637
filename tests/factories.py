"""Factories for tests: build rows with sensible defaults; call inside a tenant scope."""
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import factory
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.auth.models import Role, User
from app.extensions import db
from app.org_units.models import Level, OrgUnit
from app.plan_templates.models import (
    Aggregation,
    Disaggregation,
    PlanTemplate,
    TemplateActivity,
    TemplateIndicator,
    TemplateSection,
    TemplateStatus,
    TimeAggregation,
    ValueType,
)
from app.plans import services as plan_services
from app.plans.models import Plan
from app.rollups.models import TOTAL, Rollup, RollupState
from app.task_runs.models import TaskRun

TEST_PASSWORD = "mật-khẩu-thử"
# Hashing with scrypt takes a while; every factory user shares one hash.
_TEST_PASSWORD_HASH = generate_password_hash(TEST_PASSWORD, method="scrypt")


class _Factory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class OrgUnitFactory(_Factory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.LazyAttribute(lambda unit: f"Xã Thử {unit.code}")
    division_type = "xã"
    level = Level.COMMUNE
    parent = None
    path = factory.LazyAttribute(
        lambda unit: f"{unit.parent.path if unit.parent else '/'}{unit.code}/"
    )


class UserFactory(_Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    password_hash = _TEST_PASSWORD_HASH
    role = Role.COMMUNE_EDITOR.value
    unit = None
    locale = "vi"


class TaskRunFactory(_Factory):
    class Meta:
        model = TaskRun

    celery_id = factory.Faker("uuid4")
    name = "import_org_units"
    unit = None


@dataclass
class Tree:
    province: OrgUnit
    district: OrgUnit  # Như Xuân
    commune: OrgUnit  # Bình Lương
    sibling_commune: OrgUnit  # Yên Cát, same district
    other_district: OrgUnit  # Như Thanh
    other_commune: OrgUnit  # Hải Long, other district


def make_tree() -> Tree:
    province = OrgUnitFactory(code="38", name="Tỉnh Thanh Hóa", division_type="tỉnh", level=Level.PROVINCE)
    district = OrgUnitFactory(code="402", name="Huyện Như Xuân", division_type="huyện",
                              level=Level.DISTRICT, parent=province)
    other_district = OrgUnitFactory(code="403", name="Huyện Như Thanh", division_type="huyện",
                                    level=Level.DISTRICT, parent=province)
    return Tree(
        province=province,
        district=district,
        commune=OrgUnitFactory(code="16204", name="Xã Bình Lương", parent=district),
        sibling_commune=OrgUnitFactory(code="16174", name="Thị trấn Yên Cát",
                                       division_type="thị trấn", parent=district),
        other_district=other_district,
        other_commune=OrgUnitFactory(code="16213", name="Xã Hải Long", parent=other_district),
    )


def make_users(tree: Tree) -> dict[str, User]:
    """Keys say role and place: `editor` is Bình Lương's, `other_district_officer` Như Thanh's."""
    specs = {
        "editor": (Role.COMMUNE_EDITOR, tree.commune),
        "leader": (Role.COMMUNE_LEADER, tree.commune),
        "sibling_editor": (Role.COMMUNE_EDITOR, tree.sibling_commune),
        "other_editor": (Role.COMMUNE_EDITOR, tree.other_commune),
        "officer": (Role.DISTRICT_OFFICER, tree.district),
        "district_admin": (Role.DISTRICT_ADMIN, tree.district),
        "other_district_officer": (Role.DISTRICT_OFFICER, tree.other_district),
        "other_district_admin": (Role.DISTRICT_ADMIN, tree.other_district),
        "province_viewer": (Role.PROVINCE_VIEWER, tree.province),
        "admin": (Role.ADMIN, None),
    }
    return {
        key: UserFactory(username=key.replace("_", "."), role=role.value, unit=unit)
        for key, (role, unit) in specs.items()
    }


class PlanTemplateFactory(_Factory):
    """A draft template with no content; `make_template` builds a complete one."""

    class Meta:
        model = PlanTemplate

    unit = None
    year = 2023
    revision = 1
    title = factory.LazyAttribute(lambda template: f"Công tác bình đẳng giới năm {template.year}")
    status = TemplateStatus.DRAFT


def make_template(unit: OrgUnit, year: int = 2023, published: bool = True, **fields) -> PlanTemplate:
    """A template shaped like the seed: I. purpose, II. content with two areas, III.
    organisation; two activities; three indicators (by sex, a percentage, a plain count)."""
    template = PlanTemplateFactory(
        unit=unit, year=year,
        legal_basis="Luật Bình đẳng giới năm 2006;\nCông văn số 659/UBND-LĐTBXH ngày 10/4/2023",
        introduction="Ủy ban nhân dân {unit} xây dựng kế hoạch với các nội dung sau:",
        closing="Trên đây là kế hoạch của UBND {unit}.",
        responsible_bodies="Ban chính sách\nBan văn hoá\nMTTQ\nHội LHPN",
        recipients="Phòng LĐTBXH huyện (b/c);\nLưu VT.",
        **{"status": TemplateStatus.PUBLISHED if published else TemplateStatus.DRAFT, **fields},
    )
    sections = [
        ("muc-dich", 1, "Mục đích yêu cầu", "Nâng cao hiệu quả quản lý nhà nước về bình đẳng giới trên địa bàn {unit}.", True),
        ("noi-dung", 1, "Nội dung thực hiện", "", False),
        ("tuyen-truyen", 2, "Tuyên truyền nâng cao nhận thức", "Tổ chức các hoạt động truyền thông.", True),
        ("nang-luc", 2, "Nâng cao năng lực quản lý nhà nước", "Tập huấn cho cán bộ xã, thôn.", True),
        ("to-chuc", 1, "Tổ chức thực hiện", "Ban chính sách tham mưu.", False),
    ]
    template.sections = [
        TemplateSection(key=key, position=position, level=level, heading=heading,
                        guidance="Hướng dẫn cho xã.", default_text=text, editable=editable,
                        unit_id=unit.id)
        for position, (key, level, heading, text, editable) in enumerate(sections)
    ]
    template.activities = [
        TemplateActivity(section_key="tuyen-truyen", position=0, unit_id=unit.id,
                         name="Tuyên truyền trên loa phát thanh", lead_body="Ban văn hoá"),
        TemplateActivity(section_key="nang-luc", position=1, unit_id=unit.id,
                         name="Tập huấn cán bộ thôn", lead_body="Ban chính sách"),
    ]
    template.indicators = [
        TemplateIndicator(code="TT01", name="Số người được truyền thông", measure_unit="người",
                          disaggregation=Disaggregation.SEX, position=0, unit_id=unit.id,
                          minimum_target=Decimal(100)),
        TemplateIndicator(code="CB01", name="Tỷ lệ nữ cán bộ xã", measure_unit="%",
                          value_type=ValueType.PERCENT, aggregation=Aggregation.AVERAGE,
                          time_aggregation=TimeAggregation.LAST, position=1, unit_id=unit.id),
        TemplateIndicator(code="TR01", name="Số tờ rơi phát ra", measure_unit="tờ",
                          position=2, unit_id=unit.id),
    ]
    if published:
        template.published_at = template.created_at
    db.session.flush()
    return template


def add_ratio(template: PlanTemplate, by_sex: bool = False) -> PlanTemplate:
    """The template with a percentage computed from two counts: TL01 = 100 × HS02 ÷ HS01
    (girls among the pupils; `by_sex`: each count and the ratio by sex too)."""
    unit_id, position = template.unit_id, len(template.indicators)
    disaggregation = Disaggregation.SEX if by_sex else Disaggregation.NONE
    template.indicators += [
        TemplateIndicator(code="HS01", name="Số học sinh", position=position, unit_id=unit_id,
                          disaggregation=disaggregation),
        TemplateIndicator(code="HS02", name="Số học sinh nữ", position=position + 1, unit_id=unit_id,
                          disaggregation=disaggregation),
        TemplateIndicator(code="TL01", name="Tỷ lệ học sinh nữ", value_type=ValueType.PERCENT,
                          aggregation=Aggregation.RATIO, numerator_code="HS02", denominator_code="HS01",
                          position=position + 2, unit_id=unit_id, disaggregation=disaggregation),
    ]
    db.session.flush()
    return template

def make_plan(template: PlanTemplate, unit: OrgUnit, user: User | None = None) -> Plan:
    """The commune's plan made from `template` through the service, as a user would."""
    return plan_services.create_plan(template, unit, user)


def submit_plan(plan: Plan, editor: User, leader: User, targets: dict | None = None) -> Plan:
    """Fill in what a submission needs and submit: a plan waiting for review. `targets`
    ({code: value}) replaces the default target of those indicators."""
    def default(indicator):
        return max(indicator.minimum_target or 0, 10) if indicator.value_type != ValueType.PERCENT else 30

    plan_services.update_plan(plan, editor, plan.version, {
        "document_number": "45/KH-UBND", "document_date": f"{plan.year}-05-05", "signer_name": "Lê Văn Bình",
        "targets": [{"indicator": indicator.code, "sex": None, "value": (targets or {}).get(indicator.code, default(indicator))}
                    for indicator in plan.template.indicators],
    })
    plan_services.perform(plan, "submit", leader, plan.version)
    return plan


def approve_plan(plan: Plan, editor: User, leader: User, officer: User, targets: dict | None = None) -> Plan:
    """`submit_plan`, then approved: a plan reports can be written on."""
    submit_plan(plan, editor, leader, targets)
    plan_services.perform(plan, "approve", officer, plan.version)
    return plan


def make_report(plan: Plan, period: str, values: dict, editor: User, leader: User,
                officer: User | None = None, accept: bool = True):
    """A report of `plan` for `period` with `values` ({code: value} or {(code, sex): value}),
    submitted by the leader and, with an officer and `accept`, accepted. Through the services."""
    from app.reports import services as report_services

    report = report_services.create_report(plan, period, editor)
    items = []
    for key, value in values.items():
        code, sex = key if isinstance(key, tuple) else (key, None)
        items.append({"indicator": code, "sex": sex, "value": value})
    report_services.update_report(report, editor, report.version, {"values": items})
    report_services.perform(report, "submit", leader, report.version)
    if accept and officer is not None:
        report_services.perform(report, "accept", officer, report.version)
    return report


def figure_saved_before_a_rule(report, code: str, sex: str | None, value) -> None:
    """A figure written as a save made before a rule left it (one sex alone, say), past the
    checks a save makes now."""
    from app.reports.models import ReportValue

    indicator = report.plan.template.indicator(code)
    db.session.add(ReportValue(report_id=report.id, unit_id=report.unit_id, indicator_id=indicator.id, sex=sex,
                               value=Decimal(value)))
    db.session.flush()
    db.session.expire(report, ["values"])


def stored_rollup(unit: OrgUnit, period: str, indicator_code: str, value, computed_at: datetime, *,
                  sex: str = TOTAL, target=None, reporting: int = 1, aggregation: str = "sum") -> Rollup:
    """A unit's stored row for one series, as a refresh would have written it (not added); a
    target given is the sum of every reporting commune's."""
    return Rollup(unit_id=unit.id, period=period, indicator_code=indicator_code, sex=sex, aggregation=aggregation,
                  value=None if value is None else Decimal(value), target=None if target is None else Decimal(target),
                  target_count=0 if target is None else reporting, reporting=reporting, computed_at=computed_at)


def put_rollup_state(unit: OrgUnit, period: str, expected: int, received: int, on_time: int,
                     computed_at: datetime, requested_at: datetime | None = None) -> RollupState:
    """A stored unit's completeness for the period, replacing the mark a report's refresh left."""
    state = db.session.execute(db.select(RollupState).where(
        RollupState.unit_id == unit.id, RollupState.period == period)).scalar_one_or_none()
    if state is None:
        state = RollupState(unit_id=unit.id, period=period)
        db.session.add(state)
    state.expected, state.received, state.on_time = expected, received, on_time
    state.computed_at, state.requested_at = computed_at, requested_at
    return state


def refresh_committed_elsewhere(commune: OrgUnit, district: OrgUnit, added: int) -> None:
    """What a refresh commits while a page reads: the commune's figures grow by `added` each,
    and the district's stored totals with them. Another connection commits it, as a worker would."""
    with db.engine.begin() as worker:
        worker.execute(sa.text("UPDATE report_values SET value = value + :added WHERE unit_id = :unit"),
                       {"added": added, "unit": commune.id})
        worker.execute(sa.text("UPDATE rollups SET value = value + :added WHERE unit_id = :unit"),
                       {"added": added, "unit": district.id})
