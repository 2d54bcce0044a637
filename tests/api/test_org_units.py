from tests.conftest import api_token


def codes(response):
    return [item["code"] for item in response.get_json()["items"]]


def test_the_children_of_a_district(client, users):
    response = client.get("/api/v1/org-units?parent=402", headers=api_token(client, "officer"))
    assert response.status_code == 200
    assert codes(response) == ["16174", "16204"]
    assert response.get_json()["items"][1] == {
        "code": "16204", "name": "Xã Bình Lương", "short_name": "Bình Lương",
        "division_type": "xã", "level": "commune", "parent": "402",
    }


def test_without_a_parent_the_users_own_unit(client, users):
    response = client.get("/api/v1/org-units", headers=api_token(client, "editor"))
    assert codes(response) == ["16204"]


def test_a_commune_user_sees_only_itself_among_its_districts_communes(client, users):
    response = client.get("/api/v1/org-units?parent=402", headers=api_token(client, "editor"))
    assert codes(response) == ["16204"]


def test_a_parent_outside_the_scope_is_404(client, users):
    response = client.get("/api/v1/org-units?parent=403", headers=api_token(client, "officer"))
    assert response.status_code == 404


def test_one_unit_by_code(client, users):
    response = client.get("/api/v1/org-units/16204", headers=api_token(client, "officer"))
    assert response.get_json()["name"] == "Xã Bình Lương"


def test_without_a_token_401(client, users):
    assert client.get("/api/v1/org-units").status_code == 401
