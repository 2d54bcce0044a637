"""The demo's schedule of reports to the province: Như Xuân's 2023 quarters go to the
province's office five days after the communes' deadline, prepared for the officer to review.
Every 2023 quarter is long due, so beat's first tick in `make run` prepares them all, 2023Q3
among them, and the officer sends one to the outbox."""
from app.dispatches import services
from app.dispatches.models import ReportSchedule
from app.extensions import db
from app.org_units.models import OrgUnit
from app.plan_templates.queries import latest_published

DEMO_YEAR = 2023
RECIPIENT = {
    "recipient_name": "Sở Lao động - Thương binh và Xã hội tỉnh Thanh Hóa",
    "recipient_emails": ["binhdanggioi@soldtbxh.thanhhoa.gov.vn"],
}


def load_demo_schedule(district: OrgUnit) -> ReportSchedule | None:
    """Once; None when the district has no published 2023 template."""
    template = latest_published(district, DEMO_YEAR)
    if template is None:
        return None
    existing = db.session.execute(db.select(ReportSchedule).where(
        ReportSchedule.template_id == template.id)).scalars().first()
    if existing is not None:
        return existing
    return services.create_schedule(template, {
        "period_type": template.report_period_type, "days_after_deadline": 5, "formats": ["xlsx", "docx"],
        "mode": "review", **RECIPIENT}, None)
