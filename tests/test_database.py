"""Text is stored in NFC whichever way it was typed; names sort the Vietnamese way in SQL; a
view that reads one snapshot sees no commit made while it reads."""
import unicodedata

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.database import one_snapshot
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


def name_of_16222(db) -> str:
    return db.session.execute(sa.text("SELECT name FROM org_units WHERE code = '16222'")).scalar_one()


def read_around_a_rename(db) -> tuple[str, str]:
    """The unit's name read, then renamed by another connection, which commits; read again."""
    before = name_of_16222(db)
    with db.engine.begin() as other:
        other.execute(sa.text("UPDATE org_units SET name = 'Xã Thanh Quân mới' WHERE code = '16222'"))
    return before, name_of_16222(db)


@pytest.fixture
def thanh_quan(db):
    with system_scope("test"):
        OrgUnitFactory(code="16222", name="Xã Thanh Quân")
        db.session.commit()


def test_without_one_snapshot_a_second_read_sees_a_commit_made_between_the_reads(db, thanh_quan):
    assert read_around_a_rename(db) == ("Xã Thanh Quân", "Xã Thanh Quân mới")


def test_a_view_reading_one_snapshot_sees_no_commit_made_while_it_reads(db, thanh_quan):
    assert one_snapshot()(read_around_a_rename)(db) == ("Xã Thanh Quân", "Xã Thanh Quân")


def test_a_view_reads_one_snapshot_even_when_something_was_read_before_it(db, thanh_quan):
    name_of_16222(db)  # as the sign-in would: the request's transaction has begun
    assert one_snapshot()(read_around_a_rename)(db) == ("Xã Thanh Quân", "Xã Thanh Quân")


def test_after_a_snapshot_is_committed_reads_see_the_latest_commits_again(db, thanh_quan):
    db.engine.dispose()  # one connection in the pool: the reads below get the snapshot's again
    with one_snapshot():
        name_of_16222(db)
    db.session.commit()  # its connection goes back to the pool, at the database's own isolation
    assert read_around_a_rename(db) == ("Xã Thanh Quân", "Xã Thanh Quân mới")
