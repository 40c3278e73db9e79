"""Interface language: Indonesian by default, English on request."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    refresh,
    to_user_timezone,
)
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

from lms.extensions import babel


def select_locale() -> str:
    """Pick the locale: the user's setting, then the session's choice, then Accept-Language."""
    return _locale_code()


def _locale_code() -> str:
    languages = current_app.config["LMS_LANGUAGES"]
    if not has_request_context():  # the command line speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user = current_user
    if user and user.is_authenticated and user.locale in languages:
        return user.locale
    return visitor_locale()


def visitor_locale() -> str:
    """Pick the locale without the account: the session's choice, then Accept-Language."""
    languages = current_app.config["LMS_LANGUAGES"]
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages)
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def format_number(value, decimals: int = 2) -> str:
    """Format a score or JP amount for the interface language, quickly (reports show thousands)."""
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", _decimal_symbol())


def format_when(value, format: str = "short") -> str:
    """Format a date and time as the site does everywhere: the medium date and short time of the
    viewer's locale, in the platform's time zone ("7 Des 2026 12.44", "Dec 7, 2026, 12:44 PM").

    Babel's own "short" ("7/12/26 12.44") reads as a different kind of date beside "7 Des 2026".
    """
    if format != "short":
        return format_datetime(value, format)
    from babel.dates import format_time

    locale = get_locale()
    moment = to_user_timezone(value)
    pattern = str(locale.datetime_formats["medium"])
    return pattern.replace("{1}", format_date(moment, "medium")).replace(
        "{0}", format_time(moment, "short", locale=locale)
    )


def _decimal_symbol() -> str:
    """Return the locale's decimal symbol, kept per request and keyed by the locale (as below)."""
    from babel.numbers import get_decimal_symbol

    locale = get_locale()
    cached = g.get("_lms_decimal_symbol")
    if cached is None or cached[0] is not locale:
        cached = g._lms_decimal_symbol = (locale, get_decimal_symbol(locale))
    return cached[1]


def _translations():
    """Return the translations of the current locale, kept per request (Flask-Babel's path is long).

    Keyed by the locale object, so `force_locale` and `refresh` still switch languages.
    """
    locale = get_locale()
    cached = g.get("_lms_translations")
    if cached is None or cached[0] is not locale:
        cached = g._lms_translations = (locale, get_translations())
    return cached[1]


def _template_functions(translations) -> dict:
    """Return `_`, `gettext` and `ngettext` for templates, as Jinja's new-style ones behave.

    The text is escaped (where the template autoescapes), then formatted with the variables;
    `translations` is the catalogue to use, or a function returning it.
    """
    catalogue = translations if callable(translations) else lambda: translations

    @pass_eval_context
    def gettext(eval_ctx, string: str, **variables) -> str:
        text = catalogue().ugettext(string)
        if eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_eval_context
    def ngettext(eval_ctx, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        text = catalogue().ungettext(singular, plural, num)
        if eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and put the formatting helpers in templates."""
    babel.init_app(app, locale_selector=select_locale)
    # Templates call _() dozens of times a page, and Flask-Babel's path to the catalogue is long:
    # each render gets functions bound to the current catalogue; macros imported without the
    # context fall back to the global ones, which look it up per call.
    app.jinja_env.globals.update(_template_functions(_translations))

    @app.context_processor
    def bound_gettext() -> dict:
        return _template_functions(_translations())

    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_when,
        format_decimal=format_decimal,
        get_locale=get_locale,
        format_number=format_number,
    )


def choose_language(locale: str) -> None:
    """Remember the chosen interface language in the session and on the account."""
    from lms.extensions import db

    if locale not in current_app.config["LMS_LANGUAGES"]:
        return
    session["locale"] = locale
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    refresh()
