"""The schedule's form, and the small forms of a dispatch's page (CSRF and their one field)."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.dispatches.models import FileFormat, SendMode
from app.forms import BaseForm, enum_options
from app.text import nfc


class ScheduleForm(BaseForm):
    # Checked by the service (app/dispatches/validation.py), which the API shares.
    template_id = SelectField(_l("Template"), coerce=int)
    period_type = SelectField(_l("Periods sent upward"))
    # Text: the service reads the number and says what it wants in the user's language.
    days_after_deadline = StringField(_l("Days after the communes' reporting deadline"), default="5")
    recipient_name = StringField(_l("Receiving office"), filters=[nfc])
    recipient_emails = StringField(_l("E-mail addresses (separated by commas)"), filters=[nfc])
    # Choices as callables: their labels are read in the reader's language, per request.
    formats = SelectMultipleField(_l("Formats"), choices=enum_options(FileFormat), default=["xlsx", "docx"],
                                  option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    mode = RadioField(_l("How it is sent"), choices=enum_options(SendMode), default=SendMode.REVIEW.value)
    active = BooleanField(_l("Active"), default=True)


class NarrativeForm(BaseForm):
    narrative = TextAreaField(_l("Paragraphs of the report"), filters=[nfc])


class SendNowForm(BaseForm):
    period = StringField(_l("Period"), filters=[nfc])


class ConfirmForm(BaseForm):
    """A button and its CSRF token."""
