"""The documented JSON API at /api/v1: flask-smorest blueprints bound to the app, tokens, problems."""

from __future__ import annotations

import http
import os

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from lms.api import problems
from lms.api.schemas import Problem
from lms.api.spec import DocumentedPathsPlugin

API_PREFIX = "/api/v1"

DESCRIPTION = """\
The Kelas ASN API: the catalogue, your enrollments and progress, quiz attempts, cohort reports
for supervisors, your JP ledger and public certificate verification.

**Authentication.** Create a personal API token at `/account/tokens/` (*API tokens* in the menu) or with
`flask --app wsgi lms create-token EMAIL`, and send it as `Authorization: Bearer <token>`.
A `read` token may only GET. The session cookie of the web interface is never used here.

**Errors** are `application/problem+json` (RFC 9457); `type` is a stable URI per kind of error.

**Lists** take `page` and `per_page` (at most 100) and answer with `total` and `pages`.
"""


class ProblemApi(Api):
    """flask-smorest's Api, documenting and answering errors as RFC 9457 problems."""

    ERROR_SCHEMA = Problem

    def _register_error_handlers(self):
        """Leave the web's error pages alone: API errors are handled in `init_app` below."""

    def _register_responses(self):
        for status in http.HTTPStatus:
            if status < 400:
                continue
            response = {"description": status.phrase, "schema": Problem}
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": Problem}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def _register_pagination_header(self):
        """Leave out flask-smorest's X-Pagination header: our lists carry their page in the body."""


def _contact(app: Flask) -> dict:
    """Name who runs this server: its public address when configured."""
    contact = {"name": "Kelas ASN"}
    if app.config.get("LMS_BASE_URL"):
        contact["url"] = app.config["LMS_BASE_URL"]
    return contact


def init_app(app: Flask) -> None:
    """Bind the API, its documentation, the token pages and the create-token command."""
    from lms.api import account_views, cli, docs
    from lms.api.views import BLUEPRINTS
    from lms.extensions import csrf

    app.config.setdefault("API_TITLE", "Kelas ASN API")
    app.config.setdefault("API_VERSION", "1.0.0")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    # Requests a minute per token (or address) in each process; 0 turns the limit off.
    app.config.setdefault(
        "LMS_API_RATE_LIMIT", int(os.environ.get("LMS_API_RATE_LIMIT", "600"))
    )
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": DESCRIPTION,
                "license": {"name": "MIT", "identifier": "MIT"},
                "contact": _contact(app),
            },
            "servers": [{"url": "/"}],
            "components": {
                "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer"}}
            },
            "security": [{"bearerToken": []}],
        },
    )
    api = ProblemApi(app, spec_kwargs={"flask_plugin": DocumentedPathsPlugin()})
    for blueprint in BLUEPRINTS:
        # Bearer tokens are not sent by browsers on their own: no CSRF, and only here.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    docs.init_app(app)
    account_views.init_app(app)
    cli.init_app(app)

    @app.errorhandler(HTTPException)
    def api_http_error(error: HTTPException):
        """Answer unmatched API URLs and methods with problems; leave other errors as they were."""
        if problems.is_api_request():
            return problems.from_http_exception(error)
        return error
