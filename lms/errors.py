"""Friendly error pages, and a clear 503 when the database is down."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import BadRequest


class RequestRefused(BadRequest):
    """A bad request whose description (translated) tells the user what to change."""


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    def page(code: int, title: str, message: str, minimal: bool = False):
        from lms.api import problems

        if problems.is_api_request():  # the JSON API answers with problem+json
            kind = problems.KIND_BY_STATUS.get(code, "server-error")
            return problems.problem_response(kind, status=code)
        html = render_template(
            "errors/error.html",
            code=code,
            title=title,
            message=message,
            minimal=minimal,
        )
        return html, code

    @app.errorhandler(400)
    def bad_request(error):
        said = error.description if isinstance(error, RequestRefused) else None
        return page(
            400,
            _("Bad request"),
            said
            or _("The form was stale or incomplete. Please go back and try again."),
        )

    @app.errorhandler(403)
    def forbidden(_error):
        return page(403, _("Not allowed"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(_error):
        return page(
            404,
            _("Page not found"),
            _("The page you asked for does not exist or was moved."),
        )

    @app.errorhandler(413)
    def too_large(_error):
        return page(
            413,
            _("File too large"),
            _("The file you sent is larger than this site accepts."),
        )

    @app.errorhandler(OperationalError)
    def database_down(_error):
        from flask import g
        from flask_babel import force_locale

        from lms.extensions import db
        from lms.i18n import visitor_locale

        db.session.rollback()
        # Render as for a visitor (see `signed_in_user`): the account would ask the database again.
        g.lms_database_down = True
        with force_locale(
            visitor_locale()
        ):  # the account's language would read it again
            return page(
                503,
                _("Temporarily unavailable"),
                _(
                    "The database is not answering right now. Your saved work is safe; please try again in a minute."
                ),
                minimal=True,
            )

    @app.errorhandler(500)
    def server_error(_error):
        return page(
            500,
            _("Something went wrong"),
            _("An unexpected error occurred. It has been logged."),
        )
