"""The report's workflow on its page: the buttons each role sees in each state, submitting
(late after the deadline), returning with a comment, accepting, and the history."""
import pytest

from app.plans.models import Plan
from app.reports import services
from app.reports.models import Report, ReportStatus
from tenants import system_scope
from tests.conftest import login
from tests.factories import (
    approve_plan,
    figure_saved_before_a_rule,
    make_plan,
    make_template,
)


@pytest.fixture
def report_id(tree, users, db) -> int:
    """A draft report for 2023Q1 of Bình Lương's approved 2023 plan, with one figure."""
    with system_scope("test data"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        approve_plan(plan, users["editor"], users["leader"], users["officer"])
        report = services.create_report(db.session.get(Plan, plan.id), "2023Q1", users["editor"])
        services.update_report(report, users["editor"], report.version, {"values": [
            {"indicator": "TR01", "sex": None, "value": 8}]})
        db.session.commit()
        return report.id


REFUSED_IN_THIS_STATE = "Không thể thực hiện thao tác này khi báo cáo đang ở trạng thái"


def current(db, report_id: int) -> Report:
    with system_scope("test reads the report"):
        db.session.expire_all()
        return db.session.get(Report, report_id)


def version(db, report_id: int) -> int:
    return current(db, report_id).version


def signed_in(app, username: str):
    """A browser of its own for each person."""
    client = app.test_client()
    login(client, username)
    return client


def buttons(app, username: str, report_id: int) -> set[str]:
    client = signed_in(app, username)
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    return {action for action in ("submit", "accept", "return", "edit-report")
            if f'data-testid="action-{action}"' in page or f'data-testid="{action}"' in page}


def act(client, db, report_id: int, action: str, comment: str = "", stale: bool = False):
    data = {"version": version(db, report_id) - (1 if stale else 0), "comment": comment}
    return client.post(f"/reports/{report_id}/actions/{action}", data=data)


def test_the_buttons_follow_the_role_and_the_state(app, report_id, db):
    assert buttons(app, "editor", report_id) == {"edit-report"}
    assert buttons(app, "leader", report_id) == {"submit", "edit-report"}
    assert buttons(app, "officer", report_id) == set()
    assert buttons(app, "province.viewer", report_id) == set()

    client = signed_in(app, "leader")
    act(client, db, report_id, "submit")
    assert buttons(app, "leader", report_id) == set()
    assert buttons(app, "officer", report_id) == {"accept", "return"}
    assert buttons(app, "province.viewer", report_id) == set()


def test_an_editor_cannot_submit(client, login_as, report_id, db):
    login_as("editor")
    assert act(client, db, report_id, "submit").status_code == 403
    assert current(db, report_id).status == ReportStatus.DRAFT


def test_the_leader_submits_after_the_deadline_and_the_report_is_late(client, login_as, report_id, db):
    login_as("leader")
    response = act(client, db, report_id, "submit")

    assert response.status_code == 302
    report = current(db, report_id)
    assert report.status == ReportStatus.SUBMITTED and report.late
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert 'data-testid="late">Nộp muộn<' in page and 'data-testid="edit-report"' not in page
    listing = client.get(f"/plans/{report.plan_id}/reports").get_data(as_text=True)
    assert 'data-testid="late"' in listing and 'data-state="closed"' in listing


def test_a_stale_action_changes_nothing_and_says_so(client, login_as, report_id, db):
    login_as("leader")
    response = act(client, db, report_id, "submit", stale=True)
    assert response.status_code == 302
    assert "alert-warning" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert current(db, report_id).status == ReportStatus.DRAFT


def test_a_return_without_a_comment_says_so_on_the_page_and_changes_nothing(app, report_id, db):
    signed_in(app, "leader").post(f"/reports/{report_id}/actions/submit",
                                  data={"version": version(db, report_id), "comment": ""})
    officer = signed_in(app, "officer")
    response = officer.post(f"/reports/{report_id}/actions/return",
                            data={"version": version(db, report_id), "comment": " "})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # Not "some of the values are not valid": the comment alone is wrong.
    assert "Chưa thực hiện: cần sửa lại ý kiến." in page and "Một số giá trị không hợp lệ." not in page
    assert current(db, report_id).status == ReportStatus.SUBMITTED


def test_a_button_sent_twice_says_the_step_was_done_not_that_it_cannot_be(app, report_id, db):
    """A second click on a slow line, or the form sent again when the answer was lost: the
    second sending finds the step done, by its first."""
    leader = signed_in(app, "leader")
    sent = {"version": version(db, report_id), "comment": ""}
    first = leader.post(f"/reports/{report_id}/actions/submit", data=sent)
    assert "Đã gửi báo cáo lên huyện." in leader.get(first.headers["Location"]).get_data(as_text=True)
    again = leader.post(f"/reports/{report_id}/actions/submit", data=sent)
    page = leader.get(again.headers["Location"]).get_data(as_text=True)
    assert "Đã gửi báo cáo lên huyện." in page and REFUSED_IN_THIS_STATE not in page and "alert-warning" not in page

    # Returned twice with the same comment: the same. With another comment, the second is
    # refused as before: that comment was not saved.
    officer = signed_in(app, "officer")
    sent = {"version": version(db, report_id), "comment": "Bổ sung số liệu TR01."}
    officer.get(officer.post(f"/reports/{report_id}/actions/return", data=sent).headers["Location"])
    again = officer.post(f"/reports/{report_id}/actions/return", data=sent)
    page = officer.get(again.headers["Location"]).get_data(as_text=True)
    assert REFUSED_IN_THIS_STATE not in page and "Đã trả lại báo cáo" in page
    other = officer.post(f"/reports/{report_id}/actions/return", data={**sent, "comment": "Ý kiến khác."})
    assert REFUSED_IN_THIS_STATE in officer.get(other.headers["Location"]).get_data(as_text=True)
    assert current(db, report_id).return_comment == "Bổ sung số liệu TR01."


def test_a_step_someone_else_took_is_still_refused(app, report_id, db):
    signed_in(app, "leader").post(f"/reports/{report_id}/actions/submit",
                                  data={"version": version(db, report_id), "comment": ""})
    # The officer and the administrator accept the same version: the second is not the first's resend.
    sent = {"version": version(db, report_id), "comment": ""}
    signed_in(app, "officer").post(f"/reports/{report_id}/actions/accept", data=sent)
    admin = signed_in(app, "admin")
    response = admin.post(f"/reports/{report_id}/actions/accept", data=sent)
    assert response.status_code == 302
    assert REFUSED_IN_THIS_STATE in admin.get(response.headers["Location"]).get_data(as_text=True)


def test_men_alone_saved_before_the_rule_are_listed_when_the_leader_submits(client, login_as, report_id, db):
    with system_scope("test data"):
        figure_saved_before_a_rule(db.session.get(Report, report_id), "TT01", "male", 5)
        db.session.commit()
    login_as("leader")
    response = act(client, db, report_id, "submit")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Cần bổ sung một số số liệu trước khi gửi báo cáo." in page
    start = page.index('data-testid="problems"')
    problems = page[start:page.index("</ul>", start)]
    assert "Số người được truyền thông (Nữ): Vui lòng nhập cả số liệu của nữ: tổng bằng nam cộng nữ." in problems
    assert current(db, report_id).status == ReportStatus.DRAFT


def test_the_officer_returns_with_a_comment_then_accepts(app, report_id, db):
    client = signed_in(app, "leader")
    act(client, db, report_id, "submit")
    client = signed_in(app, "officer")

    without = act(client, db, report_id, "return")
    assert without.status_code == 422
    assert 'data-testid="problems"' in without.get_data(as_text=True)
    assert current(db, report_id).status == ReportStatus.SUBMITTED

    assert act(client, db, report_id, "return", "Thiếu số liệu tờ rơi quý 1").status_code == 302
    assert current(db, report_id).status == ReportStatus.RETURNED

    client = signed_in(app, "editor")
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert 'data-testid="return-comment"' in page and "Thiếu số liệu tờ rơi quý 1" in page
    form = client.get(f"/reports/{report_id}/edit")
    assert form.status_code == 200  # returned: editable again, with the comment that says what to correct
    page = form.get_data(as_text=True)
    assert 'data-testid="return-comment"' in page and "Thiếu số liệu tờ rơi quý 1" in page
    assert "huyện nhận lại báo cáo khi lãnh đạo UBND xã gửi đi" in page and "trạng thái dự thảo" not in page

    client = signed_in(app, "leader")
    act(client, db, report_id, "submit")
    client = signed_in(app, "officer")
    assert act(client, db, report_id, "accept").status_code == 302
    report = current(db, report_id)
    assert report.status == ReportStatus.ACCEPTED and report.late and report.decided_at


def test_after_acceptance_nothing_more_is_submitted_or_edited(app, users, report_id, db):
    with system_scope("test data"):
        report = db.session.get(Report, report_id)
        services.perform(report, "submit", users["leader"], report.version)
        services.perform(report, "accept", users["officer"], report.version)
        db.session.commit()
    client = signed_in(app, "leader")

    refused = act(client, db, report_id, "submit")
    assert refused.status_code == 302
    assert "alert-danger" in client.get(refused.headers["Location"]).get_data(as_text=True)
    edit_page = client.get(f"/reports/{report_id}/edit")
    assert edit_page.status_code == 302 and edit_page.headers["Location"].endswith(f"/reports/{report_id}")
    saved_version = version(db, report_id)
    late_save = client.post(f"/reports/{report_id}/edit", data={"version": saved_version, "values.TR01.total": "9"})
    assert late_save.status_code == 409
    assert 'data-testid="refused"' in late_save.get_data(as_text=True)
    assert 'value="9"' in late_save.get_data(as_text=True)
    assert current(db, report_id).status == ReportStatus.ACCEPTED


def test_the_history_says_who_did_what(app, users, report_id, db):
    client = signed_in(app, "leader")
    act(client, db, report_id, "submit")
    client = signed_in(app, "officer")
    act(client, db, report_id, "return", "Bổ sung ghi chú")

    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert page.count('data-testid="log-entry"') == 4  # created, edited, submitted, returned
    for key in ("editor", "leader", "officer"):
        assert users[key].full_name in page
    assert "Số tờ rơi phát ra" in page and "Bổ sung ghi chú" in page


def test_an_acceptance_while_the_broker_is_down_is_saved_and_said_so(app, report_id, db, broker_down, caplog):
    """The report is accepted and the page says so; the district's figures wait for the
    refresh that beat sends again (tests/rollups/test_services.py)."""
    act(signed_in(app, "leader"), db, report_id, "submit")
    client = signed_in(app, "officer")
    with broker_down():
        response = act(client, db, report_id, "accept")

    assert response.status_code == 302
    assert "Đã tiếp nhận báo cáo." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert current(db, report_id).status == ReportStatus.ACCEPTED
    assert "tasks.rollups.refresh_rollups" in caplog.text and "was not sent" in caplog.text
