"""Refuse control characters at the edge, before any view or database sees them.

PostgreSQL cannot store a NUL in text, and no person types one: a request carrying a control
character in its path, query, form fields, file names or JSON body is answered 400 (422 for the
API's JSON), naming where it was. Form text and JSON strings may hold tabs and line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, current_app, request
from flask_babel import gettext as _

from lms.errors import RequestRefused

#: C0 controls and DEL, except tab, line feed and carriage return (text may hold those).
IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Any C0 control or DEL: a path, query value or file name holds none.
IN_NAME = re.compile(r"[\x00-\x1f\x7f]")


def body_limit(limit: Callable[[], int]):
    """Give a view a smaller request body limit, applied before anything reads the body."""

    def mark(view):
        view.body_limit = limit
        return view

    return mark


def first_problem() -> str | None:
    """Return where the current request holds a control character, or None."""
    if IN_NAME.search(request.path):
        return _("the address")
    for name, value in request.args.items(multi=True):
        if IN_NAME.search(name) or IN_NAME.search(value):
            return _("the query parameter %(name)s", name=name[:40])
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.mimetype in ("application/json", "application/merge-patch+json"):
        return _json_problem(request.get_json(silent=True))
    for name, value in request.form.items(multi=True):
        if IN_NAME.search(name) or IN_TEXT.search(value):
            return _("the form field %(name)s", name=name[:40])
    for name, upload in request.files.items(multi=True):
        if IN_NAME.search(upload.filename or ""):
            return _("the file name of %(name)s", name=name[:40])
    return None


def _json_problem(body) -> str | None:
    """Walk a JSON body (iteratively: its depth costs no recursion) for control characters."""
    stack = [("", body)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if IN_TEXT.search(value):
                return _("the JSON value at %(path)s", path=where or "/")
        elif isinstance(value, dict):
            for key, item in value.items():
                if IN_NAME.search(key):
                    return _("a JSON key at %(path)s", path=where or "/")
                stack.append((f"{where}/{key[:40]}", item))
        elif isinstance(value, list):
            stack.extend((f"{where}/{i}", item) for i, item in enumerate(value))
    return None


def refuse_control_characters():
    """Stop a request that carries a control character (before_request)."""
    limit = getattr(
        current_app.view_functions.get(request.endpoint), "body_limit", None
    )
    if limit is not None:
        request.max_content_length = limit()
    where = first_problem()
    if where is None:
        return None
    from lms.api import problems

    message = _(
        "The request contains a control character (such as a NUL byte) in %(where)s. "
        "Remove it and try again.",
        where=where,
    )
    if problems.is_api_request():
        status = 422 if request.method not in ("GET", "HEAD", "DELETE") else 400
        kind = "validation-error" if status == 422 else "bad-request"
        return problems.problem_response(kind, message, status=status)
    raise RequestRefused(message)


def init_app(app: Flask) -> None:
    """Check every request before anything else reads it."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)
