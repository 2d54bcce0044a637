"""The home page of a district: what waits for its decision, above its communes."""
import re

import pytest

from app.home import views as home_views
from tenants import system_scope
from tests.conftest import login
from tests.factories import (
    UserFactory,
    approve_plan,
    make_plan,
    make_report,
    make_template,
    submit_plan,
)
from tests.rollups.engine_data import make_province_of_communes


@pytest.fixture
def waiting(tree, users, db):
    """Bình Lương's 2023Q1 and Q2 reports submitted (Q1 first), Yên Cát's plan submitted,
    and a report submitted in Như Thanh, another district."""
    with system_scope("test data"):
        plan = approve_plan(make_plan(make_template(tree.district), tree.commune, users["editor"]), users["editor"],
                            users["leader"], users["officer"])
        reports = [make_report(plan, period, {"TR01": 5}, users["editor"], users["leader"])
                   for period in ("2023Q1", "2023Q2")]
        submit_plan(make_plan(plan.template, tree.sibling_commune, users["sibling_editor"]), users["sibling_editor"],
                    UserFactory(role="commune_leader", unit=tree.sibling_commune))
        other_leader = UserFactory(role="commune_leader", unit=tree.other_commune)
        other_plan = approve_plan(make_plan(make_template(tree.other_district), tree.other_commune,
                                            users["other_editor"]), users["other_editor"], other_leader,
                                  users["other_district_officer"])
        make_report(other_plan, "2023Q1", {"TR01": 7}, users["other_editor"], other_leader)
        db.session.commit()
        return [report.id for report in reports]


def decisions(page: str) -> str:
    return page[page.index('data-testid="decisions"'):page.index("</section>")]


def test_the_district_officer_finds_the_plans_and_reports_waiting_for_a_decision(client, login_as, waiting):
    login_as("officer")
    section = decisions(client.get("/").get_data(as_text=True))

    assert "Việc cần xử lý" in section
    assert re.search(r'href="/plans\?status=submitted"[^>]*>1 kế hoạch chờ duyệt<', section)
    assert "2 báo cáo chờ duyệt:" in section
    # The oldest submission first, each a link to the report to accept or return; both came late.
    assert re.findall(r'<a href="/reports/(\d+)">([^<]+)</a>', section) == [
        (str(waiting[0]), "Bình Lương · Quý 1/2023"), (str(waiting[1]), "Bình Lương · Quý 2/2023")]
    assert section.count("nộp muộn") == 2


def test_only_the_oldest_submissions_are_listed_when_many_wait(client, login_as, waiting, monkeypatch):
    monkeypatch.setattr(home_views, "REPORTS_LISTED", 1)
    login_as("officer")
    section = decisions(client.get("/").get_data(as_text=True))
    assert "2 báo cáo chờ duyệt (1 báo cáo nộp sớm nhất):" in section
    assert re.findall(r'<a href="/reports/(\d+)">', section) == [str(waiting[0])]


def test_another_district_sees_its_own_report_only(client, login_as, waiting):
    login_as("other_district_officer")
    section = decisions(client.get("/").get_data(as_text=True))
    assert "1 báo cáo chờ duyệt:" in section and "Hải Long · Quý 1/2023" in section
    assert "kế hoạch chờ duyệt" not in section and "Bình Lương" not in section


@pytest.mark.parametrize("user", ["province_viewer", "district_admin"])
def test_users_who_do_not_decide_see_no_such_list(client, login_as, waiting, user):
    login_as(user)
    assert 'data-testid="decisions"' not in client.get("/").get_data(as_text=True)


def test_nothing_waiting_shows_nothing(client, login_as):
    login_as("officer")
    assert 'data-testid="decisions"' not in client.get("/").get_data(as_text=True)


def test_the_district_home_leads_to_each_communes_reports_for_the_year(client, login_as, waiting):
    login_as("officer")
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-testid="report-grid-link">([^<]+)</a>', page)
    assert link.groups() == ("/compare?unit=402&amp;period=2023#report-grid", "Báo cáo của các xã trong năm 2023")
    assert 'id="report-grid"' in client.get("/compare?unit=402&period=2023").get_data(as_text=True)


@pytest.mark.parametrize("user", ["editor", "province_viewer"])  # a commune; a province compares districts
def test_only_a_district_home_leads_to_the_communes_reports(client, login_as, waiting, user):
    login_as(user)
    assert 'data-testid="report-grid-link"' not in client.get("/").get_data(as_text=True)


def test_a_province_supervising_its_communes_directly_leads_to_their_reports(client, db):
    """The tree after 1 July 2025 (DESIGN.md): no district between the province and its communes."""
    province = make_province_of_communes(db, {"18001": "Xã Mới Một"}).unit
    with system_scope("test data"):
        viewer = UserFactory(role="province_viewer", unit=province)
        db.session.commit()
    login(client, viewer.username)
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-testid="report-grid-link">([^<]+)</a>', page)
    assert link.groups() == ("/compare?unit=99&amp;period=2023#report-grid", "Báo cáo của các xã trong năm 2023")
