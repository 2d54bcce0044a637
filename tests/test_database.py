"""Text is stored in NFC whichever way it was typed; names sort the Vietnamese way in SQL."""
import unicodedata

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.org_units.models import OrgUnit
from app.text import VIETNAMESE_COLLATION
from tenants import system_scope
from tests.factories import OrgUnitFactory


def test_decomposed_text_is_stored_composed(db):
    decomposed = unicodedata.normalize("NFD", "Xã Thanh Quân")
    with system_scope("test"):
        OrgUnitFactory(code="16222", name=decomposed)
        db.session.commit()
        stored = db.session.execute(sa.text("SELECT name FROM org_units WHERE code = '16222'")).scalar_one()
        found = db.session.execute(
            sa.select(OrgUnit.code).where(OrgUnit.name == decomposed)
        ).scalar_one()
    assert stored == "Xã Thanh Quân" and unicodedata.is_normalized("NFC", stored)
    assert found == "16222"


def test_the_database_sorts_names_in_vietnamese_order(db):
    names = ["Xã Đồng Tiến", "Xã Dũng Tiến", "Xã Ân Hòa", "Xã An Bình", "Xã Bình Lương", "Xã Ăn Tiến"]
    with system_scope("test"):
        for name in names:
            OrgUnitFactory(name=name)
        db.session.commit()
        ordered = db.session.execute(
            sa.select(OrgUnit.name).order_by(OrgUnit.name.collate(VIETNAMESE_COLLATION))
        ).scalars().all()
    assert ordered == [
        "Xã An Bình", "Xã Ăn Tiến", "Xã Ân Hòa", "Xã Bình Lương", "Xã Dũng Tiến", "Xã Đồng Tiến",
    ]


def test_the_migrations_build_exactly_the_models_schema(app, db):
    """A model changed without a migration would work in tests that create tables from the
    models, and fail in production: the migrated database must match the models."""
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []
