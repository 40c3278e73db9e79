"""Interface language: Indonesian by default, English on request."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    refresh,
)
from flask_login import current_user

from lms.extensions import babel


def select_locale() -> str:
    """Pick the locale: the user's setting, then the session's choice, then Accept-Language."""
    languages = current_app.config["LMS_LANGUAGES"]
    if not has_request_context():  # the command line speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if (
        current_user
        and current_user.is_authenticated
        and current_user.locale in languages
    ):
        return current_user.locale
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


def _decimal_symbol() -> str:
    from babel.numbers import get_decimal_symbol
    from flask import g

    symbol = g.get("_lms_decimal_symbol")
    if symbol is None:
        symbol = g._lms_decimal_symbol = get_decimal_symbol(get_locale())
    return symbol


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and put the formatting helpers in templates."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_datetime,
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
