"""Configuration read from the environment (documented in README.md)."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-only-insecure-key"


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the app can safely run with."""


def load_config(instance_path: str) -> dict:
    """Build the Flask config from environment variables."""
    env = os.environ.get("LMS_ENV", "development")
    secret = os.environ.get("SECRET_KEY", "")
    if env == "production" and (
        not secret or secret == DEFAULT_SECRET_KEY or len(secret) < 16
    ):
        raise ConfigError(
            "SECRET_KEY must be set to a long random value when LMS_ENV=production "
            '(for example: python -c "import secrets; print(secrets.token_hex(32))")'
        )
    database_url = os.environ.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "kelas-asn.sqlite3")
    )
    return {
        "LMS_ENV": env,
        "SECRET_KEY": secret or DEFAULT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
        "SQLALCHEMY_BINDS": reports_binds(
            os.environ.get("LMS_REPORTS_DATABASE_URL", "")
        ),
        "LMS_COURSES_DIR": os.environ.get("LMS_COURSES_DIR", "courses"),
        "LMS_MINUTES_PER_JP": int(os.environ.get("LMS_MINUTES_PER_JP", "45")),
        "LMS_YEARLY_JP_TARGET": int(os.environ.get("LMS_YEARLY_JP_TARGET", "20")),
        "LMS_BASE_URL": os.environ.get("LMS_BASE_URL", ""),
        "LMS_UPLOADS_DIR": os.environ.get("LMS_UPLOADS_DIR")
        or str(Path(instance_path) / "uploads"),
        "LMS_MAX_UPLOAD_BYTES": int(
            os.environ.get("LMS_MAX_UPLOAD_BYTES", str(2 * 1024 * 1024))
        ),
        "LMS_SMTP_HOST": os.environ.get("LMS_SMTP_HOST", ""),
        "LMS_SMTP_PORT": int(os.environ.get("LMS_SMTP_PORT", "25")),
        "LMS_SMTP_USER": os.environ.get("LMS_SMTP_USER", ""),
        "LMS_SMTP_PASSWORD": os.environ.get("LMS_SMTP_PASSWORD", ""),
        "LMS_SMTP_STARTTLS": os.environ.get("LMS_SMTP_STARTTLS", "")
        in ("1", "true", "yes"),
        "LMS_MAIL_SENDER": os.environ.get(
            "LMS_MAIL_SENDER", "Kelas ASN <no-reply@localhost>"
        ),
        #: Web processes send no mail by default: the worker does (`lms worker`).
        "LMS_MAIL_BACKGROUND": os.environ.get("LMS_MAIL_BACKGROUND", "0")
        in ("1", "true", "yes"),
        #: The worker's pause when no duty has work, in seconds.
        "LMS_WORKER_IDLE_SECONDS": float(
            os.environ.get("LMS_WORKER_IDLE_SECONDS", "2")
        ),
        #: How often the worker queues due-soon reminders, and how many days ahead they look.
        "LMS_REMINDER_EVERY_MINUTES": int(
            os.environ.get("LMS_REMINDER_EVERY_MINUTES", "60")
        ),
        "LMS_REMINDER_DAYS": int(os.environ.get("LMS_REMINDER_DAYS", "3")),
        #: A member CSV with more rows than this is imported by the worker, not in the request.
        "LMS_IMPORT_INLINE_ROWS": int(
            os.environ.get("LMS_IMPORT_INLINE_ROWS", "10000")
        ),
        "LMS_XAPI_ENDPOINT": os.environ.get("LMS_XAPI_ENDPOINT", ""),
        "LMS_XAPI_USERNAME": os.environ.get("LMS_XAPI_USERNAME", ""),
        "LMS_XAPI_PASSWORD": os.environ.get("LMS_XAPI_PASSWORD", ""),
        "LMS_XAPI_HOMEPAGE": os.environ.get("LMS_XAPI_HOMEPAGE", ""),
        "LMS_XAPI_ACCOUNT_NAME": os.environ.get("LMS_XAPI_ACCOUNT_NAME", "id"),
        "LMS_LOCKOUT_THRESHOLD": int(os.environ.get("LMS_LOCKOUT_THRESHOLD", "20")),
        "LMS_LOCKOUT_MINUTES": int(os.environ.get("LMS_LOCKOUT_MINUTES", "15")),
        #: A signed-in session unused this long ends (shared office computers), as does one
        #: older than LMS_SESSION_MAX_HOURS (`lms.auth.sessions`).
        "LMS_SESSION_IDLE_MINUTES": int(
            os.environ.get("LMS_SESSION_IDLE_MINUTES", "60")
        ),
        "LMS_SESSION_MAX_HOURS": int(os.environ.get("LMS_SESSION_MAX_HOURS", "12")),
        "LMS_RATELIMIT_ENABLED": os.environ.get("LMS_RATELIMIT_ENABLED", "1")
        not in ("0", "false", "no"),
        "LMS_RATELIMIT_STORAGE_URL": os.environ.get("LMS_RATELIMIT_STORAGE_URL", ""),
        "LMS_PROXY_COUNT": int(os.environ.get("LMS_PROXY_COUNT", "0")),
        #: How long a cohort page's figures are shared before a recount (0: every view recounts).
        "LMS_REPORT_CACHE_SECONDS": int(
            os.environ.get("LMS_REPORT_CACHE_SECONDS", "60")
        ),
        **cache_config(os.environ.get("LMS_CACHE_URL", "")),
        #: No request body is larger (the biggest upload is a 20 MB assignment file).
        "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("LMS_TIMEZONE", "Asia/Jakarta"),
        "LMS_LANGUAGES": ["id", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
    }


def cache_config(url: str) -> dict:
    """Configure Flask-Caching: Redis at `url` when given (shared by every process), else in-process."""
    if url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": url,
            "CACHE_KEY_PREFIX": "kelas-asn:",
        }
    return {"CACHE_TYPE": "lms.cache.ProcessCache", "CACHE_THRESHOLD": 2000}


def reports_binds(url: str) -> dict:
    """Send supervisors' reports to a read replica at `url`, if given (see lms.database.report_bind)."""
    if not url:
        return {}
    return {"reports": {"url": normalize_database_url(url)}}


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
