"""The ORM guard: a scope limits every query, bulk write and insert of tenant-owned rows."""
import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.org_units.models import OrgUnit
from app.org_units.queries import scope_of
from tenants import OutOfScope, Scope, TenantScopeMissing, system_scope, tenant_scope


def scope_for(unit):
    with system_scope("test builds a scope"):
        return scope_of(unit, f"test@{unit.code}")


def usernames(db):
    return set(db.session.execute(sa.select(User.username)).scalars())


def test_a_commune_scope_selects_only_its_own_users(db, users, tree):
    with tenant_scope(scope_for(tree.commune)):
        assert usernames(db) == {"editor", "leader"}


def test_a_district_scope_selects_its_communes_users_and_its_own(db, users, tree):
    with tenant_scope(scope_for(tree.district)):
        assert usernames(db) == {"editor", "leader", "sibling.editor", "officer", "district.admin"}


def test_org_units_outside_the_subtree_are_invisible_but_ancestors_are_readable(db, tree):
    with tenant_scope(scope_for(tree.commune)):
        codes = set(db.session.execute(sa.select(OrgUnit.code)).scalars())
    assert codes == {"38", "402", "16204"}


def test_counting_and_joined_queries_are_limited_too(db, users, tree):
    with tenant_scope(scope_for(tree.commune)):
        count = db.session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()
        joined = db.session.execute(
            sa.select(User.username, OrgUnit.code).join(OrgUnit, User.unit_id == OrgUnit.id)
        ).all()
    assert count == 2
    assert {code for _, code in joined} == {"16204"}


def test_a_bulk_update_aimed_at_another_commune_changes_nothing(db, users, tree):
    with tenant_scope(scope_for(tree.commune)):
        result = db.session.execute(
            sa.update(User).where(User.unit_id == tree.other_commune.id).values(full_name="hacked")
        )
        db.session.commit()
    assert result.rowcount == 0
    with system_scope("test checks"):
        assert db.session.execute(
            sa.select(User.full_name).where(User.username == "other.editor")
        ).scalar_one() != "hacked"


def test_a_bulk_delete_aimed_at_another_commune_deletes_nothing(db, users, tree):
    with tenant_scope(scope_for(tree.commune)):
        result = db.session.execute(sa.delete(User).where(User.unit_id == tree.other_commune.id))
        db.session.commit()
    assert result.rowcount == 0
    with system_scope("test checks"):
        assert "other.editor" in usernames(db)


def test_a_bulk_update_of_ancestors_is_refused_though_they_are_readable(db, tree):
    with tenant_scope(scope_for(tree.commune)):
        result = db.session.execute(sa.update(OrgUnit).values(name="renamed"))
        db.session.commit()
    assert result.rowcount == 1  # only Bình Lương itself
    with system_scope("test checks"):
        assert db.session.get(OrgUnit, tree.district.id).name == "Huyện Như Xuân"


def test_an_insert_into_another_commune_is_refused(db, tree):
    with tenant_scope(scope_for(tree.commune)):
        db.session.add(User(username="intruder", password_hash="x", role="commune_editor",
                            unit_id=tree.other_commune.id))
        with pytest.raises(OutOfScope):
            db.session.flush()
        db.session.rollback()


def test_an_insert_into_its_own_commune_is_allowed(db, tree):
    with tenant_scope(scope_for(tree.commune)):
        db.session.add(User(username="newcomer", password_hash="x", role="commune_editor",
                            unit_id=tree.commune.id))
        db.session.commit()
    with system_scope("test checks"):
        assert "newcomer" in usernames(db)


def test_moving_a_row_into_another_commune_is_refused(db, users, tree):
    with tenant_scope(scope_for(tree.commune)):
        editor = db.session.execute(sa.select(User).where(User.username == "editor")).scalar_one()
        editor.unit_id = tree.other_commune.id
        with pytest.raises(OutOfScope):
            db.session.flush()
        db.session.rollback()


def test_a_query_with_no_scope_fails_closed(db, users):
    with pytest.raises(TenantScopeMissing):
        db.session.execute(sa.select(User)).all()


def test_a_write_with_no_scope_fails_closed(db, tree):
    db.session.add(User(username="orphan", password_hash="x", role="commune_editor",
                        unit_id=tree.commune.id))
    with pytest.raises(TenantScopeMissing):
        db.session.flush()
    db.session.rollback()


def test_the_anonymous_scope_sees_nothing(db, users):
    with tenant_scope(Scope.nothing()):
        assert usernames(db) == set()
        assert db.session.execute(sa.select(OrgUnit)).all() == []


def test_lazy_loaded_relationships_are_limited(db, tree):
    with tenant_scope(scope_for(tree.district)):
        district = db.session.execute(sa.select(OrgUnit).where(OrgUnit.code == "38")).scalar_one()
        assert [child.code for child in district.children] == ["402"]


def test_a_bulk_insert_of_tenant_rows_is_refused_in_a_limited_scope(db, tree):
    with tenant_scope(scope_for(tree.commune)):
        with pytest.raises(OutOfScope):
            db.session.execute(sa.insert(User), [{
                "username": "bulk", "password_hash": "x", "role": "commune_editor",
                "unit_id": tree.other_commune.id, "locale": "vi", "active": True,
                "session_nonce": "n", "full_name": "",
            }])
        db.session.rollback()
    with system_scope("test checks"):
        assert "bulk" not in usernames(db)
