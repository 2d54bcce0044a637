"""The plan's pages: creating from a template, editing sections and targets, escaping, NFC,
and two people saving the same plan."""
import unicodedata
from datetime import date

import pytest

from app.plans.models import Plan
from tenants import system_scope
from tests.conftest import login, statements_run
from tests.factories import OrgUnitFactory, make_plan, make_template, submit_plan


@pytest.fixture
def plan(template, tree, users, db):
    with system_scope("test data"):
        plan = make_plan(template, tree.commune, users["editor"])
        db.session.commit()
        return plan


def saved(db, plan_id: int, read):
    """`read(plan)` on the plan as saved now."""
    with system_scope("test reads the saved plan"):
        db.session.expire_all()
        return read(db.session.get(Plan, plan_id))


def test_a_commune_user_creates_its_plan_from_the_published_template(client, login_as, template, db):
    login_as("editor")
    page = client.get("/plans").get_data(as_text=True)
    assert "2023" in page and 'data-testid="create-plan"' in page

    response = client.post("/plans", data={"template_id": template.id})

    assert response.status_code == 302
    with system_scope("test"):
        plan = db.session.execute(db.select(Plan)).scalar_one()
        assert plan.template_id == template.id and plan.unit.code == "16204"
    assert response.headers["Location"].endswith(f"/plans/{plan.id}")
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Tuyên truyền nâng cao nhận thức" in page
    assert "trên địa bàn xã Bình Lương" in page
    # The year is planned: it is no longer offered.
    assert 'data-testid="create-plan"' not in client.get("/plans").get_data(as_text=True)
    # Created again (a second click on a slow line, or a colleague's plan): it opens.
    again = client.post("/plans", data={"template_id": template.id})
    assert again.headers["Location"].endswith(f"/plans/{plan.id}")
    assert "Kế hoạch năm 2023 đã được lập trước đó." in client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_draft_template_is_not_offered(client, login_as, tree, db):
    with system_scope("test data"):
        make_template(tree.district, published=False)
        db.session.commit()
    login_as("editor")
    assert 'data-testid="create-plan"' not in client.get("/plans").get_data(as_text=True)


def test_editing_a_section_saves_it_and_shows_it(client, login_as, plan, db):
    login_as("editor")
    form = client.get(f"/plans/{plan.id}/sections/muc-dich")
    assert form.status_code == 200 and "Hướng dẫn cho xã." in form.get_data(as_text=True)

    response = client.post(f"/plans/{plan.id}/sections/muc-dich",
                           data={"version": plan.version, "text": "Nâng cao nhận thức của người dân."})

    assert response.status_code == 302
    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "Nâng cao nhận thức của người dân." in page
    # The log names the section, not its whole text.
    log = page[page.index('id="log"'):]
    assert "Mục đích yêu cầu" in log and "Nâng cao nhận thức của người dân." not in log


def test_a_district_section_is_read_only(client, login_as, plan, db):
    login_as("editor")
    page = client.get(f"/plans/{plan.id}/sections/to-chuc").get_data(as_text=True)
    assert "<textarea" not in page
    client.post(f"/plans/{plan.id}/sections/to-chuc", data={"version": plan.version, "text": "Khác"})
    assert saved(db, plan.id, lambda p: p.section("to-chuc").text) == "Ban chính sách tham mưu."


def test_html_in_a_section_is_shown_as_text(client, login_as, plan, db):
    login_as("editor")
    client.post(f"/plans/{plan.id}/sections/muc-dich",
                data={"version": plan.version, "text": "<script>alert(1)</script>"})

    page = client.get(f"/plans/{plan.id}").get_data(as_text=True)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_decomposed_text_is_stored_composed(client, login_as, plan, db):
    login_as("editor")
    decomposed = unicodedata.normalize("NFD", "Tuyên truyền bình đẳng giới")
    client.post(f"/plans/{plan.id}/sections/tuyen-truyen", data={"version": plan.version, "text": decomposed})

    assert saved(db, plan.id, lambda p: p.section("tuyen-truyen").text) == unicodedata.normalize("NFC", decomposed)


def test_a_target_below_the_minimum_is_refused_with_the_typed_values_kept(client, login_as, plan, db):
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/targets", data={
        "version": plan.version, "targets.TT01.total": "80", "targets.TT01.male": "40",
        "targets.TT01.female": "40", "targets.CB01.total": "30", "targets.TR01.total": "500"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-testid="field-error"' in page
    assert "Kế hoạch mẫu yêu cầu tối thiểu 100." in page
    assert 'value="80"' in page and 'value="500"' in page
    assert saved(db, plan.id, lambda p: p.targets[0].value) == 100


def test_a_female_target_above_the_total_is_refused(client, login_as, plan, db):
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/targets", data={
        "version": plan.version, "targets.TT01.total": "120", "targets.TT01.male": "",
        "targets.TT01.female": "130", "targets.CB01.total": "", "targets.TR01.total": ""})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count('data-testid="field-error"') == 1
    assert "Chỉ tiêu của nữ không được lớn hơn tổng." in page
    assert 'value="130"' in page


def test_targets_by_sex_are_saved(client, login_as, plan, db):
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/targets", data={
        "version": plan.version, "targets.TT01.total": "", "targets.TT01.male": "60",
        "targets.TT01.female": "70", "targets.CB01.total": "30,5", "targets.TR01.total": "1.000,0"})

    assert response.status_code == 302
    values = saved(db, plan.id, lambda p: {(target.indicator.code, target.sex): target.value
                                           for target in p.targets})
    assert values == {("TT01", None): 130, ("TT01", "male"): 60, ("TT01", "female"): 70,
                      ("CB01", None): 30.5, ("TR01", None): 1000}


def test_in_english_targets_and_budgets_are_read_as_english_writes_them(client, login_as, plan, db):
    login_as("editor")
    client.post("/language", data={"locale": "en", "next": "/"})
    response = client.post(f"/plans/{plan.id}/targets", data={
        "version": plan.version, "targets.TT01.total": "", "targets.TT01.male": "600",
        "targets.TT01.female": "700", "targets.CB01.total": "30.5", "targets.TR01.total": "1,200"})
    assert response.status_code == 302

    response = client.post(f"/plans/{plan.id}/activities/new", data={
        "version": saved(db, plan.id, lambda p: p.version), "section_key": "tuyen-truyen", "name": "Hội thi",
        "lead_body": "Hội LHPN", "months": ["3"], "budget_vnd": "5,000,000"})

    assert response.status_code == 302
    values = saved(db, plan.id, lambda p: {(target.indicator.code, target.sex): target.value for target in p.targets})
    assert (values[("TR01", None)], values[("CB01", None)], values[("TT01", None)]) == (1200, 30.5, 1300)
    assert saved(db, plan.id, lambda p: p.activities[-1].budget_vnd) == 5_000_000
    form = client.get(f"/plans/{plan.id}/targets").get_data(as_text=True)
    assert 'value="1,200"' in form and 'value="30.5"' in form
    activity_id = saved(db, plan.id, lambda p: p.activities[-1].id)
    assert 'value="5,000,000"' in client.get(f"/plans/{plan.id}/activities/{activity_id}").get_data(as_text=True)


def test_an_activity_is_added_edited_and_deleted(client, login_as, plan, db):
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/activities/new", data={
        "version": plan.version, "section_key": "tuyen-truyen", "name": "Hội thi bình đẳng giới",
        "lead_body": "Hội LHPN", "supporting_bodies": "Đoàn TN", "months": ["3", "10"],
        "budget_vnd": "5.000.000", "funding_source": "Ngân sách xã"})
    assert response.status_code == 302
    activity_id, name, months, budget = saved(db, plan.id, lambda p: (
        p.activities[-1].id, p.activities[-1].name, p.activities[-1].months, p.activities[-1].budget_vnd))
    assert (name, months, budget) == ("Hội thi bình đẳng giới", "3,10", 5_000_000)

    version = saved(db, plan.id, lambda p: p.version)
    form = client.get(f"/plans/{plan.id}/activities/{activity_id}").get_data(as_text=True)
    assert 'value="10" checked' in form
    client.post(f"/plans/{plan.id}/activities/{activity_id}", data={
        "version": version, "section_key": "tuyen-truyen", "name": "Hội thi", "months": ["11"]})
    assert saved(db, plan.id, lambda p: p.activities[-1].months) == "11"

    client.post(f"/plans/{plan.id}/activities/{activity_id}/delete", data={"version": saved(db, plan.id, lambda p: p.version)})
    assert len(saved(db, plan.id, lambda p: p.activities)) == 2


NEW_ACTIVITY = {"section_key": "tuyen-truyen", "name": "Hội thi bình đẳng giới", "lead_body": "Hội LHPN",
                "months": ["3", "10"], "budget_vnd": "5.000.000"}


def test_an_activity_sent_twice_is_added_once(client, login_as, plan, db):
    login_as("editor")
    url, form = f"/plans/{plan.id}/activities/new", {"version": plan.version, **NEW_ACTIVITY}
    assert client.post(url, data=form).status_code == 302
    count, after_first = saved(db, plan.id, lambda p: (len(p.activities), p.version))

    again = client.post(url, data=form)  # a second click, or sent again after a lost answer

    assert again.status_code == 302 and "Đã lưu." in client.get(again.location).get_data(as_text=True)
    assert saved(db, plan.id, lambda p: (len(p.activities), p.version)) == (count, after_first)


def test_another_activity_on_a_stale_form_is_still_a_conflict(client, login_as, plan, db):
    login_as("editor")
    url, version = f"/plans/{plan.id}/activities/new", plan.version
    client.post(url, data={"version": version, **NEW_ACTIVITY})
    count = saved(db, plan.id, lambda p: len(p.activities))

    other = client.post(url, data={"version": version, **NEW_ACTIVITY, "name": "Tọa đàm về bạo lực gia đình"})

    assert other.status_code == 409 and 'value="Tọa đàm về bạo lực gia đình"' in other.get_data(as_text=True)
    assert saved(db, plan.id, lambda p: len(p.activities)) == count


def test_an_activity_deleted_twice_is_deleted_once(client, login_as, plan, db):
    login_as("editor")
    activity_id, count = saved(db, plan.id, lambda p: (p.activities[0].id, len(p.activities)))
    url, form = f"/plans/{plan.id}/activities/{activity_id}/delete", {"version": plan.version}
    assert client.post(url, data=form).status_code == 302

    again = client.post(url, data=form)

    assert again.status_code == 302 and "Đã lưu." in client.get(again.location).get_data(as_text=True)
    assert saved(db, plan.id, lambda p: len(p.activities)) == count - 1


def test_deleting_an_activity_that_is_not_there_is_not_found(client, login_as, plan, db):
    login_as("editor")
    activity_id = saved(db, plan.id, lambda p: p.activities[0].id)
    client.post(f"/plans/{plan.id}/activities/{activity_id}/delete", data={"version": plan.version})
    version = saved(db, plan.id, lambda p: p.version)

    # Never added, or deleted by an earlier save than the one right after the form's version.
    assert client.post(f"/plans/{plan.id}/activities/999999/delete", data={"version": version}).status_code == 404
    assert client.post(f"/plans/{plan.id}/activities/{activity_id}/delete",
                       data={"version": version}).status_code == 404

def test_an_activity_without_a_name_is_refused(client, login_as, plan, db):
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/activities/new", data={
        "version": plan.version, "section_key": "tuyen-truyen", "name": "", "budget_vnd": "abc",
        "lead_body": "Hội LHPN"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count('data-testid="field-error"') == 2 and 'value="Hội LHPN"' in page


def test_details_are_saved_and_a_bad_date_is_refused(client, login_as, plan, db):
    login_as("editor")
    data = {"version": plan.version, "document_number": "45/KH-UBND", "place": "Bình Lương",
            "document_date": "31/02/2023", "signer_name": "Lê Văn A",
            "recipients": "Phòng LĐTBXH huyện (b/c);\nLưu VT."}
    refused = client.post(f"/plans/{plan.id}/details", data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'value="45/KH-UBND"' in page and 'value="31/02/2023"' in page
    assert "Vui lòng nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/05/2023." in page

    response = client.post(f"/plans/{plan.id}/details", data={**data, "document_date": "05/05/2023"})

    assert response.status_code == 302
    assert saved(db, plan.id, lambda p: p.document_number) == "45/KH-UBND"
    assert saved(db, plan.id, lambda p: p.document_date) == date(2023, 5, 5)
    assert saved(db, plan.id, lambda p: p.recipient_lines) == ["Phòng LĐTBXH huyện (b/c);", "Lưu VT."]
    # The form gives the date back as it was typed; the log writes it as the page does.
    assert 'value="05/05/2023"' in client.get(f"/plans/{plan.id}/details").get_data(as_text=True)
    log = client.get(f"/plans/{plan.id}").get_data(as_text=True).split('id="log"')[1]
    assert "05/05/2023" in log and "2023-05-05" not in log


@pytest.mark.parametrize("typed", ["5/5/2023", "05-05-2023", "05.05.2023", "2023-05-05"])
def test_a_date_is_read_day_first_or_as_iso(client, login_as, plan, db, typed):
    login_as("editor")
    response = client.post(f"/plans/{plan.id}/details", data={"version": plan.version, "document_date": typed})
    assert response.status_code == 302
    assert saved(db, plan.id, lambda p: p.document_date) == date(2023, 5, 5)


def test_the_second_of_two_saves_gets_the_others_text_and_keeps_its_own(app, plan, users, db):
    first, second = app.test_client(), app.test_client()
    login(first, users["editor"].username)
    login(second, users["leader"].username)
    url = f"/plans/{plan.id}/sections/muc-dich"
    assert first.get(url).status_code == second.get(url).status_code == 200
    read_version = plan.version

    first.post(url, data={"version": read_version, "text": "Văn bản của người thứ nhất."})
    response = second.post(url, data={"version": read_version, "text": "Văn bản dài của người thứ hai."})

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'data-testid="conflict"' in page
    assert "Văn bản của người thứ nhất." in page[page.index('data-testid="their-version"'):]
    textarea = page[page.index("<textarea"):page.index("</textarea>")]
    assert "Văn bản dài của người thứ hai." in textarea
    assert saved(db, plan.id, lambda p: p.section("muc-dich").text) == "Văn bản của người thứ nhất."
    # The form now carries the saved version: a deliberate second save goes through.
    current = saved(db, plan.id, lambda p: p.version)
    assert f'value="{current}"' in page
    again = second.post(url, data={"version": current, "text": "Văn bản dài của người thứ hai."})
    assert again.status_code == 302
    assert saved(db, plan.id, lambda p: p.section("muc-dich").text) == "Văn bản dài của người thứ hai."


def test_a_section_sent_twice_is_saved_once_without_a_conflict(client, login_as, plan, db):
    login_as("editor")
    url, form = f"/plans/{plan.id}/sections/muc-dich", {"version": plan.version, "text": "Văn bản đã lưu."}
    assert client.post(url, data=form).status_code == 302
    after_first = saved(db, plan.id, lambda p: p.version)

    again = client.post(url, data=form)  # a second click, or sent again after a lost answer

    assert again.status_code == 302
    assert saved(db, plan.id, lambda p: p.version) == after_first
    assert saved(db, plan.id, lambda p: p.section("muc-dich").text) == "Văn bản đã lưu."


def test_a_stale_targets_form_shows_the_saved_values(app, plan, users, db):
    first, second = app.test_client(), app.test_client()
    login(first, users["editor"].username)
    login(second, users["leader"].username)
    values = {"version": plan.version, "targets.TT01.total": "150", "targets.TT01.male": "",
              "targets.TT01.female": "", "targets.CB01.total": "", "targets.TR01.total": ""}
    first.post(f"/plans/{plan.id}/targets", data=values)

    response = second.post(f"/plans/{plan.id}/targets", data={**values, "targets.TT01.total": "200"})

    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert 'value="200"' in page and "150" in page
    assert saved(db, plan.id, lambda p: p.targets[0].value) == 150


def test_the_supervisors_list_shows_the_communes_plans_waiting_for_review(client, login_as, plan, users, db):
    with system_scope("test data"):
        submit_plan(plan, users["editor"], users["leader"])
        db.session.commit()
    login_as("officer")

    page = client.get("/plans?year=2023&status=submitted").get_data(as_text=True)

    assert "Xã Bình Lương" in page and 'data-testid="waiting"' in page
    assert "Xã Bình Lương" not in client.get("/plans?status=approved").get_data(as_text=True)


def test_a_filter_typed_wrong_is_named_and_every_plan_shown(client, login_as, plan, db):
    login_as("officer")
    page = client.get("/plans?year=abc&status=nonsense").get_data(as_text=True)
    assert "Không hiểu được bộ lọc; danh sách hiển thị mọi kế hoạch." in page
    assert "Xã Bình Lương" in page


def test_the_supervisors_list_reads_its_communes_with_its_plans_not_one_query_each(
        client, login_as, template, tree, users, db):
    def the_list():
        assert client.get("/plans").status_code == 200

    with system_scope("test data"):
        make_plan(template, tree.commune, users["editor"])
        db.session.commit()
    login_as("officer")
    with_one_plan = statements_run(db.engine, the_list)
    with system_scope("test data"):
        for number in range(3):
            make_plan(template, OrgUnitFactory(parent=tree.district, name=f"Xã Thêm {number}"), users["editor"])
        db.session.commit()

    page = client.get("/plans").get_data(as_text=True)

    assert all(f"Xã Thêm {number}" in page for number in range(3))
    assert statements_run(db.engine, the_list) == with_one_plan


@pytest.fixture
def five_plans(template, tree, users, db, monkeypatch):
    """Five of Như Xuân's communes' plans, two to a page; Bình Lương's (the first in Vietnamese
    order) waits for review. Hải Long's plan, in another district, is not the officer's."""
    monkeypatch.setattr("app.plans.views.PLANS_PER_PAGE", 2)
    with system_scope("test data"):
        plan = make_plan(template, tree.commune, users["editor"])
        for name in ("Xã Cát Tân", "Xã Hóa Quỳ", "Xã Thanh Phong", "Xã Xuân Bình"):
            make_plan(template, OrgUnitFactory(parent=tree.district, name=name), users["editor"])
        make_plan(make_template(tree.other_district), tree.other_commune, users["other_editor"])
        submit_plan(plan, users["editor"], users["leader"])
        db.session.commit()


def test_the_supervisors_list_shows_a_page_at_a_time_with_links_to_the_others(client, login_as, five_plans):
    login_as("officer")

    first = client.get("/plans?year=2023").get_data(as_text=True)
    second = client.get("/plans?year=2023&page=2").get_data(as_text=True)

    assert "Xã Bình Lương" in first and "Xã Cát Tân" in first and "Xã Hóa Quỳ" not in first
    assert "Xã Hải Long" not in first + second
    assert "Kế hoạch 1–2 trong số 5" in first and 'href="/plans?page=2&amp;year=2023"' in first
    assert "Xã Hóa Quỳ" in second and "Xã Thanh Phong" in second and "Xã Bình Lương" not in second
    assert "Kế hoạch 3–4 trong số 5" in second and 'href="/plans?page=3&amp;year=2023"' in second


def test_the_plans_waiting_for_review_are_counted_on_every_page(client, login_as, five_plans):
    login_as("officer")
    page = client.get("/plans?page=3").get_data(as_text=True)
    assert "Xã Xuân Bình" in page and "Xã Bình Lương" not in page
    assert "Có 1 kế hoạch đang chờ duyệt." in page


def test_a_page_past_the_last_shows_the_last(client, login_as, five_plans):
    login_as("officer")
    page = client.get("/plans?page=40").get_data(as_text=True)
    assert "Xã Xuân Bình" in page and "Kế hoạch 5–5 trong số 5" in page


def test_a_page_number_typed_wrong_is_named_and_the_first_page_shown(client, login_as, five_plans):
    login_as("officer")
    for typed in ("abc", "0", "-2"):
        page = client.get(f"/plans?page={typed}").get_data(as_text=True)
        assert "Không hiểu được số trang; danh sách hiển thị trang đầu." in page
        assert "Xã Bình Lương" in page and "Kế hoạch 1–2 trong số 5" in page


def test_a_province_viewer_reads_a_plan_once_its_commune_has_submitted_it(client, login_as, as_user, plan, users, db):
    """DESIGN.md: a province reads what the communes sent; a plan never submitted is the
    commune's own work. An amendment being written keeps its plan readable: its reports were received."""
    login_as("province_viewer")
    headers = as_user("province_viewer")
    for address in (f"/plans/{plan.id}", f"/plans/{plan.id}/document.docx", f"/plans/{plan.id}/reports"):
        assert client.get(address).status_code == 404, address
    assert client.get(f"/api/v1/plans/{plan.id}", headers=headers).status_code == 404
    assert f'href="/plans/{plan.id}"' not in client.get("/plans").get_data(as_text=True)
    assert f'href="/plans/{plan.id}"' not in client.get("/units/16204").get_data(as_text=True)

    with system_scope("test data"):
        submit_plan(plan, users["editor"], users["leader"])
        db.session.commit()
    assert client.get(f"/plans/{plan.id}").status_code == 200
    assert client.get(f"/api/v1/plans/{plan.id}", headers=headers).status_code == 200
    assert f'href="/plans/{plan.id}"' in client.get("/plans").get_data(as_text=True)
