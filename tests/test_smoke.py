from tests.conftest import login


def test_commune_editor_lands_on_their_commune(client, users):
    login(client, "editor")
    page = client.get("/").get_data(as_text=True)
    assert "Xã Bình Lương" in page
