"""Factories for tests: build rows with sensible defaults; call inside a tenant scope."""
from dataclasses import dataclass

import factory
from werkzeug.security import generate_password_hash

from app.auth.models import Role, User
from app.extensions import db
from app.org_units.models import Level, OrgUnit
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
