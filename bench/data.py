"""Synthetic but realistic data for the rollup benchmark, built from the official list of units.

Every district gets a published quarterly template of 20 indicators, 10 of them by sex: 40
indicator-and-sex series (10 × total/male/female + 10 totals), with sums, an average, a
maximum, a latest-value and a ratio among them. Every commune gets an approved plan with
targets and four accepted quarterly reports. Rows are written with bulk Core inserts: this is
set-up, not what is measured.
"""
import random
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from app.database import utcnow
from app.extensions import db
from app.org_units import gso
from app.org_units import services as org_unit_services
from app.org_units.models import Level, OrgUnit
from app.plan_templates.models import PlanTemplate, TemplateIndicator
from app.plans.models import ApprovedTarget, Plan, PlanTarget
from app.reports.models import Report, ReportValue

YEAR = 2023
QUARTERS = [f"{YEAR}Q{quarter}" for quarter in range(1, 5)]
# code, by sex, aggregation, time aggregation, numerator, denominator
INDICATORS = (
    [(f"S{n:02d}", True, "sum", "sum", None, None) for n in range(1, 11)]
    + [(f"T{n:02d}", False, "sum", "sum", None, None) for n in range(1, 6)]
    + [("AV01", False, "average", "last", None, None), ("MX01", False, "max", "sum", None, None),
       ("NU01", False, "sum", "last", None, None), ("DE01", False, "sum", "last", None, None),
       ("RA01", False, "ratio", "last", "NU01", "DE01")]
)
SERIES_PER_COMMUNE = sum(3 if by_sex else 1 for _c, by_sex, *_ in INDICATORS)
CHUNK = 20_000


@dataclass
class Scale:
    name: str
    provinces: list[str] | None  # GSO province codes; None: every province
    district: str | None = None  # a single district


SCALES = [
    Scale("Như Xuân (1 district)", ["38"], district="402"),
    Scale("Thanh Hóa (1 province)", ["38"]),
    Scale("Việt Nam (63 provinces)", None),
]


def import_units(scale: Scale) -> None:
    if scale.district:
        org_unit_services.import_selection(gso.select(district_code=scale.district))
        return
    codes = scale.provinces or [province["code"] for province in gso._nested()]
    for code in codes:
        org_unit_services.import_selection(gso.select(province_code=str(code)))
        db.session.flush()


def _insert(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[start:start + CHUNK])


def build(scale: Scale, seed: int = 2023) -> dict[str, int]:
    """Templates, approved plans and accepted reports for every commune of the scale."""
    import_units(scale)
    db.session.flush()
    districts = list(db.session.execute(db.select(OrgUnit).where(OrgUnit.level == Level.DISTRICT)).scalars())
    if scale.district:
        districts = [unit for unit in districts if unit.code == scale.district]
    now = utcnow()
    rng = random.Random(seed)
    counts = {"districts": len(districts), "communes": 0, "values": 0}
    for district in districts:
        if not db.session.execute(db.select(OrgUnit.id).where(OrgUnit.parent_id == district.id)).first():
            continue  # a few districts of the list have no communes
        template_id = db.session.execute(sa.insert(PlanTemplate.__table__).values(
            unit_id=district.id, year=YEAR, revision=1, status="published", title="Bình đẳng giới",
            report_period_type="quarter", report_deadline_days=10, published_at=now,
            created_at=now, updated_at=now, version=1).returning(PlanTemplate.__table__.c.id)).scalar_one()
        indicator_ids = {}
        for position, (code, by_sex, aggregation, time_aggregation, numerator, denominator) in enumerate(INDICATORS):
            indicator_ids[code] = db.session.execute(sa.insert(TemplateIndicator.__table__).values(
                template_id=template_id, unit_id=district.id, position=position, code=code, name=code,
                measure_unit="", value_type="integer", aggregation=aggregation, numerator_code=numerator,
                denominator_code=denominator, disaggregation="sex" if by_sex else "none",
                time_aggregation=time_aggregation).returning(TemplateIndicator.__table__.c.id)).scalar_one()
        communes = list(db.session.execute(db.select(OrgUnit.id).where(OrgUnit.parent_id == district.id)).scalars())
        counts["communes"] += len(communes)
        counts["values"] += _plans_and_reports(communes, template_id, indicator_ids, rng, now)
    db.session.flush()
    return counts


def _plans_and_reports(communes: list[int], template_id: int, indicator_ids: dict, rng, now) -> int:
    plan_table, report_table = Plan.__table__, Report.__table__
    plan_ids = db.session.execute(sa.insert(plan_table).returning(plan_table.c.id, plan_table.c.unit_id), [
        {"unit_id": unit_id, "template_id": template_id, "year": YEAR, "edition": 1, "status": "approved",
         "title": "Kế hoạch", "created_at": now, "updated_at": now, "version": 1} for unit_id in communes
    ]).all()
    targets, reports = [], []
    for plan_id, unit_id in plan_ids:
        for indicator_id in indicator_ids.values():
            targets.append({"plan_id": plan_id, "unit_id": unit_id, "indicator_id": indicator_id, "sex": None,
                            "value": Decimal(rng.randint(40, 400))})
        for period in QUARTERS:
            reports.append({"unit_id": unit_id, "plan_id": plan_id, "period": period, "status": "accepted",
                            "late": rng.random() < 0.1, "submitted_at": now, "decided_at": now,
                            "created_at": now, "updated_at": now, "version": 1})
    _insert(PlanTarget.__table__, targets)
    _insert(ApprovedTarget.__table__, targets)  # as an approval copies them
    report_rows = db.session.execute(
        sa.insert(report_table).returning(report_table.c.id, report_table.c.unit_id), reports).all()
    values = []
    for report_id, unit_id in report_rows:
        for code, by_sex, *_rest in INDICATORS:
            indicator_id = indicator_ids[code]
            if by_sex:
                male, female = rng.randint(0, 60), rng.randint(0, 60)
                values += [_value(report_id, unit_id, indicator_id, "male", male),
                           _value(report_id, unit_id, indicator_id, "female", female),
                           _value(report_id, unit_id, indicator_id, None, male + female)]
            else:
                values.append(_value(report_id, unit_id, indicator_id, None, rng.randint(1, 100)))
    _insert(ReportValue.__table__, values)
    return len(values)


def _value(report_id: int, unit_id: int, indicator_id: int, sex: str | None, value: int) -> dict:
    return {"report_id": report_id, "unit_id": unit_id, "indicator_id": indicator_id, "sex": sex,
            "value": Decimal(value)}
