"""The base of every form: WTForms' own messages come from our catalogue (it ships no
Vietnamese), so a user never meets an English validation message."""
from collections.abc import Callable, Iterable

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice

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


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select field (WTForms 3.3 deprecates tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_options(enum) -> Callable[[], list[SelectChoice]]:
    """A LabelledEnum's members as choices, read per request: labels in the reader's language."""
    return lambda: options(enum.choices())
