"""Test data for the rollup engine: a district whose template has one indicator of every
aggregation, its communes' approved plans with known targets, and a way to report figures
through the report services. (Not a conftest: the comparison pages' tests have their own.)"""
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db as _db
from app.org_units.models import Level, OrgUnit
from app.plan_templates.models import (
    Aggregation,
    Disaggregation,
    PlanTemplate,
    TemplateIndicator,
    TimeAggregation,
    ValueType,
)
from app.plans import services as plan_services
from app.plans.models import Plan
from app.rollups import queries as rollup_queries
from app.rollups import rebuild as rollup_rebuild
from app.rollups import services as rollup_services
from app.rollups.models import Rollup, RollupState
from tenants import system_scope
from tests.factories import (
    OrgUnitFactory,
    UserFactory,
    make_plan,
    make_report,
    make_template,
)

# code: (aggregation, value type, time aggregation, numerator, denominator)
EXTRA_INDICATORS = {
    "MN01": (Aggregation.MIN, ValueType.DECIMAL, TimeAggregation.LAST, None, None),
    "MX01": (Aggregation.MAX, ValueType.DECIMAL, TimeAggregation.SUM, None, None),
    "CT01": (Aggregation.COUNT_TRUE, ValueType.BOOLEAN, TimeAggregation.LAST, None, None),
    "NU01": (Aggregation.SUM, ValueType.INTEGER, TimeAggregation.SUM, None, None),
    "TS01": (Aggregation.SUM, ValueType.INTEGER, TimeAggregation.SUM, None, None),
    "RT01": (Aggregation.RATIO, ValueType.PERCENT, TimeAggregation.SUM, "NU01", "TS01"),
}
# The seed template's: TT01 sum by sex (time sum), CB01 average (time last), TR01 sum.
TIME_AGGREGATION = {"TT01": "sum", "CB01": "last", "TR01": "sum",
                    **{code: spec[2].value for code, spec in EXTRA_INDICATORS.items()}}
TARGETS = {"TT01": 120, "CB01": 30, "TR01": 10, "MN01": 5, "MX01": 5, "CT01": 1, "NU01": 10,
           "TS01": 20, "RT01": 50}
# A commune's figures in each of its reports, one dict per report: an indicator of every
# aggregation, and one by sex.
FIGURES = [{"TR01": 10 * number, "CB01": number, "MN01": number, "MX01": number, "CT01": number % 2,
            "NU01": number, "TS01": 2 * number, ("TT01", "male"): number, ("TT01", "female"): 1}
           for number in range(1, 12)]
ROLLUP_COLUMNS = ["unit_id", "period", "indicator_code", "sex", "aggregation", "value", "value_sum",
                  "value_count", "value_min", "value_max", "numerator_sum", "denominator_sum",
                  "reporting", "target", "target_count"]


@dataclass
class Commune:
    unit: OrgUnit
    plan: Plan
    editor: User
    leader: User


@dataclass
class District:
    unit: OrgUnit
    template: PlanTemplate
    officer: User
    communes: list[Commune] = field(default_factory=list)


def make_rollup_template(unit: OrgUnit, year: int = 2023, **fields) -> PlanTemplate:
    template = make_template(unit, year, **fields)
    for position, (code, (aggregation, value_type, time_aggregation, numerator, denominator)) in enumerate(
            EXTRA_INDICATORS.items(), start=len(template.indicators)):
        template.indicators.append(TemplateIndicator(
            code=code, name=f"Chỉ tiêu {code}", aggregation=aggregation, value_type=value_type,
            time_aggregation=time_aggregation, numerator_code=numerator, denominator_code=denominator,
            disaggregation=Disaggregation.NONE, position=position, unit_id=unit.id))
    return template


def approve(plan: Plan, editor: User, leader: User, officer: User) -> Plan:
    plan_services.update_plan(plan, editor, plan.version, {
        "document_number": "45/KH-UBND", "document_date": f"{plan.year}-05-05", "signer_name": "Lê Văn Bình",
        "targets": [{"indicator": code, "sex": None, "value": value} for code, value in TARGETS.items()],
    })
    plan_services.perform(plan, "submit", leader, plan.version)
    plan_services.perform(plan, "approve", officer, plan.version)
    return plan


def add_commune(district: District, unit: OrgUnit) -> Commune:
    editor = UserFactory(role=Role.COMMUNE_EDITOR.value, unit=unit)
    leader = UserFactory(role=Role.COMMUNE_LEADER.value, unit=unit)
    plan = approve(make_plan(district.template, unit, editor), editor, leader, district.officer)
    commune = Commune(unit, plan, editor, leader)
    district.communes.append(commune)
    return commune


def build_district(unit: OrgUnit, officer: User, communes: list[OrgUnit], **template_fields) -> District:
    district = District(unit, make_rollup_template(unit, **template_fields), officer)
    for commune in communes:
        add_commune(district, commune)
    return district


def make_nhu_xuan(tree, users, db) -> District:
    """Như Xuân's quarterly 2023 template and three communes with approved plans."""
    with system_scope("test data"):
        third = OrgUnitFactory(parent=tree.district, code="16190", name="Xã Thanh Quân")
        district = build_district(tree.district, users["officer"], [tree.commune, tree.sibling_commune, third])
        db.session.commit()
    return district


def make_nhu_thanh(tree, users, db, **template_fields) -> District:
    """Như Thanh's 2023 template (quarterly unless `template_fields` say otherwise) and Hải
    Long's approved plan: a second district beside Như Xuân in Thanh Hóa."""
    with system_scope("test data"):
        district = build_district(tree.other_district, users["other_district_officer"], [tree.other_commune],
                                  **template_fields)
        db.session.commit()
    return district


def make_province_of_communes(db, communes: dict[str, str]) -> District:
    """A province that supervises its communes ({code: name}) directly, with no district
    between (the tree after 1 July 2025, DESIGN.md): "Tỉnh Mới" (99), its officer, its
    quarterly 2023 template and the communes' approved plans."""
    with system_scope("test data"):
        province = OrgUnitFactory(code="99", name="Tỉnh Mới", division_type="tỉnh", level=Level.PROVINCE)
        officer = UserFactory(role=Role.DISTRICT_OFFICER.value, unit=province)
        district = build_district(province, officer, [OrgUnitFactory(parent=province, code=code, name=name)
                                                      for code, name in communes.items()])
        db.session.commit()
    return district


def report(district: District, commune: Commune, period: str, values: dict, accept: bool = True):
    """Report (and accept) `values` for the commune, committed; returns the report."""
    with system_scope("test data"):
        made = make_report(commune.plan, period, values, commune.editor, commune.leader,
                           district.officer, accept=accept)
        from app.extensions import db

        db.session.commit()
    return made


def refresh(unit: OrgUnit, period: str) -> None:
    """Recompute the unit's ancestors for the period, as the refresh task does, committed."""
    with system_scope("test"):
        rollup_services.refresh_ancestors(unit.id, period)
        _db.session.commit()


def rebuild_below(unit: OrgUnit | None) -> None:
    """Recompute every rollup at and below the unit (None: the whole tree), committed."""
    with system_scope("test"):
        rollup_rebuild.rebuild(unit and _db.session.merge(unit))
        _db.session.commit()


def rows_of(db, unit: OrgUnit, period: str) -> dict[tuple[str, str], Rollup]:
    """{(indicator code, sex): row}, read afresh (stored, or a commune's read from its reports)."""
    db.session.expire_all()
    with system_scope("test"):
        return {(row.indicator_code, row.sex): row for row in rollup_queries.rollup_rows(unit, period)}


def state_row(db, unit: OrgUnit, period: str) -> RollupState | None:
    db.session.expire_all()
    with system_scope("test"):
        return rollup_queries.state_of(unit, period)


def all_rows(db, periods=None) -> list[tuple]:
    """Every rollup row, every column but computed_at, and every state's completeness (of the
    periods given; a state that expects and received nothing is left out: a rebuild writes one
    for every unit below it, a refresh only where something was asked)."""
    db.session.expire_all()
    with system_scope("test"):
        rollups = sorted(tuple(getattr(row, name) for name in ROLLUP_COLUMNS)
                         for row in db.session.execute(select(Rollup)).scalars()
                         if periods is None or row.period in periods)
        states = sorted((state.unit_id, state.period, state.expected, state.received, state.on_time)
                        for state in db.session.execute(select(RollupState)).scalars()
                        if (periods is None or state.period in periods)
                        and (state.expected, state.received, state.on_time) != (0, 0, 0))
    return rollups + states


def amount(value) -> Decimal | None:
    """As the database keeps it: 4 decimal places."""
    return None if value is None else Decimal(value).quantize(Decimal("0.0001"))
