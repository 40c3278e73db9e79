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


def security_headers(response):
    """Add the security headers to a response (pages that set their own keep them)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
    )
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def init_app(app: Flask) -> None:
    """Bind the rate limiter, and add the headers and the 429 page."""
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
