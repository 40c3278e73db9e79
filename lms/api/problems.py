"""Every error the API answers with, as RFC 9457 problem details with a stable type URI."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import HTTPException

#: Where problem types live; a type URI never changes once published.
PROBLEM_BASE = "https://kelas-asn.example/problems/"
MEDIA_TYPE = "application/problem+json"

#: Problem kind → (HTTP status, title). Titles are stable English; details say what happened.
PROBLEMS: dict[str, tuple[int, str]] = {
    "bad-request": (400, "Bad request"),
    "not-completable": (400, "This activity is not completed by marking it"),
    "unauthorized": (401, "Authentication required"),
    "invalid-token": (401, "The API token is not valid"),
    "forbidden": (403, "Not allowed"),
    "pretest-first": (403, "Take the course's pretest first"),
    "insufficient-scope": (403, "The token's scope does not allow this"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "not-acceptable": (406, "Not acceptable"),
    "conflict": (409, "Conflict"),
    "attempt-conflict": (409, "The quiz attempt cannot do that now"),
    "payload-too-large": (413, "Payload too large"),
    "unsupported-media-type": (415, "Unsupported media type"),
    "validation-error": (422, "The request is not valid"),
    "submission-refused": (422, "The work cannot be handed in"),
    "too-many-requests": (429, "Too many requests"),
    "server-error": (500, "Internal server error"),
    "service-unavailable": (503, "Service unavailable"),
}

#: The problem kind used for an HTTP status raised without a more precise kind.
KIND_BY_STATUS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation-error",
    429: "too-many-requests",
    500: "server-error",
    503: "service-unavailable",
}


def problem_type(kind: str) -> str:
    """Return the type URI of a problem kind."""
    return PROBLEM_BASE + kind


class ApiProblem(Exception):
    """Stop the request with a problem of `kind`; `detail` says what happened this time."""

    def __init__(self, kind: str, detail: str = "", headers=None, **extensions):
        super().__init__(detail or kind)
        if kind not in PROBLEMS:
            raise KeyError(f"unknown problem kind {kind!r}")
        self.kind = kind
        self.status = PROBLEMS[kind][0]
        self.detail = detail
        self.headers = headers or {}
        self.extensions = extensions


def problem_response(
    kind: str, detail: str = "", headers=None, status: int | None = None, **extensions
):
    """Return a problem+json response for `kind` (with `status` when it differs from the kind's)."""
    default_status, title = PROBLEMS[kind]
    status = status or default_status
    body = {
        "type": problem_type(kind),
        "title": title,
        "status": status,
        "detail": detail or title,
        **extensions,
    }
    response = current_app.json.response(body)
    response.status_code = status
    response.mimetype = MEDIA_TYPE
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kelas-asn"'
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_api_problem(error: ApiProblem):
    """Turn a raised ApiProblem into its response."""
    return problem_response(
        error.kind, error.detail, headers=error.headers, **error.extensions
    )


def from_http_exception(error: HTTPException):
    """Turn a werkzeug HTTP error (routing, validation, abort) into a problem response."""
    code = error.code or 500
    kind = KIND_BY_STATUS.get(code, "server-error" if code >= 500 else "bad-request")
    extensions = {}
    data = getattr(error, "data", None) or {}
    if code == 422 and "messages" in data:
        extensions["errors"] = data["messages"]
    detail = error.description if code < 500 else PROBLEMS[kind][1]
    headers = {}
    if code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem_response(
        kind, detail or "", headers=headers, status=code, **extensions
    )


def is_api_request() -> bool:
    """Tell whether the current request is for the JSON API (its errors are problem+json)."""
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")
