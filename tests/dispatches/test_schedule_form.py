"""The schedule's form: made and edited by the officer, every error by field in the user's
language with what was typed kept, and its choices in the user's language."""
import unicodedata

from app.dispatches.models import ReportSchedule
from tenants import system_scope
from tests.dispatches.conftest import (
    RECIPIENT_EMAIL,
    RECIPIENT_NAME,
)
from tests.dispatches.pages import (
    VALID_FORM,
    alerts,
    count,
    en,
    field_errors,
    page,
    saved,
    vi,
)
from tests.factories import make_template


def test_the_officer_creates_a_schedule_through_the_form(client, login_as, template, db):
    login_as("officer")
    form = page(client.get("/dispatches/schedules/new"))
    assert form.xpath("//select[@name='template_id']/option/@value") == [str(template.id)]
    assert form.xpath("//select[@name='period_type']/option/@value") == ["quarter", "year"]
    assert form.xpath("//input[@name='formats'][@checked]/@value") == ["xlsx", "docx"]

    response = client.post("/dispatches/schedules/new", data={**VALID_FORM, "template_id": template.id})

    assert response.status_code == 302
    with system_scope("test reads the schedule"):
        schedule = db.session.execute(db.select(ReportSchedule)).scalar_one()
        assert (schedule.template_id, schedule.unit.code, schedule.period_type) == (template.id, "402", "quarter")
        assert schedule.emails == [RECIPIENT_EMAIL, "bdg@thanhhoa.gov.vn"]
        assert (schedule.formats, schedule.mode, schedule.active, schedule.days_after_deadline) == (
            "xlsx,docx", "review", True, 5)
        schedule_id = schedule.id
    assert response.headers["Location"] == f"/dispatches#schedule-{schedule_id}"
    listing = page(client.get("/dispatches"))
    assert vi("The schedule was saved.") in alerts(listing)
    assert listing.xpath(f"//section[@data-testid='schedule-{schedule_id}']")


def test_a_wrong_schedule_gets_every_error_by_field_in_vietnamese_and_keeps_what_was_typed(
        client, login_as, template, tree, db):
    with system_scope("test data"):
        # A monthly template too: "Tháng" is offered, but the quarterly template has no months.
        make_template(tree.district, year=2024, report_period_type="month")
        db.session.commit()
    login_as("officer")
    typed = {"template_id": template.id, "period_type": "month", "days_after_deadline": "-3",
             "recipient_name": "Sở LĐTBXH tỉnh", "recipient_emails": "sold@thanhhoa, bdg@thanhhoa.gov.vn",
             "mode": "automatic"}  # and no format

    response = client.post("/dispatches/schedules/new", data=typed)

    assert response.status_code == 422
    document = page(response)
    messages = {
        "period_type": ("This template's reports are by %(types)s only.", {"types": "Quý, Năm"}),
        "days_after_deadline": ("Enter a whole number of days from 0 to %(most)s.", {"most": 365}),
        "recipient_emails": ("%(email)s is not a valid e-mail address.", {"email": "sold@thanhhoa"}),
        "formats": ("Choose at least one format: %(formats)s.", {"formats": "docx, xlsx"}),
    }
    expected = {name: vi(message, **variables) for name, (message, variables) in messages.items()}
    assert field_errors(document) == expected
    # What was typed is kept.
    assert document.xpath("//select[@name='period_type']/option[@selected]/@value") == ["month"]
    assert document.xpath("//input[@name='days_after_deadline']/@value") == ["-3"]
    assert document.xpath("//input[@name='recipient_name']/@value") == ["Sở LĐTBXH tỉnh"]
    assert document.xpath("//input[@name='recipient_emails']/@value") == ["sold@thanhhoa, bdg@thanhhoa.gov.vn"]
    assert document.xpath("//input[@name='mode'][@checked]/@value") == ["automatic"]
    assert document.xpath("//input[@name='formats'][@checked]") == []
    assert count(db, ReportSchedule) == 0

    # Days that are not a number get the same message, not WTForms' English one.
    response = client.post("/dispatches/schedules/new", data={**VALID_FORM, "template_id": template.id,
                                                               "days_after_deadline": "năm"})
    assert response.status_code == 422
    assert field_errors(page(response)) == {"days_after_deadline": expected["days_after_deadline"]}
    assert count(db, ReportSchedule) == 0

    untranslated = [name for name, (message, variables) in messages.items()
                    if expected[name] == en(message, **variables)]
    assert not untranslated, f"the messages of {untranslated} are in English: translate them in translations/vi"


def test_the_officer_edits_the_schedule(client, login_as, schedule, db):
    login_as("officer")
    form = page(client.get(f"/dispatches/schedules/{schedule.id}/edit"))
    assert form.xpath("//input[@name='recipient_name']/@value") == [RECIPIENT_NAME]
    assert form.xpath("//input[@name='formats'][@checked]/@value") == ["xlsx", "docx"]
    assert form.xpath("//select[@name='period_type']/option[@selected]/@value") == ["quarter"]

    # A mistake changes nothing that was saved...
    response = client.post(f"/dispatches/schedules/{schedule.id}/edit",
                           data={**VALID_FORM, "recipient_emails": "không phải e-mail"})
    assert response.status_code == 422
    assert set(field_errors(page(response))) == {"recipient_emails"}
    assert saved(db, ReportSchedule, schedule.id, lambda row: row.emails) == [RECIPIENT_EMAIL]

    # ...and the corrected form is saved. NFC: Vietnamese typed decomposed is stored composed.
    decomposed = unicodedata.normalize("NFD", "Sở Lao động tỉnh Thanh Hóa")
    response = client.post(f"/dispatches/schedules/{schedule.id}/edit", data={
        **VALID_FORM, "period_type": "year", "days_after_deadline": "7", "recipient_name": decomposed,
        "recipient_emails": "bdg@thanhhoa.gov.vn", "formats": ["docx"], "mode": "automatic", "active": ""})
    assert response.status_code == 302
    assert saved(db, ReportSchedule, schedule.id, lambda row: (
        row.period_type, row.days_after_deadline, row.recipient_name, row.emails, row.formats, row.mode, row.active,
    )) == ("year", 7, "Sở Lao động tỉnh Thanh Hóa", ["bdg@thanhhoa.gov.vn"], "docx", "automatic", False)


def test_the_schedule_forms_choices_read_in_the_users_language(client, login_as, template):
    login_as("officer")
    html = client.get("/dispatches/schedules/new").get_data(as_text=True)
    for label in ("Excel workbook (XLSX)", "Word report (DOCX)", "Prepared for the officer to review and send",
                  "Sent automatically"):
        assert vi(label) != label and vi(label) in html
