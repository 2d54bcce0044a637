"""Editing a report through the API: values and activities with optimistic versions. Bad input
gets 422 on the field sent, in the user's language, and nothing saved is lost."""

from decimal import Decimal

import pytest

from tests.api.reports.calls import current_version, patch, saved, saved_values


def test_values_and_activities_are_saved_and_a_far_value_only_warns(client, as_user, report_id):
    headers = as_user("editor")
    report = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    activity = report["activities"][0]["activity"]
    response = patch(client, headers, report_id, version=report["version"], values=[
        {"indicator": "TT01", "sex": "male", "value": 40}, {"indicator": "TT01", "sex": "female", "value": "60"},
        {"indicator": "CB01", "sex": None, "value": "32,5"}, {"indicator": "TR01", "sex": None, "value": 5000},
    ], activities=[{"activity": activity, "progress": "done", "note": "Đã phát 12 buổi", "budget_spent": 1500000}])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] > report["version"]
    assert {(row["indicator"], row["sex"]): row["value"] for row in body["values"]} == {
        ("TT01", None): 100, ("TT01", "male"): 40, ("TT01", "female"): 60, ("CB01", None): 32.5, ("TR01", None): 5000}
    assert body["activities"][0] == {"activity": activity, "name": "Tuyên truyền trên loa phát thanh",
                                     "progress": "done", "note": "Đã phát 12 buổi", "budget_spent": 1500000}
    assert len(body["warnings"]) == 1 and "TR01" not in body["warnings"][0]  # named by the indicator's name
    assert "warnings" not in client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()


@pytest.mark.parametrize("values, field", [
    ([{"indicator": "TR01", "sex": None, "value": "năm mươi"}], "values.TR01.total"),
    ([{"indicator": "TR01", "sex": None, "value": -3}], "values.TR01.total"),
    ([{"indicator": "TT01", "sex": None, "value": 50}, {"indicator": "TT01", "sex": "female", "value": 60}],
     "values.TT01.female"),
    ([{"indicator": "TT01", "sex": "male", "value": 5}], "values.TT01.female"),
    ([{"indicator": "CB01", "sex": None, "value": 120}], "values.CB01.total"),
    ([{"indicator": "TR01", "sex": "female", "value": 3}], "values.TR01.total"),
    ([{"indicator": "XX99", "sex": None, "value": 3}], "values.0.indicator"),
    ([{"indicator": {"code": "TR01"}, "sex": None, "value": 3}], "values.0.indicator"),
    ([{"indicator": ["TR01"], "sex": None, "value": 3}], "values.0.indicator"),
    ([{"indicator": "TT01", "sex": {}, "value": 3}], "values.TT01.total"),
    ([{"indicator": "TR01", "sex": None, "value": {}}], "values.TR01.total"),
    ([{"indicator": "TR01", "sex": None, "value": [3]}], "values.TR01.total"),
    ([{"indicator": "TR01", "sex": None, "value": float("nan")}], "values.TR01.total"),  # JSON's NaN
    ([{"indicator": "TR01", "sex": None, "value": float("inf")}], "values.TR01.total"),
    # Without its value, or with it misspelt, a figure is not removed (only an explicit null removes it).
    ([{"indicator": "TR01", "sex": None}], "values.TR01.total"),
    ([{"indicator": "TR01", "sex": None, "valeu": 70}], "values.0"),
    ([{"indicator": "TT01", "sex": "other", "value": 3}], "values.TT01.total"),
    ("TR01=3", "values"),
    # The same figure twice: which one was meant is unknown, so neither is taken.
    ([{"indicator": "TR01", "sex": None, "value": 8}, {"indicator": "TR01", "sex": None, "value": 9}],
     "values.TR01.total"),
    ([{"indicator": "TT01", "sex": "female", "value": 4}, {"indicator": "TT01", "sex": "female", "value": 4}],
     "values.TT01.female"),
])
def test_bad_values_are_refused_on_their_field_and_nothing_saved_is_lost(client, as_user, report_id, values, field):
    headers = as_user("editor")
    first = patch(client, headers, report_id, version=current_version(client, headers, report_id),
                  values=[{"indicator": "TR01", "sex": None, "value": 7}])
    assert first.status_code == 200
    response = patch(client, headers, report_id, version=first.get_json()["version"], values=values)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert saved_values(report_id) == {("TR01", None): 7}
    assert saved(report_id).version == first.get_json()["version"]


@pytest.mark.parametrize(("values", "field", "messages"), [
    ([{"indicator": "TR01", "sex": None}], "values.TR01.total",
     {"vi": "Vui lòng gửi value (null để xóa số liệu).", "en": "Send the value (null removes the figure)."}),
    ([{"indicator": "TR01", "valeu": 70}], "values.0",
     {"vi": "Không có trường valeu. Vui lòng gửi indicator, sex và value.",
      "en": "No such field: valeu. Send indicator, sex and value."}),
    ([{"indicator": "TT01", "sex": "Female", "value": 3}], "values.TT01.total",
     {"vi": "Giới tính phải là male (nam), female (nữ) hoặc để trống.", "en": "Sex is male, female or empty."}),

    # Ten trillion: above what SQLite keeps exactly (9,999,999,999,999,999 came back as 10^16).
    ([{"indicator": "TR01", "sex": None, "value": 10 ** 13}], "values.TR01.total",
     {"vi": "Số này quá lớn.", "en": "This number is too large."}),
    # Kept to the cent: 0.004 was saved as 0, and "0.001" was read as one thousand's dots, as 1.
    ([{"indicator": "CB01", "sex": None, "value": 0.004}], "values.CB01.total",
     {"vi": "Vui lòng nhập nhiều nhất hai chữ số thập phân, như 12,5 hoặc 33,33.",
      "en": "Enter at most two decimal places, as 12.5 or 33.33."}),
    ([{"indicator": "CB01", "sex": None, "value": "0.001"}], "values.CB01.total",
     {"vi": "Vui lòng nhập nhiều nhất hai chữ số thập phân, như 12,5 hoặc 33,33.",
      "en": "Enter at most two decimal places, as 12.5 or 33.33."}),
])
def test_a_value_item_that_cannot_be_read_as_sent_is_named_in_both_languages(client, as_user, report_id, values,
                                                                               field, messages):
    headers = as_user("editor")
    for language, message in messages.items():
        response = patch(client, {**headers, "Accept-Language": language}, report_id,
                         version=current_version(client, headers, report_id), values=values)
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {field: message}


def test_a_total_sent_must_be_men_plus_women_even_when_it_is_the_saved_one(client, as_user, report_id):
    """It was taken as left alone and replaced by their sum: the same request then saved 60,
    and failed when sent again."""
    headers = {**as_user("editor"), "Accept-Language": "en"}
    assert patch(client, headers, report_id, version=current_version(client, headers, report_id), values=[
        {"indicator": "TT01", "sex": "male", "value": 40}, {"indicator": "TT01", "sex": "female", "value": 60},
    ]).status_code == 200
    sent = [{"indicator": "TT01", "sex": None, "value": 100}, {"indicator": "TT01", "sex": "male", "value": 30},
            {"indicator": "TT01", "sex": "female", "value": 30}]
    for _ in range(2):
        response = patch(client, headers, report_id, version=current_version(client, headers, report_id),
                         values=sent)
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {"values.TT01.total": "The total must be men plus women."}
    assert saved_values(report_id) == {("TT01", None): 100, ("TT01", "male"): 40, ("TT01", "female"): 60}

    # Not sent, the total follows them.
    assert patch(client, headers, report_id, version=current_version(client, headers, report_id),
                 values=sent[1:]).status_code == 200
    assert saved_values(report_id) == {("TT01", None): 60, ("TT01", "male"): 30, ("TT01", "female"): 30}


@pytest.mark.parametrize(("language", "code", "typed", "saved_as"), [
    ("en", "TR01", "2,000", 2000),  # was read the Vietnamese way, as 2, whatever the language
    ("vi", "TR01", "2.000", 2000),
    ("vi", "TR01", "2,000", 2),  # two, to three decimal places
    ("en", "CB01", "32.5", Decimal("32.5")),
    ("vi", "CB01", "32,5", Decimal("32.5")),
    ("en", "CB01", "32,5", Decimal("32.5")),  # not English, so read as Vietnamese writes it
])
def test_a_value_sent_as_text_is_read_as_the_requests_language_writes_numbers(client, as_user, report_id,
                                                                               language, code, typed, saved_as):
    headers = {**as_user("editor"), "Accept-Language": language}
    response = patch(client, headers, report_id, version=current_version(client, headers, report_id),
                     values=[{"indicator": code, "sex": None, "value": typed}])
    assert response.status_code == 200, response.get_json()
    assert saved_values(report_id) == {(code, None): saved_as}


@pytest.mark.parametrize(("language", "typed"), [
    ("en", "1_000"), ("en", "1e3"), ("en", "\u0663"), ("en", "12abc"), ("en", "1,2,3.4.5"),
    ("vi", "2,000.00"),  # English grouping in Vietnamese: read as 2 before
])
def test_a_value_sent_as_text_that_an_officer_would_not_write_is_refused(client, as_user, report_id,
                                                                          language, typed):
    headers = {**as_user("editor"), "Accept-Language": language}
    response = patch(client, headers, report_id, version=current_version(client, headers, report_id),
                     values=[{"indicator": "TR01", "sex": None, "value": typed}])
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"values.TR01.total": {
        "en": "Enter a number, written as 4,920,000 or 12.5.",
        "vi": "Vui lòng nhập một số, viết như 4.920.000 hoặc 12,5."}[language]}
    assert saved_values(report_id) == {}


def test_a_ratio_is_computed_never_sent_and_its_denominator_is_not_zero(client, as_user, ratio_report_id):
    report_id = ratio_report_id
    headers = as_user("editor")
    response = patch(client, headers, report_id, version=current_version(client, headers, report_id), values=[
        {"indicator": "HS02", "sex": None, "value": 5}, {"indicator": "HS01", "sex": None, "value": 0}])
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"values.HS01.total"}
    assert saved_values(report_id) == {}

    response = patch(client, headers, report_id, version=current_version(client, headers, report_id), values=[
        {"indicator": "TL01", "sex": None, "value": 25}])
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"values.TL01.total"}

    response = patch(client, headers, report_id, version=current_version(client, headers, report_id), values=[
        {"indicator": "HS02", "sex": None, "value": 5}, {"indicator": "HS01", "sex": None, "value": 20}])
    assert response.status_code == 200
    assert saved_values(report_id) == {("HS02", None): 5, ("HS01", None): 20, ("TL01", None): 25}


def test_a_ratio_of_0_to_0_is_saved_without_a_value_and_with_a_warning(client, as_user, ratio_report_id):
    """No pupil in the period, so no girl either: true, and no percentage follows from it."""
    report_id = ratio_report_id
    headers = {**as_user("editor"), "Accept-Language": "en"}
    response = patch(client, headers, report_id, version=current_version(client, headers, report_id), values=[
        {"indicator": "HS02", "sex": None, "value": 0}, {"indicator": "HS01", "sex": None, "value": 0}])
    assert response.status_code == 200
    assert response.get_json()["warnings"] == ["Tỷ lệ học sinh nữ has no value for this period: Số học sinh is 0."]
    assert saved_values(report_id) == {("HS02", None): 0, ("HS01", None): 0}


@pytest.mark.parametrize(("field", "typed", "kept", "refused_text", "messages"), [
    ("assessment", " Kiến nghị: tập huấn. ", "Kiến nghị: tập huấn.", "x" * 20_001,
     {"vi": "Tối đa 20.000 ký tự", "en": "At most 20,000 characters"}),
    ("document_number", "Số: 12/BC-UBND", "12/BC-UBND", "12\n13",
     {"vi": "Hãy viết trên một dòng.", "en": "Write it on one line."}),
    ("document_number", "12/BC-UBND", "12/BC-UBND", "12/BC\rUBND",
     {"vi": "Hãy viết trên một dòng.", "en": "Write it on one line."}),
    ("document_number", "12/BC-UBND", "12/BC-UBND", "12/BC\u2028UBND",
     {"vi": "Hãy viết trên một dòng.", "en": "Write it on one line."}),
])
def test_the_reports_texts_are_read_and_written_and_bad_text_refused_in_both_languages(
        client, as_user, report_id, field, typed, kept, refused_text, messages):
    headers = as_user("editor")
    report = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    assert report[field] == ""

    response = patch(client, headers, report_id, version=report["version"], **{field: typed})
    assert response.status_code == 200 and response.get_json()[field] == kept

    version = response.get_json()["version"]
    for language, words in messages.items():
        refused = client.patch(f"/api/v1/reports/{report_id}", json={"version": version, field: refused_text},
                               headers={**headers, "Accept-Language": language})
        assert refused.status_code == 422
        assert refused.get_json()["error"]["fields"][field].startswith(words)
    refused = patch(client, headers, report_id, version=version, **{field: 12})
    assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {field}
    assert getattr(saved(report_id), field) == kept and saved(report_id).version == version


def test_bad_activities_and_unknown_fields_are_refused(client, as_user, report_id):
    headers = as_user("editor")
    report = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    activity = report["activities"][0]["activity"]
    response = patch(client, headers, report_id, version=report["version"],
                     activities=[{"activity": activity, "progress": "almost", "budget_spent": "nhiều"}])
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {f"activities.{activity}.progress",
                                                           f"activities.{activity}.budget_spent"}
    # What is not an activity's id, or not a progress, is named as such (True is not activity 1).
    for activities, field in (([{"activity": {}}], "activities.0.activity"), ([{"activity": True}], "activities.0.activity"),
                              ([{"activity": [activity]}], "activities.0.activity"),
                              ([{"activity": activity, "progress": {}}], f"activities.{activity}.progress"),
                              ([{"activity": activity, "note": {"x": 1}}], f"activities.{activity}.note"),
                              ([{"activity": activity, "note": ["a"]}], f"activities.{activity}.note"),
                              ([{"activity": activity, "note": 12}], f"activities.{activity}.note")):
        response = patch(client, headers, report_id, version=report["version"], activities=activities)
        assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {field}, activities
    assert response.get_json()["error"]["fields"][field] == "Vui lòng nhập nội dung."  # a note is text
    # A misspelt field is named, not dropped as if saved; a budget too large says so.
    for activities, field, message in (
            ([{"activity": activity, "progres": "done"}], f"activities.{activity}",
             "Không có trường progres. Vui lòng gửi activity, progress, note và budget_spent."),
            ([{"activity": activity, "budget_spent": 10 ** 15}], f"activities.{activity}.budget_spent",
             "Số này quá lớn."),
            ([{"activity": activity, "budget_spent": float("nan")}], f"activities.{activity}.budget_spent",
             "Vui lòng nhập kinh phí bằng đồng, dưới dạng số nguyên."),
            ([{"activity": activity, "budget_spent": -5}], f"activities.{activity}.budget_spent",
             "Kinh phí không được là số âm.")):
        response = patch(client, headers, report_id, version=report["version"], activities=activities)
        assert response.status_code == 422 and response.get_json()["error"]["fields"] == {field: message}
    response = patch(client, headers, report_id, version=report["version"], activities=["done"])
    assert response.get_json()["error"]["fields"] == {
        "activities.0": "Mỗi hoạt động phải là một đối tượng gồm activity và progress, note hoặc budget_spent."}
    response = patch(client, headers, report_id, version=report["version"], status="accepted")
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"status"}
    response = patch(client, headers, report_id, values=[])
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"version"}
    assert saved(report_id).version == report["version"]


def test_an_activity_sent_twice_is_refused_in_both_languages_and_neither_is_taken(client, as_user, report_id):
    headers = as_user("editor")
    report = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    activity = report["activities"][0]
    twice = [{"activity": activity["activity"], "progress": "done"},
             {"activity": activity["activity"], "progress": "cancelled"}]
    for language, message in (("vi", "Hoạt động này được gửi hai lần: vui lòng chỉ gửi một lần."),
                              ("en", "This activity is sent twice: send it once.")):
        response = client.patch(f"/api/v1/reports/{report_id}", json={"version": report["version"], "activities": twice},
                                headers={**headers, "Accept-Language": language})
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {f"activities.{activity['activity']}": message}
    after = client.get(f"/api/v1/reports/{report_id}", headers=headers).get_json()
    assert after["activities"][0] == activity and after["version"] == report["version"]


def test_a_stale_version_gets_409_with_the_saved_report(client, as_user, report_id):
    headers = as_user("editor")
    version = current_version(client, headers, report_id)
    assert patch(client, headers, report_id, version=version,
                 values=[{"indicator": "TR01", "sex": None, "value": 7}]).status_code == 200
    response = patch(client, as_user("leader"), report_id, version=version,
                     values=[{"indicator": "TR01", "sex": None, "value": 9}])
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale_version"
    assert error["current"]["version"] > version
    assert error["current"]["values"] == [{"indicator": "TR01", "sex": None, "value": 7}]
    assert saved_values(report_id) == {("TR01", None): 7}


def test_a_form_encoded_body_is_not_read(client, as_user, report_id):
    response = client.patch(f"/api/v1/reports/{report_id}", data={"version": "1"}, headers=as_user("editor"))
    assert response.status_code == 400
