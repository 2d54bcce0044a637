"""The report form's checks as the commune sees them: a bad figure refused with a message in
the user's language and every typed value kept, figures read as the user's language writes
them, men and women adding up to the total, a ratio computed on saving, and a warning for a
value far above the plan's target (app/reports/validation.py)."""
import re

import pytest

from app.plans.models import Plan
from app.reports import services
from tenants import system_scope
from tests.factories import figure_saved_before_a_rule
from tests.reports.edit_form import (
    Draft,
    follow,
    form_of,
    refused_in,
    saved,
    saved_values,
)


def test_a_ratio_is_computed_on_saving_not_typed(client, login_as, ratio_plan, users, db):
    with system_scope("test data"):
        created = services.create_report(db.session.get(Plan, ratio_plan.id), "2023Q1", users["editor"])
        db.session.commit()
        report = Draft(created.id, created.version, [row.activity_id for row in created.activities])
    login_as("editor")
    page = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert 'name="values.TL01.total"' not in page and 'name="values.HS02.total"' in page
    assert "100 × HS02 ÷ HS01" in page

    page = follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(
        report, counts=("HS01", "HS02"), values__HS01__total="40", values__HS02__total="10")))

    assert saved_values(db, report.id)[("TL01", None)] == 25
    assert re.search(r'data-testid="value-TL01">.*?100 × HS02 ÷ HS01.*?25', page, re.S)

    # No pupil this period: saved, the ratio left without a value, and the commune told why.
    page = follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(
        Draft(report.id, report.version + 1, report.activity_ids), counts=("HS01", "HS02"),
        values__HS01__total="0", values__HS02__total="0")))

    assert saved_values(db, report.id) == {("HS01", None): 0, ("HS02", None): 0}
    warning = re.search(r'<div class="alert alert-warning" role="alert">([^<]*)</div>', page)
    assert warning and warning.group(1).strip() == "Tỷ lệ học sinh nữ không có giá trị trong kỳ này: Số học sinh bằng 0."


@pytest.mark.parametrize("name, typed", [
    ("values.TR01.total", "nhiều"),  # letters in a number
    ("values.TR01.total", "-3"),  # a negative count
    ("values.TT01.female", "60"),  # women above the total (50)
    ("values.TT01.male", "60"),  # men above the total (50)
    ("values.CB01.total", "120"),  # a percentage over 100
    ("values.CB01.total", "33,333"),  # more decimal places than a figure keeps
])
def test_a_bad_value_is_refused_with_a_message_and_the_typed_values_are_kept(client, login_as, report, db,
                                                                             name, typed):
    login_as("editor")
    data = form_of(report, values__TT01__total="50", values__TR01__total="7")
    data[name] = typed

    response = client.post(f"/reports/{report.id}/edit", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-testid="errors"' in page and 'data-testid="field-error"' in page
    # The banner names the field, with a link to it: the form runs to several screens.
    banner = page[page.index('data-testid="errors"'):]
    banner = banner[:banner.index("</div>")]
    assert f'<a href="#{name}">' in banner and f'id="{name}"' in page
    assert f'name="{name}" value="{typed}"' in page
    assert 'value="50"' in page  # the other typed values too
    assert saved_values(db, report.id) == {}


def test_the_banner_lists_the_problems_in_the_forms_order(client, login_as, report, db):
    """Women above the total (TT01) is found after letters in a number (TR01, below it), and
    was listed after it: the list leads the user down the form."""
    login_as("editor")
    response = client.post(f"/reports/{report.id}/edit", data=form_of(
        report, values__TT01__total="50", values__TT01__female="60", values__TR01__total="nhiều",
        assessment="x" * 20_001))

    banner = response.get_data(as_text=True)
    banner = banner[banner.index('data-testid="errors"'):]
    links = re.findall(r'<a href="#([^"]+)">', banner[:banner.index("</div>")])
    assert links == ["values.TT01.female", "values.TR01.total", "assessment"]


def test_a_too_long_assessment_is_refused_in_the_users_language_and_kept_in_the_form(client, login_as, report, db):
    login_as("editor")
    typed = "Đánh giá " * 3000  # 27,000 characters

    response = client.post(f"/reports/{report.id}/edit", data=form_of(report, values__TR01__total="7",
                                                                       assessment=typed))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tối đa 20.000 ký tự" in page  # thousands grouped as the reader writes them
    assert typed.strip() in page
    assert saved_values(db, report.id) == {} and saved(db, report.id).assessment == ""


@pytest.mark.parametrize(("language", "message"), [("vi", "Hãy viết trên một dòng."),
                                                    ("en", "Write it on one line.")])
def test_a_number_on_two_lines_is_refused_in_the_users_language_and_kept_in_the_form(
        client, login_as, report, db, language, message):
    page = refused_in(language, message, client, login_as, report, values__TR01__total="7",
                      document_number="12/\r\nBC-UBND")

    assert "12/\nBC-UBND" in page or "12/\r\nBC-UBND" in page
    assert saved_values(db, report.id) == {} and saved(db, report.id).document_number == ""


def test_in_english_figures_are_read_as_english_writes_them(client, login_as, report, db):
    login_as("editor")
    client.post("/language", data={"locale": "en", "next": "/"})
    activity_id = report.activity_ids[0]

    response = client.post(f"/reports/{report.id}/edit", data=form_of(report, **{
        "values__TR01__total": "1,500", "values__CB01__total": "12.5",
        f"activities__{activity_id}__budget_spent": "2,000,000"}))

    assert response.status_code == 302
    assert saved_values(db, report.id) == {("TR01", None): 1500, ("CB01", None): 12.5}
    with system_scope("test"):
        assert saved(db, report.id).progress_of(activity_id).budget_spent_vnd == 2_000_000
    form = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert 'value="1,500"' in form and 'value="12.5"' in form and 'value="2,000,000"' in form


def test_in_english_a_decimal_point_in_a_count_is_refused_and_kept(client, login_as, report, db):
    login_as("editor")
    client.post("/language", data={"locale": "en", "next": "/"})

    response = client.post(f"/reports/{report.id}/edit", data=form_of(report, values__TR01__total="1.500"))

    assert response.status_code == 422  # one and a half leaflets, as English reads it
    page = response.get_data(as_text=True)
    assert "Enter a whole number, written as 1,500." in page and 'value="1.500"' in page
    assert saved_values(db, report.id) == {}


def test_men_and_women_make_the_total(client, login_as, report, db):
    login_as("editor")
    follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(
        report, values__TT01__male="40", values__TT01__female="45")))
    assert saved_values(db, report.id)[("TT01", None)] == 85
    # The form sends the saved total back: changing the men makes a new total, not a mismatch.
    follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(
        report, version=saved(db, report.id).version, values__TT01__total="85", values__TT01__male="50",
        values__TT01__female="45")))
    assert saved_values(db, report.id)[("TT01", None)] == 95


@pytest.mark.parametrize(("language", "message"), [
    ("vi", "Vui lòng nhập cả số liệu của nữ: tổng bằng nam cộng nữ."),
    ("en", "Enter the figure for women too: the total is men plus women.")])
def test_men_alone_are_refused_in_the_users_language_and_kept_in_the_form(client, login_as, report, db,
                                                                          language, message):
    page = refused_in(language, message, client, login_as, report, values__TT01__male="5", values__TR01__total="7")

    assert re.search(r'is-invalid" id="[^"]*" name="values\.TT01\.female" value=""', page)
    assert re.search(r'name="values\.TT01\.male" value="5"', page)
    assert saved_values(db, report.id) == {}


@pytest.mark.parametrize(("language", "banner", "message"), [
    ("vi", "Một số số liệu đã lưu trước đây chưa đủ: vui lòng bổ sung trước khi gửi báo cáo.",
     "Vui lòng nhập cả số liệu của nữ: tổng bằng nam cộng nữ."),
    ("en", "Some figures saved earlier are incomplete: complete them before the report is submitted.",
     "Enter the figure for women too: the total is men plus women.")])
def test_men_alone_saved_before_the_rule_open_with_the_missing_field_marked(client, login_as, report, db,
                                                                            language, banner, message):
    with system_scope("test data"):
        figure_saved_before_a_rule(saved(db, report.id), "TT01", "male", 5)
        db.session.commit()
    login_as("editor")
    client.post("/language", data={"locale": language, "next": "/"})
    response = client.get(f"/reports/{report.id}/edit")

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert re.search(rf'<div class="alert alert-warning" role="alert" data-testid="errors">{banner}', page)
    assert re.search(r'is-invalid" id="[^"]*" name="values\.TT01\.female" value=""', page)
    assert re.search(r'name="values\.TT01\.male" value="5"', page)


def test_the_total_and_the_women_give_the_men(client, login_as, report, db):
    login_as("editor")
    page = client.get(f"/reports/{report.id}/edit").get_data(as_text=True)
    assert ("gửi đi. Với chỉ tiêu theo giới tính, tổng bằng nam cộng nữ: nhập hai trong ba số, số còn lại "
            "được tính khi lưu.") in page
    follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(
        report, values__TT01__total="50", values__TT01__female="20")))
    assert saved_values(db, report.id) == {("TT01", None): 50, ("TT01", "male"): 30, ("TT01", "female"): 20}


def test_a_value_far_above_the_target_is_saved_with_a_warning(client, login_as, report, db):
    login_as("editor")
    # The plan's target for TR01 is 10.
    page = follow(client, client.post(f"/reports/{report.id}/edit", data=form_of(report, values__TR01__total="5000")))

    warning = re.search(r'<div class="alert alert-warning" role="alert">([^<]*)</div>', page)
    assert warning and "Số tờ rơi phát ra" in warning.group(1) and "5.000" in warning.group(1)
    assert saved_values(db, report.id) == {("TR01", None): 5000}
