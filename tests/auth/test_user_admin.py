"""A district's user administrator manages the users of its communes."""
import pytest
import sqlalchemy as sa

from app.auth.models import ApiToken, User
from app.org_units.models import Level
from tenants import system_scope
from tests.conftest import api_token, login, statements_run
from tests.factories import OrgUnitFactory, UserFactory


def user_named(db, username):
    with system_scope("test checks"):
        user = db.session.execute(sa.select(User).where(User.username == username)).scalar_one_or_none()
        db.session.rollback()
        return user


def test_the_user_list_shows_the_district_and_its_communes_only(client, users):
    login(client, "district.admin")
    page = client.get("/users/").get_data(as_text=True)
    assert "sibling.editor" in page and "officer" in page
    assert "other.editor" not in page and "other.district.officer" not in page


def test_the_user_list_reads_the_users_units_with_them_not_one_query_each(client, users, tree, db):
    def the_list():
        assert client.get("/users/").status_code == 200

    login(client, "district.admin")
    before = statements_run(db.engine, the_list)
    with system_scope("test data"):
        for number in range(3):
            UserFactory(username=f"them.{number}", unit=OrgUnitFactory(parent=tree.district))
        db.session.commit()

    assert "them.2" in client.get("/users/").get_data(as_text=True)
    assert statements_run(db.engine, the_list) == before


def test_a_commune_user_may_not_manage_users(client, users):
    login(client, "editor")
    assert client.get("/users/").status_code == 403
    assert client.get("/users/new").status_code == 403


def test_creating_a_commune_editor(client, users, db):
    login(client, "district.admin")
    response = client.post("/users/new", data={
        "username": "BinhLuong.Editor2", "full_name": "Lê Thị Hoa", "role": "commune_editor",
        "unit": "16204", "password": "mật khẩu dài",
    })
    assert response.status_code == 302
    created = user_named(db, "binhluong.editor2")
    assert created.full_name == "Lê Thị Hoa"
    assert created.unit.code == "16204"


def test_a_role_that_does_not_fit_the_unit_is_refused_with_a_message(client, users, db):
    login(client, "district.admin")
    response = client.post("/users/new", data={
        "username": "wrongfit", "role": "commune_editor", "unit": "402", "password": "mật khẩu dài",
    })
    assert response.status_code == 422
    assert "Vai trò này không phù hợp với đơn vị ở cấp đó." in response.get_data(as_text=True)
    assert user_named(db, "wrongfit") is None


@pytest.fixture
def province_of_communes(tree, db):
    """A province that supervises its communes directly (the tree after 1 July 2025)."""
    with system_scope("test data"):
        province = OrgUnitFactory(code="99", name="Tỉnh Mới", division_type="tỉnh", level=Level.PROVINCE)
        OrgUnitFactory(parent=province, code="99001", name="Xã Mới")
        db.session.commit()
    return province


@pytest.mark.parametrize("role", ["district_officer", "district_admin"])
def test_a_districts_role_may_belong_to_a_province_that_supervises_its_communes(
        client, users, db, province_of_communes, role):
    login(client, "admin")
    response = client.post("/users/new", data={
        "username": "tinhmoi.office", "role": role, "unit": "99", "password": "mật khẩu dài",
    })
    assert response.status_code == 302
    assert user_named(db, "tinhmoi.office").unit.code == "99"


@pytest.mark.parametrize("unit", ["38", "16204"])  # a province of districts, a commune
def test_a_districts_role_elsewhere_than_above_communes_is_refused_with_a_message(client, users, db, unit):
    login(client, "admin")
    response = client.post("/users/new", data={
        "username": "misplaced", "role": "district_officer", "unit": unit, "password": "mật khẩu dài",
    })
    assert response.status_code == 422
    assert ("Vai trò này thuộc về đơn vị trực tiếp quản lý các xã: một huyện, hoặc một tỉnh không còn cấp huyện."
            in response.get_data(as_text=True))
    assert user_named(db, "misplaced") is None


def test_a_unit_of_another_district_cannot_be_chosen(client, users, db):
    login(client, "district.admin")
    response = client.post("/users/new", data={
        "username": "intruder", "role": "commune_editor", "unit": "16213", "password": "mật khẩu dài",
    })
    assert response.status_code == 422
    assert user_named(db, "intruder") is None


def test_a_taken_username_and_a_short_password_are_explained(client, users, db):
    login(client, "district.admin")
    page = client.post("/users/new", data={
        "username": "editor", "role": "commune_editor", "unit": "16204", "password": "short",
    })
    assert page.status_code == 422
    assert user_named(db, "editor").full_name == users["editor"].full_name


def test_disabling_a_user_ends_their_sessions_and_tokens(app, client, users, db):
    victim = app.test_client()
    login(victim, "editor")
    headers = api_token(victim, "editor")
    login(client, "district.admin")

    assert client.post(f"/users/{users['editor'].id}/disable").status_code == 302

    assert victim.get("/").status_code == 302
    assert victim.get("/api/v1/me", headers=headers).status_code == 401
    with system_scope("test checks"):
        tokens = db.session.execute(sa.select(ApiToken.revoked_at)).scalars().all()
    assert tokens and all(tokens)
    assert user_named(db, "editor").active is False


def test_enabling_a_user_again(client, users, db):
    login(client, "district.admin")
    client.post(f"/users/{users['editor'].id}/disable")
    client.post(f"/users/{users['editor'].id}/enable")
    assert user_named(db, "editor").active is True


def test_a_user_admin_cannot_disable_themself(client, users, db):
    login(client, "district.admin")
    client.post(f"/users/{users['district_admin'].id}/disable")
    assert user_named(db, "district.admin").active is True


def test_resetting_a_password(app, client, users, db):
    login(client, "district.admin")
    response = client.post(f"/users/{users['editor'].id}/password", data={"password": "mật khẩu mới 2024"})
    assert response.status_code == 302
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "editor", "password": "mật khẩu mới 2024"}).status_code == 302


def test_a_too_short_new_password_is_refused_and_the_old_one_still_works(app, client, users):
    login(client, "district.admin")
    response = client.post(f"/users/{users['editor'].id}/password", data={"password": "short"})
    assert response.status_code == 422
    login(app.test_client(), "editor")


def test_every_problem_of_a_new_user_is_explained_at_once_in_vietnamese(client, users, db):
    login(client, "district.admin")
    page = client.post("/users/new", data={
        "username": "có dấu cách", "role": "commune_editor", "unit": "16213", "password": "short",
    }).get_data(as_text=True)
    assert "Lựa chọn không hợp lệ." in page  # a unit of another district is not on the list
    assert user_named(db, "có dấu cách") is None


def test_username_and_password_problems_come_together(client, users, db):
    login(client, "district.admin")
    response = client.post("/users/new", data={
        "username": "có dấu cách", "role": "commune_editor", "unit": "16204", "password": "short",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "chữ a–z không dấu" in page and "ít nhất 8 ký tự" in page


@pytest.mark.parametrize("username", ["editor\u200b", "\u0435ditor", "\u202eadmin.vi", "nguyễn.an", "😀.vi", ".editor"],
                         ids=["zero-width space", "Cyrillic e", "right-to-left mark", "accent", "emoji", "leading dot"])
def test_a_username_that_could_pass_for_another_is_refused(client, users, db, username):
    login(client, "district.admin")
    response = client.post("/users/new", data={
        "username": username, "role": "commune_editor", "unit": "16204", "password": "mật khẩu dài",
    })
    assert response.status_code == 422
    assert "chữ a–z không dấu" in response.get_data(as_text=True)
    assert user_named(db, username) is None
