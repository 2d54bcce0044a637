import sqlalchemy as sa

from app.org_units import gso, services
from app.org_units.models import OrgUnit
from tenants import system_scope


def units(db):
    with system_scope("test checks"):
        rows = db.session.execute(sa.select(OrgUnit.code, OrgUnit.path, OrgUnit.name)).all()
        db.session.rollback()
    return sorted(rows)


def test_importing_a_district_builds_the_tree(db):
    with system_scope("test"):
        counts = services.import_selection(gso.select(district_code="402"))
        db.session.commit()
    assert counts.created == 18
    rows = {code: path for code, path, _ in units(db)}
    assert rows["38"] == "/38/" and rows["402"] == "/38/402/" and rows["16204"] == "/38/402/16204/"


def test_importing_twice_changes_nothing(db):
    with system_scope("test"):
        services.import_selection(gso.select(district_code="402"))
        db.session.commit()
        before = units(db)
        counts = services.import_selection(gso.select(district_code="402"))
        db.session.commit()
    assert counts.created == 0 and counts.updated == 0 and counts.unchanged == 18
    assert units(db) == before


def test_a_renamed_unit_is_corrected_by_the_next_import(db):
    with system_scope("test"):
        services.import_selection(gso.select(district_code="402"))
        db.session.execute(sa.update(OrgUnit).where(OrgUnit.code == "16204").values(name="Sai tên"))
        db.session.commit()
        counts = services.import_selection(gso.select(district_code="402"))
        db.session.commit()
    assert counts.updated == 1
    assert ("16204", "/38/402/16204/", "Xã Bình Lương") in units(db)


def test_the_command_imports_a_district_idempotently(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["org-units", "import", "--district", "402"])
    second = runner.invoke(args=["org-units", "import", "--district", "402"])
    assert first.exit_code == 0 and "created 18" in first.output
    assert second.exit_code == 0 and "created 0, updated 0, unchanged 18" in second.output


def test_the_command_explains_an_unknown_code(app, db):
    result = app.test_cli_runner().invoke(args=["org-units", "import", "--province", "99"])
    assert result.exit_code != 0
    assert "99" in result.output
