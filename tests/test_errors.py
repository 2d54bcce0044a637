"""Errors answered in the user's language: a row made twice at the same moment (two clicks on
a slow line, where the page does not open the first itself) is a 409 saying so, the first kept; a server error's page is the app's own, even
after a failed database write."""
import pytest
from sqlalchemy import event, insert

from app.extensions import db as _db
from app.plans.models import Plan
from app.reports import services as report_services
from app.reports.models import Report
from tenants import system_scope
from tests.factories import approve_plan, make_plan, make_template

SAVED_AT_ONCE = {"vi": "Nội dung này vừa được một yêu cầu khác lưu cùng lúc",
                 "en": "This was saved by another request at the same moment"}


@pytest.fixture
def plan(tree, users, db) -> Plan:
    """Bình Lương's approved plan for 2023."""
    with system_scope("test data"):
        plan = approve_plan(make_plan(make_template(tree.district), tree.commune, users["editor"]),
                            users["editor"], users["leader"], users["officer"])
        db.session.commit()
        return plan


@pytest.fixture
def another_request_first():
    """`start(template, unit)`: just before this request writes its plan, another one commits
    the unit's plan for the year. The hook goes with the test, whether it ran or not."""
    hooks = []

    def start(template, unit) -> None:
        template_id, unit_id, year = template.id, unit.id, template.year

        def commit_it_elsewhere(*_args):
            with _db.engine.begin() as connection:
                connection.execute(insert(Plan).values(unit_id=unit_id, template_id=template_id, year=year,
                                                       title="Kế hoạch"))

        event.listen(_db.session, "before_flush", commit_it_elsewhere, once=True)
        hooks.append(commit_it_elsewhere)

    yield start
    for hook in hooks:
        if event.contains(_db.session, "before_flush", hook):
            event.remove(_db.session, "before_flush", hook)


def plans_of(unit) -> list[int]:
    with system_scope("test reads what was saved"):
        return list(_db.session.execute(_db.select(Plan.year).where(Plan.unit_id == unit.id)).scalars())


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_plan_created_twice_at_once_is_answered_409_and_the_first_kept(client, login_as, tree, db,
                                                                        another_request_first, language):
    with system_scope("test data"):
        template = make_template(tree.district, year=2024)
        db.session.commit()
    login_as("editor")
    client.post("/language", data={"locale": language, "next": "/"})
    another_request_first(template, tree.commune)
    response = client.post("/plans", data={"template_id": template.id})
    assert response.status_code == 409
    assert SAVED_AT_ONCE[language] in response.get_data(as_text=True)
    assert plans_of(tree.commune) == [2024]


def test_a_server_error_after_a_failed_write_gets_the_apps_page_in_vietnamese(app, client, login_as, plan,
                                                                              monkeypatch):
    """The page reads the signed-in user, which a failed transaction refused: it was Werkzeug's
    bare page, in English."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production, not testing

    def broken(plan, *_args):
        _db.session.add(Report(plan_id=plan.id, unit_id=plan.unit_id, period=None))  # a NOT NULL column
        _db.session.flush()

    monkeypatch.setattr(report_services, "create_report", broken)
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/reports", data={"period": "2023Q3"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Hệ thống gặp sự cố" in page and "Đăng xuất" in page  # the app's page, for the signed-in user
