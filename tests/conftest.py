"""Fixtures: a migrated database per run, a fresh app per test, and factories for the world."""

from __future__ import annotations

import contextvars
import os
import shutil
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from lms import create_app
from lms.extensions import db

pytest_plugins = ["tests.cohort_world", "tests.discussion_world", "tests.survey_world"]

DATA = Path(__file__).parent / "data"
EXAMPLE_COURSES = DATA / "courses"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """Return the test database URL, migrated once for the whole run."""
    url = os.environ.get("DATABASE_URL") or "sqlite:///" + str(
        tmp_path_factory.mktemp("db") / "test.sqlite3"
    )
    from lms.config import normalize_database_url

    url = normalize_database_url(url)
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


def _empty_all_tables() -> None:
    """Delete every row and, on PostgreSQL, restart the id sequences (as a new database has them).

    On PostgreSQL this is one round trip of DELETEs and `ALTER SEQUENCE … RESTART`: ~8 ms, where
    `TRUNCATE … RESTART IDENTITY` took ~75 ms a test (a minute of the suite).
    """
    deletes = [f"DELETE FROM {t.name}" for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        sequences = db.session.scalars(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        ).all()
        restarts = [f"ALTER SEQUENCE {name} RESTART" for name in sequences]
        db.session.connection().exec_driver_sql("; ".join(deletes + restarts))
    else:
        for statement in deletes:
            db.session.execute(text(statement))
    db.session.commit()
    db.session.expunge_all()


@pytest.fixture
def app(database_url, tmp_path):
    """Return an app on the migrated test database, emptied after the test."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "LMS_COURSES_DIR": str(EXAMPLE_COURSES),
            "LMS_UPLOADS_DIR": str(tmp_path / "uploads"),
            "LMS_MAIL_BACKGROUND": False,
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_all_tables()
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own context, as on a real server.

    The test itself holds an app context (for its own database access); without this, requests
    would share it, and with it `g`, the cached user and the locale, hiding real bugs.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        db.session.expire_all()  # the request committed through its own session
        return response


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_unit(app):
    """Return a factory of work units."""
    from lms.models import WorkUnit

    def make(code="diskominfo", name="Dinas Komunikasi dan Informatika", parent=None):
        unit = WorkUnit(code=code, name=name, parent=parent)
        db.session.add(unit)
        db.session.commit()
        return unit

    return make


@pytest.fixture
def make_user(app):
    """Return a factory of users: make_user(role="supervisor", email=..., password=...)."""
    from lms.auth.accounts import create_user

    counter = {"n": 0}

    def make(
        role="learner",
        email=None,
        password="kata-sandi-yang-panjang",
        name=None,
        nip=None,
        roles=None,
    ):
        counter["n"] += 1
        n = counter["n"]
        return create_user(
            email or f"user{n}@example.org",
            name or f"Pengguna {n}",
            password,
            nip=nip,
            roles=roles or (role,),
        )

    return make


@pytest.fixture
def auth(client):
    """Sign in and out through the real forms."""

    class Auth:
        def login(self, login, password="kata-sandi-yang-panjang"):
            return client.post("/login", data={"login": login, "password": password})

        def logout(self):
            return client.post("/logout")

    return Auth()


@pytest.fixture
def course_dir(tmp_path):
    """Return a writable copy of the example course folder (a folder of courses)."""
    target = tmp_path / "courses"
    shutil.copytree(EXAMPLE_COURSES, target)
    return target


@pytest.fixture
def quiz_dir(tmp_path):
    """Return a writable copy of the quiz test course (every question type, an essay quiz)."""
    target = tmp_path / "quiz"
    shutil.copytree(DATA / "quiz", target)
    return target


@pytest.fixture
def quiz(import_courses, quiz_dir):
    """Import the quiz test course and return its all-types quiz."""
    from sqlalchemy import select

    from lms.models import Activity

    import_courses(quiz_dir)
    return db.session.scalar(select(Activity).where(Activity.key == "modul/kuis"))


@pytest.fixture
def import_courses(app):
    """Return a function that imports a folder of courses through the real pipeline."""
    from lms.activities.registry import activity_types
    from lms.content.reader import read_courses
    from lms.content.sync import apply_import

    def run(path=EXAMPLE_COURSES):
        return apply_import(read_courses(Path(path), activity_types()))

    return run


@pytest.fixture
def count_queries(app):
    """Return a context manager counting the SQL statements run inside it."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def frozen_clock(monkeypatch):
    """Hold the clock that signs CSRF tokens and session cookies, so that two renders compare.

    A page's CSRF token carries the second it was made in. Ask for this before signing in: the
    session cookie is signed by the same clock.
    """
    from itsdangerous import TimestampSigner

    now = int(time.time())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now)


@pytest.fixture
def platform(app, client):
    """A registered LTI platform on loopback, given our public keys as its admin would."""
    from lms.lti.platforms import register_platform
    from tests.lti_platform import LoopbackPlatform

    with LoopbackPlatform() as server:
        register_platform(server.issuer, server.client_id, server.deployment_id,
                          server.auth_login_url, server.token_url, jwks_url=server.jwks_url,
                          name="Moodle Kota")  # fmt: skip
        server.tool_jwks = client.get("/lti/jwks.json").json  # as the admin pastes it
        yield server


@pytest.fixture
def redis_url():
    """Return the URL of a Redis for tests (LMS_TEST_REDIS_URL), or skip without one."""
    url = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"no Redis at {url}")
    return url
