"""The workflow on the plan's page: the buttons each role sees in each state, and the steps."""
import pytest

from app.plans import services
from app.plans.models import Plan, PlanStatus
from tenants import system_scope
from tests.conftest import login
from tests.factories import make_plan, make_template

COMPLETE = {
    "document_number": "45/KH-UBND", "document_date": "2023-05-05", "signer_name": "Lê Văn A",
    "targets": [{"indicator": "CB01", "sex": None, "value": 30}, {"indicator": "TR01", "sex": None, "value": 100}],
}


@pytest.fixture
def plan(tree, users, db):
    """A draft plan, complete enough to be submitted."""
    with system_scope("test data"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        services.update_plan(plan, users["editor"], plan.version, COMPLETE)
        db.session.commit()
        return plan


def move(db, plan, *steps):
    with system_scope("test data"):
        plan = db.session.get(Plan, plan.id)
        for action, who, comment in steps:
            services.perform(plan, action, who, plan.version, comment)
        db.session.commit()


def current(db, plan_id: int) -> tuple[str, int, int, str]:
    with system_scope("test reads the plan"):
        db.session.expire_all()
        plan = db.session.get(Plan, plan_id)
        return plan.status, plan.edition, plan.version, plan.return_comment


def buttons(app, username: str, plan_id: int) -> set[str]:
    client = app.test_client()
    login(client, username)
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    return {action for action in ("submit", "approve", "return", "amend") if f'data-testid="action-{action}"' in page}


def test_the_buttons_follow_the_role_and_the_state(app, plan, users, db):
    assert buttons(app, "editor", plan.id) == set()
    assert buttons(app, "leader", plan.id) == {"submit"}
    assert buttons(app, "officer", plan.id) == set()

    move(db, plan, ("submit", users["leader"], ""))
    assert buttons(app, "leader", plan.id) == set()
    assert buttons(app, "officer", plan.id) == {"approve", "return"}
    assert buttons(app, "province.viewer", plan.id) == set()

    move(db, plan, ("approve", users["officer"], ""))
    assert buttons(app, "editor", plan.id) == {"amend"}
    assert buttons(app, "officer", plan.id) == set()


def test_the_edit_links_show_only_while_the_plan_may_be_edited(client, login_as, plan, users, db):
    login_as("editor")
    assert 'data-testid="edit-targets"' in client.get(f"/plans/{plan.id}").get_data(as_text=True)
    move(db, plan, ("submit", users["leader"], ""))
    assert 'data-testid="edit-targets"' not in client.get(f"/plans/{plan.id}").get_data(as_text=True)


def test_the_leader_submits_and_a_version_is_kept(client, login_as, plan, db):
    login_as("leader")
    response = client.post(f"/plans/{plan.id}/actions/submit", data={"version": plan.version})

    assert response.status_code == 302
    assert current(db, plan.id)[0] == PlanStatus.SUBMITTED
    page = client.get(f"/plans/{plan.id}/versions").get_data(as_text=True)
    assert page.count('data-testid="version-row"') == 1


def test_an_incomplete_plan_is_not_submitted_and_the_problems_are_listed(client, login_as, tree, users, db):
    with system_scope("test data"):
        plan = make_plan(make_template(tree.district), tree.commune, users["editor"])
        db.session.commit()
        plan_id, version = plan.id, plan.version
    login_as("leader")

    response = client.post(f"/plans/{plan_id}/actions/submit", data={"version": version})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    problems = page.split('data-testid="problems"')[1].split("</div>")[0]
    # Each missing piece by name: the document's number, and the targets without a minimum.
    assert problems.count("<li>") == 5 and "Tỷ lệ nữ cán bộ xã" in problems
    assert current(db, plan_id)[0] == PlanStatus.DRAFT


def test_an_editor_cannot_submit(client, login_as, plan, db):
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/actions/submit", data={"version": plan.version})
    assert response.status_code == 403
    assert current(db, plan.id)[0] == PlanStatus.DRAFT


def test_a_return_needs_a_comment(client, login_as, plan, users, db):
    move(db, plan, ("submit", users["leader"], ""))
    login_as("officer")
    version = current(db, plan.id)[2]

    refused = client.post(f"/plans/{plan.id}/actions/return", data={"version": version, "comment": "  "})
    assert refused.status_code == 422
    assert current(db, plan.id)[0] == PlanStatus.SUBMITTED

    response = client.post(f"/plans/{plan.id}/actions/return",
                           data={"version": version, "comment": "Bổ sung hoạt động cho phụ nữ."})
    assert response.status_code == 302
    assert current(db, plan.id)[0] == PlanStatus.RETURNED
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Bổ sung hoạt động cho phụ nữ." in page.split('data-testid="return-comment"')[1]


def test_the_officer_approves_and_the_plan_is_locked(app, client, login_as, plan, users, db):
    move(db, plan, ("submit", users["leader"], ""))
    login_as("officer")
    client.post(f"/plans/{plan.id}/actions/approve", data={"version": current(db, plan.id)[2]})
    assert current(db, plan.id)[0] == PlanStatus.APPROVED

    client = app.test_client()
    login(client, "editor")
    response = client.get(f"/plans/{plan.id}/sections/muc-dich")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/plans/{plan.id}")
    saved = client.post(f"/plans/{plan.id}/sections/muc-dich",
                        data={"version": current(db, plan.id)[2], "text": "Sửa sau khi duyệt"})
    assert saved.status_code == 409
    assert "Sửa sau khi duyệt" in saved.get_data(as_text=True)  # the typed text is not lost
    assert current(db, plan.id)[0] == PlanStatus.APPROVED


def test_an_amendment_makes_edition_two_and_can_be_compared(client, login_as, plan, users, db):
    move(db, plan, ("submit", users["leader"], ""), ("approve", users["officer"], ""))
    login_as("leader")

    client.post(f"/plans/{plan.id}/actions/amend", data={"version": current(db, plan.id)[2]})

    status, edition, version, _comment = current(db, plan.id)
    assert (status, edition) == (PlanStatus.DRAFT, 2)
    client.post(f"/plans/{plan.id}/sections/muc-dich", data={"version": version, "text": "Mục đích mới"})
    client.post(f"/plans/{plan.id}/details", data={
        "version": current(db, plan.id)[2], "document_number": "46/KH-UBND", "document_date": "20/07/2023",
        "signer_name": "Lê Văn A"})
    client.post(f"/plans/{plan.id}/actions/submit", data={"version": current(db, plan.id)[2]})
    assert current(db, plan.id)[0] == PlanStatus.SUBMITTED
    page = client.get(f"/plans/{plan.id}/versions/compare?from=1&to=2").get_data(as_text=True)
    assert 'data-testid="section-change-muc-dich"' in page and "<ins>Mục đích mới</ins>" in page
    assert "05/05/2023 → 20/07/2023" in page and "45/KH-UBND → 46/KH-UBND" in page
    # A version that is not one, in words, digits past any row or a superscript: not found.
    for query in ("to=abc", f"to={2**64}", "to=²"):
        assert client.get(f"/plans/{plan.id}/versions/compare?{query}").status_code == 404, query


def test_a_stale_action_changes_nothing(client, login_as, plan, db):
    login_as("leader")
    response = client.post(f"/plans/{plan.id}/actions/submit", data={"version": plan.version - 1})
    assert response.status_code == 302
    assert current(db, plan.id)[0] == PlanStatus.DRAFT


def test_a_submit_sent_twice_says_the_plan_was_submitted(client, login_as, plan, db):
    """A second click on a slow line: the second sending finds the plan submitted, by its first."""
    login_as("leader")
    sent = {"version": plan.version}
    client.get(client.post(f"/plans/{plan.id}/actions/submit", data=sent).headers["Location"])

    again = client.post(f"/plans/{plan.id}/actions/submit", data=sent)

    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Đã gửi kế hoạch để xét duyệt." in page and "alert-danger" not in page
    assert current(db, plan.id)[0] == PlanStatus.SUBMITTED


def test_the_log_says_who_did_what(client, login_as, plan, users, db):
    move(db, plan, ("submit", users["leader"], ""), ("return", users["officer"], "Thiếu số liệu"))
    login_as("editor")
    log = client.get(f"/plans/{plan.id}").get_data(as_text=True).split('id="log"')[1]
    assert users["officer"].full_name in log and users["leader"].full_name in log
    assert "Thiếu số liệu" in log
    assert "100" in log  # a target's before → after
