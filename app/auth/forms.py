from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.forms import BaseForm
from app.text import nfc


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(BaseForm):
    username = StringField(
        _l("Username"), filters=[nfc, _strip],
        validators=[DataRequired(message=_l("Enter your username."))],
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class LanguageForm(BaseForm):
    locale = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class CreateUserForm(BaseForm):
    username = StringField(
        _l("Username"), filters=[nfc, _strip],
        validators=[
            DataRequired(message=_l("Enter a username.")),
            Length(max=64, message=_l("At most %(max)d characters.")),
        ],
    )
    full_name = StringField(
        _l("Full name"), filters=[nfc, _strip],
        validators=[Length(max=255, message=_l("At most %(max)d characters."))],
    )
    email = StringField(_l("E-mail (for reminders)"), filters=[nfc, _strip],
                        validators=[Length(max=254, message=_l("At most %(max)d characters."))])
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose a role."))])
    unit = SelectField(_l("Unit"), validators=[DataRequired(message=_l("Choose a unit."))])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter a password."))]
    )
    submit = SubmitField(_l("Create user"))


class ResetPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(message=_l("Enter a password."))]
    )
    submit = SubmitField(_l("Set password"))
