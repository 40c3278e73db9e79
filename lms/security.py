"""Defences every response gets: security headers, a strict Content-Security-Policy, rate limits."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _

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


def init_app(app: Flask) -> None:
    """Bind the rate limiter, and add the headers and the 429 page."""
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI",
        app.config.get("LMS_RATELIMIT_STORAGE_URL") or "memory://",
    )
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # Redis away: count in each process's memory until it is back, rather than refuse sign-ins.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
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
