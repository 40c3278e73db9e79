"""Signed-in users kept per process (`lms.auth.user_cache`): read once, never outliving a change.

Two apps on one database and one instance folder stand for two gunicorn workers: a change made
through either must reach the other at its next request.
"""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import event, select, text, update

from lms.auth import user_cache
from lms.auth.accounts import get_roles
from lms.extensions import db
from lms.models import User

PASSWORD = "kata-sandi-yang-panjang"
READS_USERS = re.compile(r"\bFROM users\b")


def user_reads(count_queries, client, path="/my/"):
    """Return how many statements read the users table while `client` gets `path`."""
    with count_queries() as statements:
        response = client.get(path)
    return response, sum(bool(READS_USERS.search(s)) for s in statements)


def sign_in(client, email):
    response = client.post("/login", data={"login": email, "password": PASSWORD})
    assert response.status_code == 302


def signed_in(worker, email):
    """Return a client of `worker` (a process) signed in as `email`."""
    client = worker.test_client()
    sign_in(client, email)
    return client


def change_elsewhere(worker, email, change):
    """Change the user `email` through another process and commit."""
    with worker.app_context():
        change(db.session.scalar(select(User).where(User.email == email)))
        db.session.commit()


@pytest.fixture
def workers(app, database_url, tmp_path):
    """Two more apps on the test database: two processes of one installation."""
    from lms import create_app

    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
              "SECRET_KEY": app.config["SECRET_KEY"], "LMS_UPLOADS_DIR": str(tmp_path)}  # fmt: skip
    apps = [create_app(config), create_app(config)]
    yield apps
    for worker in apps:
        with worker.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_signed_in_users_next_requests_do_not_read_them(
    client, make_user, count_queries
):
    make_user(email="budi@example.org")
    sign_in(client, "budi@example.org")
    response, reads = user_reads(count_queries, client)
    assert response.status_code == 200 and reads == 1
    for _ in range(2):
        response, reads = user_reads(count_queries, client)
        assert response.status_code == 200 and reads == 0
        assert "Pengguna" in response.get_data(as_text=True)  # the header's name


def test_without_the_cache_every_request_reads_the_user(
    database_url, tmp_path, make_user
):
    from lms import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                      "LMS_UPLOADS_DIR": str(tmp_path), "LMS_USER_CACHE_SECONDS": 0,
                      "WTF_CSRF_ENABLED": False})  # fmt: skip
    assert user_cache.for_app(app) is None
    make_user(email="budi@example.org")
    client = app.test_client()
    sign_in(client, "budi@example.org")
    with app.app_context():
        engine = db.engine
    statements = []
    listener = lambda _c, _cur, statement, *args: statements.append(statement)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for _ in range(2):
            assert client.get("/my/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
        engine.dispose()
    assert sum(bool(READS_USERS.search(s)) for s in statements) == 2


def test_a_role_removed_in_one_process_is_gone_in_the_other_at_once(workers, make_user):
    first, second = workers
    make_user(email="boss@example.org", role="admin")
    client = signed_in(first, "boss@example.org")
    assert client.get("/admin/users").status_code == 200
    assert client.get("/admin/users").status_code == 200  # now from the kept copy

    def demote(boss):
        boss.roles = [role for role in boss.roles if role.name != "admin"]

    change_elsewhere(second, "boss@example.org", demote)
    assert client.get("/admin/users").status_code == 403


def test_a_role_given_in_one_process_counts_in_the_other_at_once(workers, make_user):
    first, second = workers
    make_user(email="budi@example.org")
    client = signed_in(first, "budi@example.org")
    assert client.get("/admin/users").status_code == 403
    change_elsewhere(second, "budi@example.org", lambda budi: budi.roles.extend(get_roles(["admin"])))  # fmt: skip
    assert client.get("/admin/users").status_code == 200


def test_a_password_changed_elsewhere_ends_the_other_sessions(workers, make_user):
    first, second = workers
    make_user(email="budi@example.org")
    client = signed_in(first, "budi@example.org")
    assert client.get("/my/").status_code == 200
    change_elsewhere(second, "budi@example.org", lambda budi: budi.set_password("kata-sandi-baru-yang-panjang"))  # fmt: skip
    assert client.get("/my/").status_code == 302


def test_a_deactivated_account_is_signed_out_at_its_next_request(workers, make_user):
    first, second = workers
    make_user(email="budi@example.org")
    client = signed_in(first, "budi@example.org")
    assert client.get("/my/").status_code == 200
    with second.app_context():
        db.session.execute(
            update(User).where(User.email == "budi@example.org").values(active=False)
        )  # a bulk statement, not a loaded object
        db.session.commit()
    response = client.get("/my/")
    assert response.status_code == 302 and "/login" in response.location


def test_a_renamed_work_unit_retires_every_kept_user(app, make_unit):
    generation = user_cache.for_app(app).generation
    unit = make_unit(code="dishub", name="Dinas Perhubungan")
    before = generation.current()
    unit.name = "Dinas Perhubungan Kota"
    db.session.commit()
    assert generation.current() != before


def test_a_change_rolled_back_keeps_the_cache(app, make_user):
    users = user_cache.for_app(app)
    budi = make_user(email="budi@example.org")
    before = users.generation.current()
    budi.name = "Budi Santoso"
    db.session.flush()
    db.session.rollback()
    assert users.generation.current() == before
    budi = db.session.get(User, budi.id)
    budi.name = "Budi Santoso"
    db.session.commit()
    assert users.generation.current() != before


def test_sql_by_hand_is_seen_after_the_age_limit_or_the_command(
    client, runner, app, make_user, monkeypatch
):
    """A change the app cannot see: bounded by LMS_USER_CACHE_SECONDS, or announced by command."""
    make_user(email="budi@example.org", name="Budi")
    sign_in(client, "budi@example.org")
    assert "Budi" in client.get("/my/").get_data(as_text=True)
    db.session.execute(
        text("UPDATE users SET name = 'Badu' WHERE email = 'budi@example.org'")
    )
    db.session.commit()
    assert "Budi" in client.get("/my/").get_data(as_text=True)  # kept
    assert runner.invoke(args=["lms", "users-changed"]).exit_code == 0
    assert "Badu" in client.get("/my/").get_data(as_text=True)

    db.session.execute(
        text("UPDATE users SET name = 'Bado' WHERE email = 'budi@example.org'")
    )
    db.session.commit()
    assert "Badu" in client.get("/my/").get_data(as_text=True)
    later = user_cache.time.monotonic() + app.config["LMS_USER_CACHE_SECONDS"] + 1
    monkeypatch.setattr(user_cache.time, "monotonic", lambda: later)
    assert "Bado" in client.get("/my/").get_data(as_text=True)


def test_a_kept_user_is_a_copy_each_request_may_change(client, make_user):
    """Changes through current_user (the language switch) are saved, and shared copies untouched."""
    make_user(email="budi@example.org")
    sign_in(client, "budi@example.org")
    client.get("/my/")
    client.post("/language", data={"locale": "en", "next": "/my/"})
    assert (
        db.session.scalar(select(User.locale).where(User.email == "budi@example.org"))
        == "en"
    )
    assert "My courses" in client.get("/my/").get_data(as_text=True)


def test_with_redis_the_generation_is_shared_by_every_machine(
    database_url, redis_url, tmp_path, make_user
):
    """Different instance folders (machines) still see each other's changes through Redis."""
    from flask import Flask

    from lms import create_app
    from lms.config import cache_config

    prefix = f"kelas-asn-test-{uuid.uuid4().hex}:"
    apps = []
    for n in (1, 2):
        folder = tmp_path / f"machine-{n}"
        folder.mkdir()
        monkey = Flask.auto_find_instance_path
        Flask.auto_find_instance_path = lambda self, folder=folder: str(folder)
        try:
            apps.append(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
                                    "WTF_CSRF_ENABLED": False, "LMS_UPLOADS_DIR": str(tmp_path),
                                    **cache_config(redis_url), "CACHE_KEY_PREFIX": prefix}))  # fmt: skip
        finally:
            Flask.auto_find_instance_path = monkey
    first, second = apps
    assert first.instance_path != second.instance_path
    assert isinstance(user_cache.for_app(first).generation, user_cache.CacheGeneration)
    make_user(email="boss@example.org", role="admin")
    client = first.test_client()
    sign_in(client, "boss@example.org")
    assert client.get("/admin/users").status_code == 200
    assert client.get("/admin/users").status_code == 200
    with second.app_context():
        boss = db.session.scalar(select(User).where(User.email == "boss@example.org"))
        boss.roles = []
        db.session.commit()
    assert client.get("/admin/users").status_code == 403
    for instance in apps:
        with instance.app_context():
            from lms.extensions import cache

            cache.clear()
            db.session.remove()
            db.engine.dispose()


def test_a_change_is_saved_even_when_the_other_processes_cannot_be_told(
    app, make_user, monkeypatch, caplog
):
    """A shared cache that is down must not turn a committed change into an error."""
    generation = user_cache.for_app(app).generation

    def down():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(generation, "bump", down)
    budi = make_user(email="budi@example.org")
    budi.name = "Budi Santoso"
    db.session.commit()
    assert (
        db.session.scalar(select(User.name).where(User.id == budi.id)) == "Budi Santoso"
    )
    assert "Could not tell the other processes" in caplog.text
