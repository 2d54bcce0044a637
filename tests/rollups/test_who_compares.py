"""Who compares what on the compare page: a commune only itself beside its district's total,
a district its communes, a province its districts (or its communes, in the tree after 1 July
2025), the links down and back up between them, and 404 for a unit that is not the user's."""
import re
from html import unescape

import lxml.html
import pytest

from tenants import system_scope
from tests.conftest import login
from tests.factories import UserFactory
from tests.rollups import compare_data
from tests.rollups.compare_data import table_units
from tests.rollups.engine_data import make_province_of_communes, refresh, report

figures = compare_data.figures  # the fixture: rollups of Như Xuân for 2023Q1


def test_a_commune_user_sees_its_own_figures_beside_the_district_total_only(client, login_as, figures):
    login_as("editor")
    for url in ("/compare", "/compare?unit=402&period=2023Q1"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'data-unit="16204"' in html and "Huyện Như Xuân" in html
        assert "Yên Cát" not in html and "Xuân Bình" not in html
        assert "<svg" not in html


def indicator_row(html: str, key: str) -> str:
    return re.search(rf'<tr data-indicator="{re.escape(key)}">(.*?)</tr>', html, re.S).group(1)


def test_a_commune_reads_each_indicator_down_one_row_its_figure_beside_the_districts(client, login_as, figures):
    login_as("editor")
    html = client.get("/compare?period=2023Q1").get_data(as_text=True)
    assert 'data-testid="compare-table"' not in html  # not a table of units against forty columns
    row = indicator_row(html, "TR01.total")
    assert "Số tờ rơi phát ra" in row
    # Bình Lương's 90 of 100 (90 %, a link to its report), then the district's 210 of 200 (105 %).
    numbers = re.findall(r"<td[^>]*>\s*(?:<a href=\"([^\"]+)\">)?([\d.,]+)", row)
    assert numbers == [(f"/reports/{figures.report.id}", "90"), ("", "90"), ("", "210"), ("", "105")]
    assert 'achieved-met">90' in row and 'achieved-met">105' in row  # a quarter owes a quarter of 100
    assert "/ 100" in row and "/ 200" in row
    female = indicator_row(html, "TT01.female")
    assert "(nữ)" in female and re.search(r">\s*25\b", female) and re.search(r">\s*55\b", female)
    received = html[html.index("<tfoot>"):html.index("</tfoot>")]
    assert re.findall(r"\d+/\d+", received) == ["1/1", "1/3"]


def test_a_commune_user_cannot_name_a_sibling(client, login_as, figures):
    login_as("editor")
    assert client.get("/compare?unit=16174&period=2023Q1").status_code == 404
    assert client.get("/compare.xlsx?unit=16174&period=2023Q1").status_code == 404


@pytest.mark.parametrize("url", ["/compare?unit=402&period=2023Q1", "/compare.xlsx?unit=402&period=2023Q1",
                                 "/compare?unit=16204", "/compare?unit=38"])
def test_another_districts_officer_gets_404(client, login_as, figures, url):
    login_as("other_district_officer")
    assert client.get(url).status_code == 404


def test_the_province_compares_its_districts(client, login_as, figures):
    login_as("province_viewer")
    html = client.get("/compare?period=2023Q1").get_data(as_text=True)
    assert table_units(html) == ["403", "402"]  # Như Thanh, Như Xuân
    assert "Tỉnh Thanh Hóa" in html


def unit_links(html: str) -> dict[str, str]:
    """Each row's unit code and the address its name links to."""
    return {code: unescape(address) for code, address in re.findall(
        r'<tr data-unit="(\d+)">\s*<th scope="row"><a href="([^"]+)"', html)}


def breadcrumbs(html: str) -> str:
    return html[html.index('<ol class="breadcrumb">'):html.index("</ol>")]


def breadcrumb_links(html: str) -> list[tuple[str, str]]:
    return [(unescape(address), name)
            for address, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', breadcrumbs(html))]


def test_the_province_drills_down_from_a_district_to_its_communes(client, login_as, figures):
    login_as("province_viewer")
    html = client.get("/compare?period=2023Q1").get_data(as_text=True)
    assert unit_links(html) == {"403": "/compare?unit=403&period=2023Q1", "402": "/compare?unit=402&period=2023Q1"}
    # A district's figure opens the district's comparison too (it has no report of its own).
    assert re.search(r'<a href="/compare\?unit=402&amp;period=2023Q1">210</a>', html)

    district = client.get("/compare?unit=402&period=2023Q1").get_data(as_text=True)
    assert table_units(district) == ["16204", "16180", "16174"]
    assert breadcrumb_links(district) == [("/compare?unit=38&period=2023Q1", "Tỉnh Thanh Hóa")]


def test_the_district_opens_one_communes_figures_and_comes_back(client, login_as, figures):
    login_as("officer")
    html = client.get("/compare?period=2023Q1").get_data(as_text=True)
    assert unit_links(html)["16204"] == "/compare?unit=16204&period=2023Q1"
    assert f'<a href="/reports/{figures.report.id}">90' in html  # its figures still open its report
    assert breadcrumb_links(html) == []  # the province's comparison is not the district's to open

    commune = client.get("/compare?unit=16204&period=2023Q1").get_data(as_text=True)
    assert 'data-testid="commune-table"' in commune
    assert breadcrumb_links(commune) == [("/compare?unit=402&period=2023Q1", "Huyện Như Xuân")]


def test_a_commune_user_is_not_led_to_its_districts_comparison(client, login_as, figures):
    login_as("editor")
    html = client.get("/compare?period=2023Q1").get_data(as_text=True)
    assert "Huyện Như Xuân" in breadcrumbs(html)
    assert breadcrumb_links(html) == []


def test_the_navbar_links_to_compare(client, login_as, figures):
    login_as("officer")
    assert 'href="/compare"' in client.get("/").get_data(as_text=True)


def test_signed_out_users_are_sent_to_sign_in(client, figures):
    assert client.get("/compare").status_code in (302, 401)


@pytest.mark.parametrize("user", ["admin", "district_admin"])
def test_admins_compare_the_district_too(client, login_as, figures, user):
    login_as(user)
    html = client.get("/compare?unit=402&period=2023Q1").get_data(as_text=True)
    assert table_units(html) == ["16204", "16180", "16174"]


def test_a_province_supervising_its_communes_directly_compares_them(client, tree, users, db):
    """The tree after 1 July 2025 (DESIGN.md): the province's page lists its communes, as a
    district's does, and its year's grid has a row for each."""
    new_tree = make_province_of_communes(db, {"18001": "Xã Mới Một", "18002": "Xã Mới Hai"})
    with system_scope("test data"):
        viewer = UserFactory(role="province_viewer", unit=new_tree.unit)
        db.session.commit()
    report(new_tree, new_tree.communes[0], "2023Q1", {"TR01": 40})
    refresh(new_tree.communes[0].unit, "2023Q1")

    login(client, viewer.username)
    html = client.get("/compare?unit=99&period=2023Q1").get_data(as_text=True)
    assert table_units(html) == ["18002", "18001"]  # Hai before Một in Vietnamese order
    header = html[html.index('data-testid="compare-header"'):html.index('data-testid="compare-table"')]
    assert "Tỉnh Mới" in header and re.search(r"1\D+2\b", header)  # received 1 of 2
    totals = html[html.index('data-testid="totals"'):]
    assert re.search(r">\s*40\b", totals)
    year = lxml.html.fromstring(client.get("/compare?unit=99&period=2023").get_data(as_text=True))
    assert [row.text_content() for row in year.xpath('//table[@data-testid="report-grid"]//th[@scope="row"]')] == [
        "Mới Hai", "Mới Một"]
