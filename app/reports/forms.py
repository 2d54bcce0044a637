"""The report's forms. The values and activities are read from the request by name
(`values.<CODE>.<total|male|female>`, `activities.<id>.<progress|note|budget_spent>`) and
checked by the services, as the API's are; the forms carry CSRF, the version and a comment."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from app.forms import BaseForm
from app.text import nfc


class ReportForm(BaseForm):
    """The report's edit form: the version it was rendered at."""

    version = HiddenField()


class ReportActionForm(ReportForm):
    comment = TextAreaField(_l("Comment"), filters=[nfc])


class CreateReportForm(BaseForm):
    # A plain string: the service says which periods the plan has, in the user's language.
    period = StringField(_l("Period"), filters=[nfc])


__all__ = ["CreateReportForm", "ReportActionForm", "ReportForm"]
