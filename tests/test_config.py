"""Configuration comes from the environment and refuses unsafe production settings."""

import pytest

from lms import create_app
from lms.config import ConfigError, normalize_database_url


def test_production_refuses_a_missing_secret_key(monkeypatch):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "dev-only-insecure-key")
    with pytest.raises(ConfigError):
        create_app()


def test_production_with_a_real_key_starts_with_secure_cookies(
    monkeypatch, database_url
):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a" * 20 + "b" * 20)
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_without_database_url_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("kelas-asn.sqlite3")
    assert app.instance_path in uri


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    from sqlalchemy import text

    from lms.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_postgres_urls_use_psycopg3():
    assert (
        normalize_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    )
    assert normalize_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_courses_dir_from_environment(monkeypatch):
    monkeypatch.setenv("LMS_COURSES_DIR", "/srv/courses")
    assert create_app().config["LMS_COURSES_DIR"] == "/srv/courses"


def test_a_reports_database_url_becomes_a_second_engine_for_reports(
    monkeypatch, tmp_path
):
    from lms.database import report_bind
    from lms.extensions import db

    monkeypatch.delenv("LMS_REPORTS_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'primary.sqlite3'}")
    with create_app().app_context():
        assert report_bind() == {}  # reports read the primary
    monkeypatch.setenv("LMS_REPORTS_DATABASE_URL", "postgres://reader@replica/kelas")
    app = create_app()
    assert app.config["SQLALCHEMY_BINDS"] == {
        "reports": {"url": "postgresql+psycopg://reader@replica/kelas"}
    }
    with app.app_context():
        engine = report_bind()["bind"]
        assert engine is db.engines["reports"] and engine is not db.engine
        assert engine.url.host == "replica" and engine.url.database == "kelas"
        engine.dispose()
