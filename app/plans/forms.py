"""The plan's forms. Each edit form carries the plan's `version` as it was when the form was
rendered, so a save over someone else's newer save is caught. The services validate the
values (the same checks as the API); the forms only read the request and keep what was typed."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)

from app.forms import BaseForm, options
from app.text import nfc

MONTHS = options((str(month), str(month)) for month in range(1, 13))


class VersionedForm(BaseForm):
    version = HiddenField()


class CreatePlanForm(BaseForm):
    template_id = SelectField(_l("Template"), coerce=int, validate_choice=False)


class SectionForm(VersionedForm):
    text = TextAreaField(_l("Text"), filters=[nfc])


class DetailsForm(VersionedForm):
    legal_basis = TextAreaField(_l("Legal basis (one document per line)"), filters=[nfc])
    introduction = TextAreaField(_l("Introduction"), filters=[nfc])
    closing = TextAreaField(_l("Closing paragraph"), filters=[nfc])
    document_number = StringField(_l("Document number"), filters=[nfc])
    place = StringField(_l("Place"), filters=[nfc])
    # A plain string: the service checks the date and answers in the user's language.
    document_date = StringField(_l("Date (day/month/year)"), filters=[nfc])
    signer_authority = StringField(_l("On behalf of"), filters=[nfc])
    signer_title = StringField(_l("Signer's title"), filters=[nfc])
    signer_name = StringField(_l("Signer's name"), filters=[nfc])
    recipients = TextAreaField(_l("Recipients (one per line, with their notation)"), filters=[nfc])

    FIELDS = ("legal_basis", "introduction", "closing", "document_number", "place", "document_date",
              "signer_authority", "signer_title", "signer_name", "recipients")

    def changes(self) -> dict:
        return {name: getattr(self, name).data or "" for name in self.FIELDS}


class ActivityForm(VersionedForm):
    section_key = SelectField(_l("Content area"), validate_choice=False)
    name = StringField(_l("Activity"), filters=[nfc])
    lead_body = StringField(_l("Lead body"), filters=[nfc])
    supporting_bodies = StringField(_l("Supporting bodies"), filters=[nfc])
    months = SelectMultipleField(_l("Months"), choices=MONTHS, validate_choice=False,
                                 widget=widgets.ListWidget(prefix_label=False),
                                 option_widget=widgets.CheckboxInput())
    budget_vnd = StringField(_l("Budget (đồng)"), filters=[nfc])
    funding_source = StringField(_l("Source of funds"), filters=[nfc])

    FIELDS = ("section_key", "name", "lead_body", "supporting_bodies", "months", "budget_vnd",
              "funding_source")

    def changes(self) -> dict:
        return {**{name: getattr(self, name).data for name in self.FIELDS},
                "budget_vnd": self.budget_vnd.data}


class ActionForm(VersionedForm):
    comment = TextAreaField(_l("Comment"), filters=[nfc])


__all__ = ["ActionForm", "ActivityForm", "CreatePlanForm", "DetailsForm",
           "SectionForm", "VersionedForm"]
