"""A report's workflow through the API: submit, accept, return with a comment; figures saved
before a rule; a refused or stale step changes nothing."""

import pytest

from app.extensions import db as _db
from tenants import system_scope
from tests.api.reports.calls import act, current_version, patch, saved, saved_values
from tests.factories import (
    figure_saved_before_a_rule,
)


def test_the_leader_submits_late_and_the_officer_accepts(client, as_user, report_id):
    editor, leader, officer = as_user("editor"), as_user("leader"), as_user("officer")
    version = current_version(client, editor, report_id)
    assert act(client, editor, report_id, "submit", version=version).status_code == 403

    submitted = act(client, leader, report_id, "submit", version=version)
    assert submitted.status_code == 200
    body = submitted.get_json()
    assert body["status"] == "submitted" and body["late"] is True and body["submitted_at"]

    assert act(client, leader, report_id, "accept", version=body["version"]).status_code == 403
    assert patch(client, editor, report_id, version=body["version"], values=[]).status_code == 409
    accepted = act(client, officer, report_id, "accept", version=body["version"])
    assert accepted.status_code == 200
    assert accepted.get_json()["status"] == "accepted" and accepted.get_json()["decided_at"]

    again = act(client, leader, report_id, "submit", version=accepted.get_json()["version"])
    assert again.status_code == 409
    assert again.get_json()["error"]["message"] == (
        "Không thể thực hiện thao tác này khi báo cáo đang ở trạng thái “Đã tiếp nhận”.")
    in_english = act(client, {**leader, "Accept-Language": "en"}, report_id, "submit",
                     version=accepted.get_json()["version"])
    assert in_english.get_json()["error"]["message"] == "This cannot be done while the report is “Accepted”."
    assert saved(report_id).status == "accepted"


def test_men_alone_saved_before_the_rule_are_refused_at_submission_on_the_missing_field(client, as_user, report_id):
    with system_scope("test data"):
        figure_saved_before_a_rule(saved(report_id), "TT01", "male", 5)
        _db.session.commit()
    leader = as_user("leader")
    version = current_version(client, leader, report_id)

    response = act(client, {**leader, "Accept-Language": "en"}, report_id, "submit", version=version)
    assert response.status_code == 422
    assert response.get_json()["error"] == {
        "code": "invalid", "message": "Some figures must be completed before the report is submitted.",
        "fields": {"values.TT01.female": "Enter the figure for women too: the total is men plus women."}}
    assert saved(report_id).status == "draft" and saved(report_id).version == version
    assert saved_values(report_id) == {("TT01", "male"): 5}


@pytest.mark.parametrize("language, message", [
    ("vi", "Vui lòng nhập cả số liệu của nữ: tổng bằng nam cộng nữ."),
    ("en", "Enter the figure for women too: the total is men plus women.")])
def test_a_report_names_its_figures_saved_before_the_rule_until_they_are_completed(client, as_user, report_id,
                                                                                  language, message):
    with system_scope("test data"):
        figure_saved_before_a_rule(saved(report_id), "TT01", "male", 5)
        _db.session.commit()
    editor = {**as_user("editor"), "Accept-Language": language}
    opened = client.get(f"/api/v1/reports/{report_id}", headers=editor).get_json()
    assert opened["incomplete"] == {"values.TT01.female": message}

    completed = patch(client, editor, report_id, version=opened["version"],
                      values=[{"indicator": "TT01", "sex": "female", "value": 7}])
    assert completed.status_code == 200 and completed.get_json()["incomplete"] == {}
    assert saved_values(report_id) == {("TT01", "male"): 5, ("TT01", "female"): 7, ("TT01", None): 12}


def test_a_report_with_complete_figures_or_already_sent_names_nothing_incomplete(client, as_user, report_id):
    leader = as_user("leader")
    assert client.get(f"/api/v1/reports/{report_id}", headers=leader).get_json()["incomplete"] == {}
    assert act(client, leader, report_id, "submit", version=current_version(client, leader, report_id)).status_code == 200
    with system_scope("test data"):
        # Sent before the rule: the district accepts or returns it, the commune cannot mend it now.
        figure_saved_before_a_rule(saved(report_id), "TT01", "male", 5)
        _db.session.commit()
    assert client.get(f"/api/v1/reports/{report_id}", headers=leader).get_json()["incomplete"] == {}


def test_a_return_needs_a_comment(client, as_user, report_id):
    leader, officer = as_user("leader"), as_user("officer")
    submitted = act(client, leader, report_id, "submit", version=current_version(client, leader, report_id))
    version = submitted.get_json()["version"]
    # None, or one that shows nothing: spaces, a zero-width space, a direction mark, a bell.
    for blank in (None, "   ", "\u200b", " \u200e\ufeff ", "\u0007"):
        refused = act(client, officer, report_id, "return", version=version, comment=blank)
        assert refused.status_code == 422, repr(blank)
        assert refused.get_json()["error"]["fields"] == {"comment": "Vui lòng ghi rõ nội dung xã cần sửa."}
    # A comment that is not text, even an empty object or list, is refused, not taken as none.
    for not_text in ({}, [], 0):
        refused = act(client, officer, report_id, "accept", version=version, comment=not_text)
        assert refused.status_code == 422
        assert refused.get_json()["error"]["fields"] == {"comment": "Vui lòng nhập nội dung."}
    assert saved(report_id).status == "submitted"

    returned = act(client, officer, report_id, "return", version=version, comment="Bổ sung số liệu quý 1.")
    assert returned.status_code == 200
    assert (returned.get_json()["status"], returned.get_json()["return_comment"]) == (
        "returned", "Bổ sung số liệu quý 1.")


def test_a_stale_transition_changes_nothing(client, as_user, report_id):
    leader = as_user("leader")
    version = current_version(client, leader, report_id)
    response = act(client, leader, report_id, "submit", version=version - 1 if version > 1 else version + 1)
    assert response.status_code == 409 and response.get_json()["error"]["current"]["status"] == "draft"
    assert saved(report_id).status == "draft"


def test_a_transition_with_a_field_it_does_not_take_is_refused_and_changes_nothing(client, as_user, report_id):
    """A misspelt comment ("coment") would otherwise be dropped, and the step taken without it."""
    leader = {**as_user("leader"), "Accept-Language": "en"}
    response = act(client, leader, report_id, "submit", version=current_version(client, leader, report_id),
                   coment="Đã rà soát")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"coment": "This field cannot be changed here."}
    assert saved(report_id).status == "draft"
