"""The report pages: a plan's periods and their states, starting a report, and the one edit
form with two people saving at once (its checks and warnings: test_validation.py)."""
import re

from app.audit.queries import entries_for
from app.auth.models import Role
from app.plans import services as plan_services
from app.plans.models import Plan
from app.reports import services
from app.reports.models import Report
from tenants import system_scope
from tests.conftest import statements_run
from tests.factories import (
    UserFactory,
    approve_plan,
    make_plan,
    make_report,
    make_template,
)
from tests.reports.edit_form import follow, form_of, saved, saved_values


def test_the_plans_periods_are_listed_with_their_deadline_and_state(client, login_as, plan):
    login_as("editor")
    page = client.get(f"/plans/{plan.id}/reports").get_data(as_text=True)

    for quarter in range(1, 5):
        assert f'data-testid="period-2023Q{quarter}"' in page
        assert f'data-testid="create-2023Q{quarter}"' in page
    assert "3/2023" in page  # "Quý 3/2023"
    # 2023 is long past and nothing was submitted: every period is late.
    assert page.count('data-testid="period-state"') == 4
    assert page.count('data-state="late"') == 4


def test_the_plan_page_links_to_its_reports(client, login_as, plan):
    login_as("officer")
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert f'href="/plans/{plan.id}/reports"' in page


def test_starting_a_report_sent_already_opens_its_page_when_it_cannot_be_edited(client, login_as, plan, users, db):
    with system_scope("test data"):
        report = make_report(db.session.get(Plan, plan.id), "2023Q2", {"TR01": 3}, users["editor"], users["leader"])
        db.session.commit()
        report_id = report.id
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/reports", data={"period": "2023Q2"})
    assert response.headers["Location"].endswith(f"/reports/{report_id}")  # submitted: read, not edited


def test_an_editor_starts_the_report_of_a_period_once(client, login_as, plan, db):
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/reports", data={"period": "2023Q2"})

    assert response.status_code == 302
    with system_scope("test"):
        report = db.session.execute(db.select(Report)).scalar_one()
        assert report.period == "2023Q2" and report.status == "draft"
    assert response.headers["Location"].endswith(f"/reports/{report.id}/edit")  # to type its figures
    listing = client.get(f"/plans/{plan.id}/reports").get_data(as_text=True)
    assert f'href="/reports/{report.id}"' in listing and 'data-testid="create-2023Q2"' not in listing

    # Started again (a second click on a slow line, or a colleague's report): it opens.
    second = client.post(f"/plans/{plan.id}/reports", data={"period": "2023Q2"})
    assert second.headers["Location"].endswith(f"/reports/{report.id}/edit")
    assert "Báo cáo Quý 2/2023 đã được lập trước đó." in follow(client, second)
    outside = follow(client, client.post(f"/plans/{plan.id}/reports", data={"period": "2024Q1"}))
    assert "2023Q1, 2023Q2, 2023Q3, 2023Q4" in outside
    with system_scope("test"):
        assert db.session.execute(db.select(db.func.count(Report.id))).scalar_one() == 1


def test_a_report_started_by_a_colleague_at_the_same_moment_opens(client, login_as, plan, db, monkeypatch):
    """The check before the insert saw nothing (the other request had not committed): the
    unique key refuses this one, and the colleague's report opens, as on a second click."""
    login_as("editor")
    first = client.post(f"/plans/{plan.id}/reports", data={"period": "2023Q2"})
    monkeypatch.setattr("app.reports.services.queries.has_report", lambda plan, period_id: False)

    second = client.post(f"/plans/{plan.id}/reports", data={"period": "2023Q2"})

    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert "Báo cáo Quý 2/2023 đã được lập trước đó." in follow(client, second)
    with system_scope("test"):
        assert db.session.execute(db.select(db.func.count(Report.id))).scalar_one() == 1


def test_no_report_is_written_on_a_plan_not_yet_approved(client, login_as, tree, users, db):
    with system_scope("test data"):
        draft = make_plan(make_template(tree.district), tree.commune, users["editor"])
        db.session.commit()
    login_as("editor")
    page = client.get(f"/plans/{draft.id}/reports").get_data(as_text=True)
    assert 'data-testid="not-reportable"' in page and 'data-testid="create-2023Q1"' not in page

    refused = follow(client, client.post(f"/plans/{draft.id}/reports", data={"period": "2023Q1"}))
    assert "alert-danger" in refused
    with system_scope("test"):
        assert db.session.execute(db.select(Report)).first() is None


def test_district_and_province_users_read_but_do_not_write(client, login_as, plan, report, db):
    login_as("officer")
    page = client.get(f"/plans/{plan.id}/reports").get_data(as_text=True)
    assert 'data-testid="create-2023Q2"' not in page and f'href="/reports/{report.id}"' in page
    assert client.post(f"/plans/{plan.id}/reports", data={"period": "2023Q2"}).status_code == 403
    assert 'data-testid="edit-report"' not in client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert client.get(f"/reports/{report.id}/edit").status_code == 403

    login_as("province_viewer")  # reads the reports the communes sent (DESIGN.md), not their drafts
    for address in (f"/reports/{report.id}", f"/reports/{report.id}/print", f"/reports/{report.id}/document.docx"):
        assert client.get(address).status_code == 404, address
    page = client.get(f"/plans/{plan.id}/reports").get_data(as_text=True)
    assert 'data-testid="period-2023Q1"' in page and f'href="/reports/{report.id}"' not in page
    with system_scope("test data"):
        sent = saved(db, report.id)
        services.perform(sent, "submit", UserFactory(role=Role.COMMUNE_LEADER.value, unit=sent.unit), sent.version)
        db.session.commit()
    assert client.get(f"/reports/{report.id}").status_code == 200
    assert f'href="/reports/{report.id}"' in client.get(f"/plans/{plan.id}/reports").get_data(as_text=True)


def test_the_editor_enters_the_figures_and_activities(client, login_as, report, db):
    login_as("editor")
    page = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert 'name="values.TT01.female"' in page and 'name="values.TR01.total"' in page
    activity_id = report.activity_ids[0]
    assert f'name="activities.{activity_id}.progress"' in page

    response = client.post(f"/reports/{report.id}/edit", data=form_of(report, **{
        "values__TT01__male": "40", "values__TT01__female": "45", "values__CB01__total": "25,5",
        "values__TR01__total": "1.500",
        f"activities__{activity_id}__progress": "done", f"activities__{activity_id}__note": "Đã phát 3 buổi",
        f"activities__{activity_id}__budget_spent": "2.000.000"}))

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/reports/{report.id}")
    assert saved_values(db, report.id) == {("TT01", None): 85, ("TT01", "male"): 40, ("TT01", "female"): 45,
                                           ("CB01", None): 25.5, ("TR01", None): 1500}
    with system_scope("test"):
        row = saved(db, report.id).progress_of(activity_id)
        assert (row.progress, row.note, row.budget_spent_vnd) == ("done", "Đã phát 3 buổi", 2_000_000)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Đã phát 3 buổi" in page and "2.000.000" in page
    form = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)  # as a Vietnamese reader writes them
    assert 'value="1.500"' in form and 'value="25,5"' in form and 'value="2.000.000"' in form


def test_the_form_shows_the_year_so_far_before_the_period_being_filled_in(client, login_as, plan, users, db):
    with system_scope("test data"):
        plan = db.session.get(Plan, plan.id)
        make_report(plan, "2023Q1", {("TT01", "male"): 15, ("TT01", "female"): 25, "CB01": 20, "TR01": 100},
                    users["editor"], users["leader"], users["officer"])
        make_report(plan, "2023Q2", {("TT01", "male"): 5, ("TT01", "female"): 10, "CB01": 25},
                    users["editor"], users["leader"])  # submitted, not yet accepted: the commune's own figures
        q3 = services.create_report(plan, "2023Q3", users["editor"])
        db.session.commit()
    login_as("editor")

    page = client.get(f"/reports/{q3.id}/edit").get_data(as_text=True)

    assert "Lũy kế đến Quý 2/2023" in page
    assert re.search(r'data-testid="before-TT01">\s*55\s*<', page)  # 40 + 15
    assert re.search(r'data-testid="before-TR01">\s*100\s*<', page)  # Q2 has none: it adds nothing
    assert re.search(r'data-testid="before-CB01">\s*25\s*<', page)  # `last`: Q2's
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Year so far, to Quarter 2/2023" in client.get(f"/reports/{q3.id}/edit").get_data(as_text=True)


def test_the_first_periods_form_has_no_year_so_far(client, login_as, report):
    login_as("editor")
    page = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)

    assert 'name="values.TR01.total"' in page
    assert "Lũy kế" not in page and 'data-testid="before-' not in page


def test_the_commune_writes_its_assessment_and_the_log_names_it(client, login_as, report, db):
    login_as("editor")
    assert 'name="assessment"' in client.get(f"/reports/{report.id}/edit").get_data(as_text=True)

    page = follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(
        report, assessment="Các thôn đã tổ chức đủ 3 buổi.\r\nKiến nghị: <b>hỗ trợ</b> kinh phí.")))

    assert saved(db, report.id).assessment == "Các thôn đã tổ chức đủ 3 buổi.\nKiến nghị: <b>hỗ trợ</b> kinh phí."
    section = page[page.index('id="assessment"'):]
    assert "Kiến nghị: &lt;b&gt;hỗ trợ&lt;/b&gt; kinh phí." in section
    assert "Đánh giá chung và kiến nghị" in section  # the log's line names the field


def test_a_form_without_the_assessment_leaves_the_saved_one(client, login_as, report, users, db):
    with system_scope("test data"):
        services.update_report(saved(db, report.id), users["editor"], report.version, {"assessment": "Đã viết."})
        db.session.commit()
    login_as("editor")

    follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(
        report, version=saved(db, report.id).version, values__TR01__total="7")))

    assert saved(db, report.id).assessment == "Đã viết."
    assert saved_values(db, report.id) == {("TR01", None): 7}


def test_the_commune_numbers_its_report_and_the_page_and_log_show_it(client, login_as, report, db):
    login_as("editor")
    assert 'name="document_number"' in client.get(f"/reports/{report.id}/edit").get_data(as_text=True)

    page = follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(report, document_number="Số: 12/BC-UBND")))

    assert saved(db, report.id).document_number == "12/BC-UBND"  # the page and the document write "Số"
    assert 'data-testid="document-number">Số ký hiệu: 12/BC-UBND' in page
    assert "<li>Số ký hiệu: — → 12/BC-UBND</li>" in page[page.index('id="log"'):]


def test_a_save_over_someone_elses_newer_save_keeps_the_typed_values(client, login_as, report, users, db):
    old_version = report.version
    with system_scope("someone else saves first"):
        services.update_report(saved(db, report.id), users["leader"], old_version, {"values": [
            {"indicator": "TR01", "sex": None, "value": 12}]})
        db.session.commit()
    login_as("editor")

    response = client.post(f"/reports/{report.id}/edit", data=form_of(report, version=old_version,
                                                                       values__TR01__total="9"))

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'data-testid="conflict"' in page
    assert 'name="values.TR01.total" value="9"' in page and 'data-testid="saved-now"' in page
    current = saved(db, report.id).version
    assert f'name="version" type="hidden" value="{current}"' in page or f'value="{current}"' in page
    assert saved_values(db, report.id) == {("TR01", None): 12}

    # Saving again, deliberately, over the newer version works.
    again = client.post(f"/reports/{report.id}/edit", data=form_of(report, version=current, values__TR01__total="9"))
    assert again.status_code == 302 and saved_values(db, report.id) == {("TR01", None): 9}


def test_the_same_form_sent_twice_is_saved_once_without_a_conflict(client, login_as, report, db):
    """A second click, or the form sent again when the answer was lost on a slow line: the
    second sending names the version the first has replaced, but holds what it saved."""
    login_as("editor")
    form = form_of(report, values__TR01__total="9")
    assert client.post(f"/reports/{report.id}/edit", data=form).status_code == 302
    after_first = saved(db, report.id).version

    page = follow(client, client.post(f"/reports/{report.id}/edit", data=form))

    assert 'data-testid="conflict"' not in page and "Đã lưu." in page
    assert saved(db, report.id).version == after_first
    with system_scope("test reads the log"):
        assert [entry.action for entry in entries_for(services.subject(saved(db, report.id)))].count("edited") == 1
    # Sent again with a figure changed, it is a conflict as before: nothing is overwritten.
    response = client.post(f"/reports/{report.id}/edit", data={**form, "values.TR01.total": "10"})
    assert response.status_code == 409 and saved_values(db, report.id) == {("TR01", None): 9}


def test_user_text_is_escaped(client, login_as, report, db):
    login_as("editor")
    activity_id = report.activity_ids[0]
    client.post(f"/reports/{report.id}/edit", data=form_of(report, **{
        f"activities__{activity_id}__note": "<b>đậm</b>"}))
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "&lt;b&gt;đậm&lt;/b&gt;" in page and "<b>đậm</b>" not in page


def test_a_reports_page_reads_its_activities_with_the_report_not_one_query_each(client, login_as, plan, report,
                                                                                  tree, users, db):
    with system_scope("test data"):
        template = db.session.get(Plan, plan.id).template
        sibling_plan = make_plan(template, tree.sibling_commune, users["sibling_editor"])
        for number in range(3):
            plan_services.add_activity(sibling_plan, users["sibling_editor"], sibling_plan.version, {
                "section_key": "tuyen-truyen", "name": f"Hoạt động thêm {number}", "months": "3"})
        sibling_leader = UserFactory(role=Role.COMMUNE_LEADER.value, unit=tree.sibling_commune)
        approve_plan(sibling_plan, users["sibling_editor"], sibling_leader, users["officer"])
        more_activities = services.create_report(sibling_plan, "2023Q1", users["sibling_editor"])
        db.session.commit()
        more_activities_id = more_activities.id
    login_as("officer")

    def page_of(report_id: int):
        return lambda: client.get(f"/reports/{report_id}")

    assert "Hoạt động thêm 2" in client.get(f"/reports/{more_activities_id}").get_data(as_text=True)
    assert statements_run(db.engine, page_of(more_activities_id)) == statements_run(db.engine, page_of(report.id))


def test_while_the_plan_is_amended_the_report_is_set_against_its_approved_targets(client, login_as, plan, report,
                                                                                  users, db):
    with system_scope("test data"):
        amended = db.session.get(Plan, plan.id)
        plan_services.perform(amended, "amend", users["editor"], amended.version)
        plan_services.update_plan(amended, users["editor"], amended.version, {
            "targets": [{"indicator": "TR01", "sex": None, "value": 1010}]})
        db.session.commit()
    login_as("editor")

    form = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert re.search(r"Số tờ rơi phát ra.*?<td>10</td>", form, re.S) and "1.010" not in form
    # 50 is far above the approved 10, not the draft's 1,010.
    page = follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(report, values__TR01__total="50")))
    assert re.search(r'<div class="alert alert-warning" role="alert">[^<]*Số tờ rơi phát ra', page)
