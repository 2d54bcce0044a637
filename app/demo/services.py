"""The demo: Như Xuân (Thanh Hóa) with its 16 communes, a user of every role, the 2023
template and plans (app/demo/plans.py), and reports on them for 2023Q1–Q3 with their rollups
(app/demo/reports.py)."""
from dataclasses import dataclass

from app.auth import services as auth_services
from app.auth.models import Role, User
from app.demo.dispatches import load_demo_schedule
from app.demo.plans import load_demo_plans
from app.demo.reports import load_demo_reports, rebuild_rollups
from app.extensions import db
from app.org_units import gso
from app.org_units import services as org_unit_services
from app.org_units.models import OrgUnit
from app.org_units.queries import children_of, get_by_code
from app.text import ascii_fold

DEMO_PROVINCE = "38"
DEMO_DISTRICT = "402"
DEMO_PASSWORD = "demo-2023"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    unit: str


def slug(unit: OrgUnit) -> str:
    """`Xã Bình Lương` → `binhluong`."""
    return "".join(ascii_fold(unit.short_name).lower().split())


def _ensure_user(username: str, role: Role, unit: OrgUnit | None, full_name: str, email: str = "") -> DemoLogin:
    exists = db.session.execute(db.select(User.id).where(User.username == username)).first()
    if not exists:
        auth_services.create_user(username, DEMO_PASSWORD, role, unit, full_name=full_name, email=email)
    return DemoLogin(username, DEMO_PASSWORD, role.value, unit.name if unit else "—")


def load_demo() -> list[DemoLogin]:
    """Idempotent: a second run adds nothing and changes no password. Call in a system scope."""
    org_unit_services.import_selection(gso.select(district_code=DEMO_DISTRICT))
    district = get_by_code(DEMO_DISTRICT)
    province = get_by_code(DEMO_PROVINCE)
    district_slug, province_slug = slug(district), slug(province)
    logins = [
        _ensure_user("admin", Role.ADMIN, None, "Quản trị hệ thống"),
        _ensure_user(f"{province_slug}.viewer", Role.PROVINCE_VIEWER, province, "Sở LĐTBXH Thanh Hóa"),
        _ensure_user(f"{district_slug}.officer", Role.DISTRICT_OFFICER, district, "Chuyên viên Phòng LĐTBXH"),
        _ensure_user(f"{district_slug}.admin", Role.DISTRICT_ADMIN, district, "Quản trị người dùng huyện"),
    ]
    for commune in children_of(district):
        # Addresses under the reserved .example domain: reminders land in the outbox.
        for role, title in ((Role.COMMUNE_EDITOR, "Cán bộ phụ trách"), (Role.COMMUNE_LEADER, "Chủ tịch UBND")):
            username = f"{slug(commune)}.{role.value.removeprefix('commune_')}"
            logins.append(_ensure_user(username, role, commune, f"{title} {commune.name}",
                                       email=f"{username}@{district_slug}.example"))
    db.session.flush()

    def username_of(unit: OrgUnit, role: str) -> str:
        return f"{slug(unit)}.{role}"

    load_demo_plans(district, username_of)
    load_demo_reports(district, username_of)
    rebuild_rollups(district)
    load_demo_schedule(district)
    return logins
