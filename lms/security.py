"""Defences every response gets: security headers, a strict Content-Security-Policy, rate limits."""

from __future__ import annotations

import time

from flask import Flask, render_template, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from lms.extensions import limiter

#: Everything comes from this server; no inline script or style, no framing, no plugins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


#: The headers every response gets unless it sets its own (HSTS is added only over HTTPS).
DEFAULT_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
_DEFAULT_NAMES = {name.lower() for name, _ in (*DEFAULT_HEADERS, HSTS)}


def security_headers(response):
    """Add the security headers to a response (pages that set their own keep them)."""
    headers = response.headers
    wanted = (*DEFAULT_HEADERS, HSTS) if request.is_secure else DEFAULT_HEADERS
    # One pass over the response's headers (each `setdefault` would scan them again).
    own = {name.lower() for name, _value in headers.items()} & _DEFAULT_NAMES
    headers.extend(
        wanted if not own else [(n, v) for n, v in wanted if n.lower() not in own]
    )
    return response


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookies, with less work per request.

    Flask builds the signing serializer on every request; here it is built once per set of keys.
    And a browser sends the same cookie with every request until its session changes, so a
    process keeps what each cookie it verified held, with the time it was signed: the same
    cookie again is not verified and decoded again, only checked for age as Flask would
    (`PERMANENT_SESSION_LIFETIME`). Kept are only sessions of plain values (a session with a
    flashed message, say, is read each time: its lists are changed in place).
    """

    #: Cookies kept per process at most (beyond that, all are forgotten and kept again).
    LIMIT = 10_000

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}
        self._verified: dict[tuple, tuple[float, dict]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        key = (id(serializer), cookie)
        found = self._verified.get(key)
        if found is not None and 0 <= time.time() - found[0] <= max_age:
            return self.session_class(found[1])
        try:
            data, signed = serializer.loads(
                cookie, max_age=int(max_age), return_timestamp=True
            )
        except BadSignature:
            return self.session_class()
        if all(type(value) in _PLAIN for value in data.values()):
            if len(self._verified) >= self.LIMIT:
                self._verified.clear()
            self._verified[key] = (signed.timestamp(), data)
        return self.session_class(data)


#: Session values a kept session may hold: nothing a request could change in place.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def init_app(app: Flask) -> None:
    """Bind the rate limiter, and add the headers and the 429 page."""
    app.session_interface = SessionCookies()
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI",
        app.config.get("LMS_RATELIMIT_STORAGE_URL") or "memory://",
    )
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # Benchmarks and load tests sign in many times from one address; production never sets this.
    app.config.setdefault(
        "RATELIMIT_ENABLED", app.config.get("LMS_RATELIMIT_ENABLED", True)
    )
    limiter.init_app(app)
    app.after_request(security_headers)
    if app.config.get("LMS_PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["LMS_PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    @app.errorhandler(429)
    def too_many(_error):
        html = render_template(
            "errors/error.html", code=429, title=_("Too many attempts"),
            message=_("Too many attempts in a short time. Please wait a minute and try again."), minimal=True,
        )  # fmt: skip
        return html, 429
