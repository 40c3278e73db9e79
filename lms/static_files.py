"""Static files under fingerprinted names, cached by browsers for a year.

Flask-Static-Digest's `flask digest compile` (run by `make install` and `make install-test`, and
at deploy) writes a copy of each static file named by its content (`style-<md5>.css`) and a
`cache_manifest.json` beside them: every machine of a release reads the same file. Every
`url_for("static", ...)` gives the copy's name, which a browser may keep for a year. A request
for a fingerprinted name that this release does not have (a page cached from before a deploy)
gets the current file, without the long cache. The debug server links the plain names.
"""

from __future__ import annotations

import os
import re

from flask import Flask, current_app, send_from_directory, url_for
from flask_static_digest import FlaskStaticDigest

#: A year: the longest cache lifetime browsers honour.
ONE_YEAR = 31_536_000
FINGERPRINTED = re.compile(r"^(?P<stem>.+)-(?P<digest>[0-9a-f]{32})(?P<ext>\.[^./]+)$")

digest = FlaskStaticDigest()


def fingerprinted_name(filename: str) -> str:
    """Return the name of a static file's fingerprinted copy (the name itself if it has none)."""
    if current_app.debug:
        return filename
    return digest.manifests.get("static", {}).get(filename, filename)


def static_url(filename: str) -> str:
    """Return the fingerprinted URL of a static file."""
    return url_for("static", filename=filename)


def serve_static(filename: str):
    """Serve a static file; this release's fingerprinted copies are cached for a year."""
    app = current_app._get_current_object()
    match = FINGERPRINTED.match(filename)
    if match:
        original = match["stem"] + match["ext"]
        if fingerprinted_name(original) == filename:
            response = send_from_directory(
                app.static_folder, filename, max_age=ONE_YEAR
            )
            response.cache_control.public = True
            response.cache_control.immutable = True
            return response
        if os.path.isfile(os.path.join(app.static_folder, original)):
            return send_from_directory(app.static_folder, original, max_age=None)
    return app.send_static_file(filename)


def init_app(app: Flask) -> None:
    """Read the release's manifest, fingerprint every static URL the app builds, serve those names."""
    # No .gz copies: responses are gzipped as they are sent (lms/compression.py).
    app.config["FLASK_STATIC_DIGEST_COMPRESSION"] = []
    digest.init_app(app)

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprinted_name(values["filename"])

    app.view_functions["static"] = serve_static
    app.jinja_env.globals["static_url"] = static_url
