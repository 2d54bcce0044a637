import sqlalchemy as sa

from app.auth.models import User
from tenants import system_scope


def test_creating_the_first_admin_from_the_command_line(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "root", "--role", "admin", "--password", "mật khẩu quản trị",
    ])
    assert result.exit_code == 0, result.output
    with system_scope("test checks"):
        user = db.session.execute(sa.select(User).where(User.username == "root")).scalar_one()
    assert user.role == "admin" and user.unit_id is None


def test_creating_a_commune_user_needs_a_known_unit(app, db, tree):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["users", "create", "hoa", "--role", "commune_editor",
                             "--unit", "16204", "--password", "mật khẩu dài"])
    assert ok.exit_code == 0, ok.output
    unknown = runner.invoke(args=["users", "create", "lan", "--role", "commune_editor",
                                  "--unit", "99999", "--password", "mật khẩu dài"])
    assert unknown.exit_code != 0
    assert "99999" in unknown.output
