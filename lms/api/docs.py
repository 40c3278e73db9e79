"""The interactive API documentation: Swagger UI from its pip package, served here (no CDN)."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Flask, abort, render_template, send_from_directory

#: Swagger UI's built files, shipped inside the flask-swagger-ui package.
SWAGGER_DIST = Path(flask_swagger_ui.__file__).parent / "dist"
ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"}

bp = Blueprint("api_docs_ui", __name__, url_prefix="/api/v1/docs")


@bp.get("")
def index():
    """Show the API's OpenAPI document as an interactive page."""
    return render_template("api/docs.html")


@bp.get("/assets/<name>")
def asset(name: str):
    """Serve one of Swagger UI's files."""
    if name not in ASSETS:
        abort(404)
    return send_from_directory(SWAGGER_DIST, name, max_age=86400)


def init_app(app: Flask) -> None:
    """Register the documentation page."""
    app.register_blueprint(bp)
