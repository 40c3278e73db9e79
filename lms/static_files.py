"""Static files under fingerprinted names, cached by browsers for a year.

`static_url("style.css")` (and every `url_for("static", ...)`) gives `/static/style.<hash>.css`, the
hash being the file's content; a new version of a file gets a new name, so a browser can keep the old
one for a year without asking. A request for a name whose hash does not match the file (a page
cached from before a deploy) gets the current file, without the long cache.
"""

from __future__ import annotations

import hashlib
import os
import re

from flask import Flask, current_app, send_from_directory, url_for

#: A year: the longest cache lifetime browsers honour.
ONE_YEAR = 31_536_000
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<ext>\.[^./]+)$")


def file_digest(filename: str) -> str | None:
    """Return the short content hash of a static file (None if there is none by that name).

    The hashes are read once, when the app starts (files change only with a deploy, which starts
    new processes); the debug server reads the file each time. They describe this machine's own
    files, so they live on the app, not in `lms.cache`: a shared cache would mix two releases'
    hashes during a rolling deploy.
    """
    app = current_app._get_current_object()
    if app.debug:
        return _digest(os.path.join(app.static_folder, filename))
    return app.extensions["lms.static_digests"].get(filename)


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()[:12]
    except (OSError, ValueError):
        return None


def static_digests(folder: str) -> dict[str, str]:
    """Return the content hash of every file under the static folder, by its name there."""
    digests = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            digests[os.path.relpath(path, folder).replace(os.sep, "/")] = _digest(path)
    return digests


def fingerprinted_name(filename: str) -> str:
    """Return `name.<hash>.ext` for a static file (the name itself if it has no file)."""
    digest = file_digest(filename)
    stem, dot, ext = filename.rpartition(".")
    if digest is None or not dot or "/" in ext:
        return filename
    return f"{stem}.{digest}.{ext}"


def static_url(filename: str) -> str:
    """Return the fingerprinted URL of a static file."""
    return url_for("static", filename=filename)


def serve_static(filename: str):
    """Serve a static file; a fingerprinted name whose hash matches is cached for a year."""
    app = current_app._get_current_object()
    match = FINGERPRINTED.match(filename)
    if match:
        original = match["stem"] + match["ext"]
        if file_digest(original) is not None:
            fresh = file_digest(original) == match["digest"]
            response = send_from_directory(
                app.static_folder, original, max_age=ONE_YEAR if fresh else None
            )
            if fresh:
                response.cache_control.public = True
                response.cache_control.immutable = True
            return response
    return app.send_static_file(filename)


def init_app(app: Flask) -> None:
    """Fingerprint every static URL the app builds and serve those names."""

    @app.url_defaults
    def fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprinted_name(values["filename"])

    app.extensions["lms.static_digests"] = static_digests(app.static_folder)
    app.view_functions["static"] = serve_static
    app.jinja_env.globals["static_url"] = static_url
