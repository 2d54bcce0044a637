"""Forms of the template editor. They only carry what was typed (NFC): the checks and their
messages live in validation.py, shared with the API, so both refuse the same things."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)

from app.forms import BaseForm, enum_options, options
from app.plan_templates.models import (
    Aggregation,
    Disaggregation,
    PeriodType,
    TimeAggregation,
    ValueType,
)
from app.text import nfc

LINES_HELP = _l("One per line.")


class VersionedForm(BaseForm):
    # The version the author read: a write based on an older one is refused, never merged.
    version = HiddenField()

    def data_for_service(self) -> dict:
        skip = {"version", "submit", "csrf_token", "year"}
        return {name: field.data for name, field in self._fields.items() if name not in skip}


class DetailsForm(VersionedForm):
    year = StringField(_l("Year"), filters=[nfc])
    title = StringField(_l("Title (the line under KẾ HOẠCH)"), filters=[nfc])
    legal_basis = TextAreaField(_l("Legal basis (căn cứ)"), filters=[nfc], description=LINES_HELP,
                                render_kw={"rows": 3})
    introduction = TextAreaField(_l("Introduction"), filters=[nfc], render_kw={"rows": 3},
                                 description=_l("{unit} becomes the commune's name."))
    closing = TextAreaField(_l("Closing paragraph"), filters=[nfc], render_kw={"rows": 2})
    responsible_bodies = TextAreaField(_l("Responsible bodies"), filters=[nfc], description=LINES_HELP,
                                       render_kw={"rows": 4})
    recipients = TextAreaField(_l("Recipients (nơi nhận)"), filters=[nfc], description=LINES_HELP,
                               render_kw={"rows": 3})
    report_period_type = SelectField(_l("Reports are made every"), choices=enum_options(PeriodType),
        default=PeriodType.QUARTER.value)
    report_deadline_days = StringField(_l("Report deadline (days after the period)"), filters=[nfc])
    rollup_includes_submitted = BooleanField(
        _l("Count submitted reports in the district's figures before they are accepted"),
        description=_l("Otherwise a report counts once the district accepts it. The plans made from this "
                       "template keep this setting."))
    submit = SubmitField(_l("Save"))


class SectionForm(VersionedForm):
    heading = StringField(_l("Heading"), filters=[nfc])
    level = SelectField(_l("Level"), choices=options([("1", _l("1 — numbered section (I, II, III…)")),
                                                      ("2", _l("2 — content area (1, 2, 3…) of the section above"))]))
    guidance = TextAreaField(_l("Guidance for the commune"), filters=[nfc], render_kw={"rows": 3})
    default_text = TextAreaField(_l("Default text"), filters=[nfc], render_kw={"rows": 5},
                                 description=_l("{unit} becomes the commune's name."))
    editable = BooleanField(_l("The commune may change the text"), default=True)
    submit = SubmitField(_l("Save"))


class ActivityForm(VersionedForm):
    section_key = SelectField(_l("Content area"), choices=[], validate_choice=False)
    name = StringField(_l("Activity"), filters=[nfc])
    lead_body = StringField(_l("Lead body"), filters=[nfc])
    submit = SubmitField(_l("Save"))


class IndicatorForm(VersionedForm):
    code = StringField(_l("Code"), filters=[nfc], description=_l("Capital letters and digits, e.g. TT01."))
    name = StringField(_l("Name"), filters=[nfc])
    measure_unit = StringField(_l("Unit of measure"), filters=[nfc], description=_l("buổi, người, %…"))
    value_type = SelectField(_l("Value type"), choices=enum_options(ValueType),
        default=ValueType.INTEGER.value)
    aggregation = SelectField(_l("Aggregation across units"), choices=enum_options(Aggregation),
        default=Aggregation.SUM.value)
    numerator_code = StringField(_l("Numerator code (ratio only)"), filters=[nfc])
    denominator_code = StringField(_l("Denominator code (ratio only)"), filters=[nfc])
    disaggregation = SelectField(_l("Disaggregation"), choices=enum_options(Disaggregation),
        default=Disaggregation.NONE.value)
    time_aggregation = SelectField(_l("Over time"), choices=enum_options(TimeAggregation),
        default=TimeAggregation.SUM.value)
    minimum_target = StringField(_l("Minimum target (optional)"), filters=[nfc])
    submit = SubmitField(_l("Save"))

    def data_for_service(self) -> dict:
        return {**super().data_for_service(), "minimum_target": self.minimum_target.data}


class ActionForm(VersionedForm):
    """The buttons of the template page: move, remove, publish."""

    direction = HiddenField()


# Which reports the rollups count, as the template page's choice names it.
COUNTED_REPORTS = {"accepted": False, "submitted": True}


class CopyForm(BaseForm):
    source = SelectField(_l("Copy from"), choices=[], validate_choice=False)
    year = StringField(_l("New year"), filters=[nfc])
    submit = SubmitField(_l("Copy"))
