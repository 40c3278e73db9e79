"""The base of every form: WTForms' own messages speak the interface language."""

from __future__ import annotations

from flask_babel import get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm


class CatalogueTranslations:
    """Give WTForms our catalogue (WTForms ships no Indonesian)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class Form(FlaskForm):
    """A Flask-WTF form whose built-in messages come from lms/translations."""

    class Meta:
        def get_translations(self, form):
            return CatalogueTranslations()

    def validate(self, extra_validators=None) -> bool:
        """Validate, translating Flask-WTF's CSRF messages (it does not pass them to gettext)."""
        valid = super().validate(extra_validators)
        token = self._fields.get("csrf_token")
        if token is not None and token.errors:
            token.errors = [gettext(str(error)) for error in token.errors]
        return valid


#: WTForms' and Flask-WTF's messages our forms can show, listed so `make translations` keeps them.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("This field is disabled and cannot have a value."),
    _l("The CSRF token is missing."),
    _l("The CSRF session token is missing."),
    _l("The CSRF token has expired."),
    _l("The CSRF token is invalid."),
    _l("The CSRF tokens do not match."),
)


def wtforms_plural_messages(n: int) -> list[str]:
    """Return WTForms' length messages for `n` characters, in the interface language."""
    t = get_translations()
    return [
        t.ungettext(
            "Field must be at least %(min)d character long.",
            "Field must be at least %(min)d characters long.",
            n,
        ),
        t.ungettext(
            "Field cannot be longer than %(max)d character.",
            "Field cannot be longer than %(max)d characters.",
            n,
        ),
        t.ungettext(
            "Field must be exactly %(max)d character long.",
            "Field must be exactly %(max)d characters long.",
            n,
        ),
    ]
