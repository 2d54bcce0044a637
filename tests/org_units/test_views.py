import re

import lxml.html

from tenants import system_scope
from tests.conftest import login
from tests.factories import approve_plan, make_plan


def table_names(page: str) -> list[str]:
    return re.findall(r'<td><a href="/units/\d+">([^<]+)</a></td>', page)


def test_a_district_officer_sees_its_communes_sorted_the_vietnamese_way(client, users):
    login(client, "officer")
    names = table_names(client.get("/").get_data(as_text=True))
    assert names == ["Thị trấn Yên Cát", "Xã Bình Lương"]
    reversed_names = table_names(client.get("/?sort=name&order=desc").get_data(as_text=True))
    assert reversed_names == ["Xã Bình Lương", "Thị trấn Yên Cát"]


def test_sorting_by_code(client, users):
    login(client, "officer")
    page = client.get("/?sort=code").get_data(as_text=True)
    assert table_names(page) == ["Thị trấn Yên Cát", "Xã Bình Lương"]  # 16174 < 16204


def test_an_unknown_sort_column_falls_back_to_the_name(client, users):
    login(client, "officer")
    assert client.get("/?sort=password").status_code == 200


def test_a_commune_user_sees_its_commune_and_no_plan_yet(client, users):
    login(client, "editor")
    page = client.get("/").get_data(as_text=True)
    assert "Xã Bình Lương" in page
    assert 'data-testid="no-plans"' in page
    assert "Yên Cát" not in page


def test_the_unit_page_of_a_district_lists_only_what_the_user_may_see(client, users):
    login(client, "editor")
    page = client.get("/units/402").get_data(as_text=True)
    assert table_names(page) == ["Xã Bình Lương"]


def test_the_province_viewer_sees_both_districts(client, users):
    login(client, "province.viewer")
    assert table_names(client.get("/").get_data(as_text=True)) == ["Huyện Như Thanh", "Huyện Như Xuân"]


def test_a_user_admin_starts_a_reimport_and_sees_its_progress_page(client, users):
    login(client, "district.admin")
    response = client.post("/units/402/import")
    assert response.status_code == 302
    page = client.get(response.location)
    assert page.status_code == 200
    assert 'http-equiv="refresh"' in page.get_data(as_text=True)  # queued: the page refreshes


def test_a_communes_page_lists_its_plans_with_their_reports_and_links_its_figures(client, users, template, tree, db):
    with system_scope("test data"):
        plan = approve_plan(make_plan(template, tree.commune, users["editor"]), users["editor"], users["leader"],
                            users["officer"])
        db.session.commit()
        plan_id, title = plan.id, plan.title
    for reader in ("officer", "province.viewer", "editor"):
        login(client, reader)
        page = lxml.html.fromstring(client.get("/units/16204").get_data(as_text=True))
        rows = page.xpath("//*[@data-testid='commune-plans']/tbody/tr")
        assert [[cell.text_content().strip() for cell in row.xpath("td")][:3] for row in rows] == [
            ["2023", title, "Đã duyệt"]], reader
        assert rows[0].xpath(".//a/@href") == [f"/plans/{plan_id}", f"/plans/{plan_id}/reports"]
        assert page.xpath("//*[@data-testid='unit-compare']/@href") == ["/compare?unit=16204"]
        assert not page.xpath("//*[@data-testid='no-plans']")


def test_a_commune_with_no_plan_says_so_on_its_page(client, users):
    login(client, "officer")
    page = lxml.html.fromstring(client.get("/units/16174").get_data(as_text=True))
    assert page.xpath("//*[@data-testid='no-plans']") and not page.xpath("//*[@data-testid='commune-plans']")
