"""The template editor's pages: create, sections, indicators with their messages, publish,
and two officers saving the same template."""
import re

import pytest

from app.plan_templates import content_services, services
from app.plan_templates.models import PlanTemplate
from tenants import system_scope
from tests.factories import make_template


@pytest.fixture
def officer(client, login_as):
    """The district officer, signed in, reading the pages in English (the source language)."""
    user = login_as("officer")
    client.post("/language", data={"locale": "en", "next": "/"})
    return user


def saved(db, template_id: int, read):
    """`read(template)` on the template as saved now."""
    with system_scope("test reads the saved template"):
        db.session.expire_all()
        return read(db.session.get(PlanTemplate, template_id))


def test_an_officer_creates_a_template_and_sees_it_listed(client, officer, db):
    assert "New template" in client.get("/templates/").get_data(as_text=True)

    response = client.post("/templates/new", data={
        "year": "2025", "title": "Công tác bình đẳng giới năm 2025", "report_period_type": "quarter",
        "report_deadline_days": "10", "legal_basis": "Luật Bình đẳng giới\r\n\r\nCông văn 659"})

    assert response.status_code == 302
    with system_scope("test"):
        template = db.session.execute(db.select(PlanTemplate)).scalar_one()
        assert (template.year, template.revision, template.legal_basis) == (2025, 1, "Luật Bình đẳng giới\nCông văn 659")
    assert "Công tác bình đẳng giới năm 2025" in client.get("/templates/").get_data(as_text=True)


def test_the_page_numbers_sections_and_shows_markup_as_text(client, officer, draft, db):
    client.post(f"/templates/{draft.id}/sections/new", data={
        "version": draft.version, "heading": "<b>Kinh phí</b>", "level": "1", "editable": "y"})

    page = client.get(f"/templates/{draft.id}").get_data(as_text=True)

    assert "I. Mục đích yêu cầu" in page and "II. Nội dung thực hiện" in page
    assert "1. Tuyên truyền nâng cao nhận thức" in page and "2. Nâng cao năng lực" in page
    assert "IV. &lt;b&gt;Kinh phí&lt;/b&gt;" in page
    assert "Tuyên truyền trên loa phát thanh" in page and "TT01" in page


def test_sections_are_added_moved_and_removed(client, officer, draft, db):
    response = client.post(f"/templates/{draft.id}/sections/new", data={
        "version": draft.version, "heading": "Kinh phí thực hiện", "level": "1"})
    assert response.status_code == 302
    keys = saved(db, draft.id, lambda template: [section.key for section in template.sections])
    assert keys[-1] == "kinh-phi-thuc-hien"

    version = saved(db, draft.id, lambda template: template.version)
    response = client.post(f"/templates/{draft.id}/sections/kinh-phi-thuc-hien/move",
                           data={"version": version, "direction": "up"})
    assert response.status_code == 302
    keys = saved(db, draft.id, lambda template: [section.key for section in template.sections])
    assert keys[-2:] == ["kinh-phi-thuc-hien", "to-chuc"]

    version = saved(db, draft.id, lambda template: template.version)
    response = client.post(f"/templates/{draft.id}/sections/kinh-phi-thuc-hien/remove", data={"version": version})
    assert response.status_code == 302
    assert "kinh-phi-thuc-hien" not in saved(db, draft.id, lambda t: [section.key for section in t.sections])


def test_a_refused_removal_names_the_indicator_in_words(client, officer, draft, db):
    with system_scope("test"):
        content_services.add_indicator(draft, officer, draft.version, {
            "code": "RA01", "name": "Tỷ lệ tờ rơi", "aggregation": "ratio", "numerator_code": "TR01",
            "denominator_code": "TT01"})
        db.session.commit()
        version = draft.version

    response = client.post(f"/templates/{draft.id}/indicators/TR01/remove", data={"version": version})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "<li>TR01 – Số tờ rơi phát ra: The ratio of RA01 uses this indicator; change it there first.</li>" in page
    assert "<code>" not in page
    assert saved(db, draft.id, lambda template: template.indicator("TR01")) is not None


def test_what_publishing_lacks_is_named_by_row_and_field(client, officer, draft, db):
    with system_scope("test"):
        draft.sections[0].heading = ""
        content_services.add_indicator(draft, officer, draft.version, {
            "code": "RA01", "name": "Tỷ lệ tờ rơi", "aggregation": "ratio", "numerator_code": "TR01",
            "denominator_code": "TT01"})
        draft.indicator("RA01").denominator_code = "XX01"  # as saved before the editor checked it
        db.session.commit()
        version = draft.version

    page = client.post(f"/templates/{draft.id}/publish", data={"version": version}).get_data(as_text=True)

    assert "<li>muc-dich (Heading): This field is required.</li>" in page
    assert ("<li>RA01 – Tỷ lệ tờ rơi (Denominator code (ratio only)): A ratio needs the codes of two other "
            "indicators of this template.</li>") in page


def test_an_invalid_indicator_shows_the_message_and_keeps_what_was_typed(client, officer, draft, db):
    response = client.post(f"/templates/{draft.id}/indicators/new", data={
        "version": draft.version, "code": "TT01", "name": "Số hội nghị đã tổ chức", "measure_unit": "buổi",
        "value_type": "percent", "aggregation": "sum", "disaggregation": "none", "time_aggregation": "sum",
        "minimum_target": "150"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Another indicator already has the code TT01." in page
    assert "A percentage is between 0 and 100." in page
    assert 'value="Số hội nghị đã tổ chức"' in page and 'value="150"' in page
    assert saved(db, draft.id, lambda template: len(template.indicators)) == 3


def test_a_minimum_target_is_read_as_the_readers_language_writes_it(client, officer, draft, db):
    response = client.post(f"/templates/{draft.id}/indicators/new", data={
        "version": draft.version, "code": "TR02", "name": "Số áp phích", "measure_unit": "tờ",
        "value_type": "integer", "aggregation": "sum", "disaggregation": "none", "time_aggregation": "sum",
        "minimum_target": "1,000"})  # in English, a thousand

    assert response.status_code == 302
    assert saved(db, draft.id, lambda template: template.indicator("TR02").minimum_target) == 1000


def test_publishing_makes_the_template_read_only(client, officer, draft, db):
    response = client.post(f"/templates/{draft.id}/publish", data={"version": draft.version})
    assert response.status_code == 302
    assert saved(db, draft.id, lambda template: template.is_published)

    page = client.get(f"/templates/{draft.id}").get_data(as_text=True)
    assert "New revision" in page and "Add section" not in page
    response = client.post(f"/templates/{draft.id}/edit", data={
        "version": saved(db, draft.id, lambda t: t.version), "title": "Đổi tên"})
    assert response.status_code == 409
    assert "Make a new revision" in response.get_data(as_text=True)


def test_a_stale_version_shows_the_message_and_the_current_template(client, officer, draft, db):
    read_version = draft.version
    client.post(f"/templates/{draft.id}/edit", data={
        "version": read_version, "title": "Bản của người thứ nhất", "report_period_type": "quarter",
        "report_deadline_days": "10"})

    response = client.post(f"/templates/{draft.id}/edit", data={
        "version": read_version, "title": "Bản của người thứ hai", "report_period_type": "quarter",
        "report_deadline_days": "10"})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else changed this template in the meantime" in page
    assert 'value="Bản của người thứ hai"' in page and "Bản của người thứ nhất" in page
    assert saved(db, draft.id, lambda template: template.title) == "Bản của người thứ nhất"


def test_a_new_revision_and_a_copy_start_from_a_published_template(client, officer, tree, db):
    with system_scope("test data"):
        published = make_template(tree.district)
        db.session.commit()
    response = client.post(f"/templates/{published.id}/revision")
    assert response.status_code == 302
    response = client.post("/templates/copy", data={"source": published.id, "year": "2024"})
    assert response.status_code == 302
    with system_scope("test"):
        rows = db.session.execute(db.select(PlanTemplate.year, PlanTemplate.revision, PlanTemplate.status)
                                  .order_by(PlanTemplate.id)).all()
    assert [tuple(row) for row in rows] == [(2023, 1, "published"), (2023, 2, "draft"), (2024, 1, "draft")]


@pytest.mark.parametrize("user", ["editor", "district_admin"])
def test_commune_users_and_district_admins_may_not_open_template_pages(client, login_as, draft, user):
    login_as(user)
    assert client.get("/templates/").status_code == 403
    assert client.get(f"/templates/{draft.id}").status_code == 403


def test_the_province_viewer_reads_published_templates_only(client, login_as, draft, tree, db):
    with system_scope("test data"):
        published = make_template(tree.district)
        db.session.commit()
    login_as("province_viewer")
    assert client.get(f"/templates/{published.id}").status_code == 200
    assert client.get(f"/templates/{draft.id}").status_code == 404


def test_every_form_of_the_editor_opens_with_the_saved_values(client, officer, draft, db):
    activity_id = saved(db, draft.id, lambda template: template.activities[0].id)
    pages = {
        "/templates/new": "Title", "/templates/copy": "2025",
        f"/templates/{draft.id}/edit": "Luật Bình đẳng giới",
        f"/templates/{draft.id}/sections/new": "Heading",
        f"/templates/{draft.id}/sections/tuyen-truyen/edit": "Tổ chức các hoạt động truyền thông.",
        f"/templates/{draft.id}/activities/new": "Tuyên truyền nâng cao nhận thức",
        f"/templates/{draft.id}/activities/{activity_id}/edit": "Tuyên truyền trên loa phát thanh",
        f"/templates/{draft.id}/indicators/new": "Minimum target",
        f"/templates/{draft.id}/indicators/TT01/edit": 'value="100"',
    }
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.get_data(as_text=True), url


def test_the_template_page_shows_its_history(client, officer, users, db, tree):
    with system_scope("test data"):
        template = services.build_template(tree.district, 2025, users["officer"], {"title": "Kế hoạch 2025"})
        content_services.add_section(template, users["officer"], template.version, {"heading": "Mục đích yêu cầu"})
        db.session.commit()

    page = client.get(f"/templates/{template.id}").get_data(as_text=True)

    history = page[page.index('id="history"'):]
    assert history.count('data-testid="history-entry"') == 2
    assert "Added a section" in history and "(Mục đích yêu cầu)" in history
    assert users["officer"].full_name in history


def test_the_officer_chooses_whether_submitted_reports_count_and_the_page_says_which(client, officer, draft, db):
    details = {"title": "Công tác bình đẳng giới năm 2024", "report_period_type": "quarter",
               "report_deadline_days": "10"}
    page = client.get(f"/templates/{draft.id}").get_data(as_text=True)
    assert "Reports counted in the district's figures" in page
    assert 'data-testid="counted-reports">Accepted only<' in page
    assert 'name="rollup_includes_submitted"' in client.get(f"/templates/{draft.id}/edit").get_data(as_text=True)

    client.post(f"/templates/{draft.id}/edit", data={
        **details, "rollup_includes_submitted": "y", "version": saved(db, draft.id, lambda template: template.version)})

    assert saved(db, draft.id, lambda template: template.rollup_includes_submitted) is True
    assert 'data-testid="counted-reports">Submitted and accepted<' in client.get(
        f"/templates/{draft.id}").get_data(as_text=True)
    # An unticked box is not sent: the setting goes back to accepted reports only.
    client.post(f"/templates/{draft.id}/edit", data={
        **details, "version": saved(db, draft.id, lambda template: template.version)})
    assert saved(db, draft.id, lambda template: template.rollup_includes_submitted) is False


def test_the_officer_changes_which_reports_count_on_a_published_template(client, officer, published, db,
                                                                         tasks_run_at_once):
    page = client.get(f"/templates/{published.id}").get_data(as_text=True)
    assert '<option value="accepted" selected>Accepted only</option>' in page

    response = client.post(f"/templates/{published.id}/counting", data={
        "version": published.version, "counted_reports": "submitted"})

    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Saved. The figures of Huyện Như Xuân are being computed again with the new rule." in page
    run_link = page.split("with the new rule. ")[1]
    assert run_link.startswith('<a href="/tasks/') and ">Follow the progress</a>" in run_link
    assert saved(db, published.id, lambda template: template.rollup_includes_submitted) is True
    assert '<option value="submitted" selected>Submitted and accepted</option>' in page
    history = page.split('id="history"')[1]
    assert "Changed which reports the figures count</strong>" in history
    assert "(Count submitted reports in the district&#39;s figures before they are accepted)" in history


def test_switching_language_on_a_refused_choice_returns_to_the_templates_page(client, officer, published):
    """The refusal is shown at the form's address, which takes no GET: the switch goes back to
    the page the form was sent from."""
    page_address = f"/templates/{published.id}"
    refused = client.post(f"{page_address}/counting", data={"version": published.version, "counted_reports": "some"},
                          headers={"Referer": f"http://localhost{page_address}"})
    next_address = re.search(r'name="next" value="([^"]*)"', refused.get_data(as_text=True)).group(1)
    assert next_address == page_address

    switched = client.post("/language", data={"locale": "en", "next": next_address})
    assert switched.location == page_address and client.get(switched.location).status_code == 200


def test_a_stale_or_unknown_choice_of_the_reports_counted_changes_nothing(client, officer, published, db):
    stale = client.post(f"/templates/{published.id}/counting", data={
        "version": published.version - 1, "counted_reports": "submitted"})
    unknown = client.post(f"/templates/{published.id}/counting", data={
        "version": published.version, "counted_reports": "some"})

    assert stale.status_code == 409 and "Someone else changed this template" in stale.get_data(as_text=True)
    assert unknown.status_code == 422 and "Choose one of the listed values." in unknown.get_data(as_text=True)
    assert "rollup_includes_submitted" not in unknown.get_data(as_text=True)
    assert saved(db, published.id, lambda template: template.rollup_includes_submitted) is False


def test_only_the_templates_authors_see_the_choice_of_the_reports_counted(client, login_as, published, db):
    login_as("province_viewer")
    page = client.get(f"/templates/{published.id}").get_data(as_text=True)
    assert 'data-testid="counting-form"' not in page
    assert client.post(f"/templates/{published.id}/counting", data={
        "version": published.version, "counted_reports": "submitted"}).status_code == 403


def test_the_history_names_the_fields_changed_as_the_forms_label_them(client, officer, users, db, tree):
    with system_scope("test data"):
        template = services.build_template(tree.district, 2025, users["officer"], {"title": "Kế hoạch 2025"})
        services.update_template(template, users["officer"], template.version,
                                 {"title": "Kế hoạch năm 2025", "rollup_includes_submitted": True})
        section = content_services.add_section(template, users["officer"], template.version, {"heading": "Mục đích"})
        content_services.update_section(template, section, users["officer"], template.version,
                                        {"heading": "Mục đích yêu cầu", "level": 1})
        db.session.commit()

    history = client.get(f"/templates/{template.id}").get_data(as_text=True).split('id="history"')[1]

    assert ("Edited the details</strong> <span class=\"text-muted\">(Count submitted reports in the district&#39;s figures "
            "before they are accepted, Title (the line under KẾ HOẠCH))</span>") in history
    assert 'Edited a section</strong> <span class="text-muted">(Heading)</span>' in history
    assert "rollup_includes_submitted" not in history
