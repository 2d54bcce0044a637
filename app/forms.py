"""The base of every form: WTForms' own messages come from our catalogue (it ships no
Vietnamese), so a user never meets an English validation message."""
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# WTForms' built-in messages that our forms can show; listed here so that extraction puts them
# in the catalogue, where they are translated like every other string.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid input."),
)


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return get_translations()
