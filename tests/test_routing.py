"""An id in a URL that no integer column can hold is not found (404), never a server error:
SQLite's driver fails on a number past 64 bits, and no row has an id past PostgreSQL's
`integer`."""
import pytest
from werkzeug.exceptions import NotFound

from app.database import INTEGER_MAX
from tests.conftest import api_token

PAST_POSTGRESQL, PAST_SQLITE = INTEGER_MAX + 1, 2**64


def test_an_int_in_a_route_matches_up_to_the_largest_integer_a_column_holds(app):
    urls = app.url_map.bind("localhost")
    assert urls.match(f"/reports/{INTEGER_MAX}") == ("reports.show", {"report_id": INTEGER_MAX})
    with pytest.raises(NotFound):
        urls.match(f"/reports/{PAST_POSTGRESQL}")


@pytest.mark.parametrize("number", [PAST_POSTGRESQL, PAST_SQLITE])
@pytest.mark.parametrize("url", ["/reports/{}", "/plans/{}", "/tasks/{}"])
def test_a_page_for_an_id_past_any_row_is_not_found(client, login_as, url, number):
    login_as("editor")
    response = client.get(url.format(number), headers={"Accept-Language": "vi"})
    assert response.status_code == 404
    assert "Trang này không tồn tại" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [PAST_POSTGRESQL, PAST_SQLITE])
@pytest.mark.parametrize(("method", "url"), [("post", "/api/v1/reports/{}/submit"), ("get", "/api/v1/tasks/{}"),
                                             ("post", "/api/v1/plans/{}/activities")])
def test_an_api_route_for_an_id_past_any_row_is_not_found(client, users, method, url, number):
    response = getattr(client, method)(url.format(number), json={"version": 1},
                                       headers={**api_token(client, "editor"), "Accept-Language": "en"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_page_number_no_integer_column_holds_is_the_first_page(client, login_as):
    login_as("officer")
    assert client.get(f"/plans?year=2023&page={PAST_SQLITE}").status_code == 200
