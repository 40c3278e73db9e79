"""Bearer-token authentication for /api/v1: the session cookie is never consulted.

Flask-Login loads the caller: its session loader names no one on the API (`signed_in_user`) and
its request loader, `bearer_token_user`, names the token's user.
"""

from __future__ import annotations

import time

from flask import current_app, g, request
from flask_login import current_user
from limits import parse

from lms.api.problems import ApiProblem, is_api_request
from lms.api.tokens import authenticate_secret
from lms.extensions import limiter

#: Methods a `read` token may use.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def public(view):
    """Mark a view as open to anonymous callers (a token, if sent, must still be valid)."""
    view._api_public = True
    return view


def bearer_token():
    """Return this request's API token (None without one); refuse a malformed or unknown one.

    Read once a request and kept in `g.api_token`.
    """
    if "api_token" in g:
        return g.api_token
    header = request.headers.get("Authorization", "")
    token = None
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise ApiProblem(
                "invalid-token", "Send the token as `Authorization: Bearer <token>`."
            )
        token = authenticate_secret(secret.strip())
        if token is None:
            raise ApiProblem(
                "invalid-token", "The token is unknown, revoked or expired."
            )
    g.api_token = token
    return token


def bearer_token_user(_request):
    """Flask-Login's request loader: on the API the caller is the bearer token's user."""
    if not is_api_request() or g.get("lms_database_down"):
        return None
    try:
        token = bearer_token()
    except ApiProblem:  # refused by `authenticate`, before any view runs
        return None
    return token.user if token else None


def authenticate() -> None:
    """Find the caller from `Authorization: Bearer`, enforce the token's scope and the rate limit."""
    token = bearer_token()
    if token is None and not _is_public():
        raise ApiProblem("unauthorized", "Send a personal API token as a bearer token.")
    if (
        token is not None
        and token.scope == "read"
        and request.method not in READ_METHODS
    ):
        raise ApiProblem(
            "insufficient-scope", "This token may only read; create a write token."
        )
    _limit(f"token:{token.id}" if token else f"ip:{request.remote_addr}")


def _is_public() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    method = "get" if request.method == "HEAD" else request.method.lower()
    handler = getattr(getattr(view, "view_class", None), method, view)
    return getattr(handler, "_api_public", False)


def api_user():
    """Return the user the request's token belongs to (an anonymous user without a token)."""
    return current_user._get_current_object()


def _limit(key: str) -> None:
    """Refuse more than LMS_API_RATE_LIMIT requests a minute per token (or address).

    Counted by Flask-Limiter's storage, so all processes share the count when
    LMS_RATELIMIT_STORAGE_URL points at Redis (in memory, per process, otherwise).
    """
    limit = current_app.config.get("LMS_API_RATE_LIMIT", 600)
    if not limit or not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    item = parse(f"{limit}/minute")
    if not limiter.limiter.hit(item, "api", key):
        stats = limiter.limiter.get_window_stats(item, "api", key)
        retry = max(int(stats.reset_time - time.time()) + 1, 1)
        raise ApiProblem(
            "too-many-requests",
            f"More than {limit} requests in a minute; retry in {retry} s.",
            headers={"Retry-After": str(retry)},
        )
