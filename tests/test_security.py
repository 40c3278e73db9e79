"""Defences: security headers on every response, rate limits, and password reset by single-use link."""

from sqlalchemy import select

from lms.extensions import db
from lms.models import OutgoingEmail


def test_every_page_gets_strict_security_headers(client):
    for path in ("/courses/", "/login", "/tidak-ada", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "frame-ancestors 'none'" in csp
            and "unsafe-inline" not in csp
        )
        assert (
            headers["X-Frame-Options"] == "DENY"
            and headers["X-Content-Type-Options"] == "nosniff"
        )
        assert "Strict-Transport-Security" not in headers  # plain HTTP here


def test_hsts_behind_https(client):
    response = client.get("/courses/", base_url="https://kelas.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_templates_hold_no_inline_script_or_style():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "lms" / "templates"
    for template in root.rglob("*.html"):
        text = template.read_text()
        assert (
            "<script>" not in text and " style=" not in text and "onclick=" not in text
        ), template


def test_sign_in_is_rate_limited(client, make_user):
    make_user(email="budi@example.org")
    codes = [client.post("/login", data={"login": "budi@example.org", "password": "salah-sekali"}).status_code
             for _ in range(7)]  # fmt: skip
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    # even the right password waits: guessing stops here
    right = client.post(
        "/login",
        data={"login": "budi@example.org", "password": "kata-sandi-yang-panjang"},
    )
    assert right.status_code == 429


def test_registration_is_limited_per_email_and_nip_more_than_per_address(client):
    codes = [
        client.post(
            "/register", data={"email": "x@example.org", "nip": str(n)}
        ).status_code
        for n in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    # thirty colleagues behind one office address sign up in a few minutes
    codes = [
        client.post(
            "/register", data={"email": f"p{n}@example.org", "nip": str(n + 10)}
        ).status_code
        for n in range(30)
    ]
    assert 429 not in codes
    codes = [
        client.post(
            "/register", data={"email": f"q{n}@example.org", "nip": str(n + 50)}
        ).status_code
        for n in range(30)
    ]
    assert codes[-1] == 429  # a script is stopped


def test_password_reset_by_single_use_link(client, make_user, auth):
    make_user(email="budi@example.org")
    for email in (
        "budi@example.org",
        "siapa@example.org",
    ):  # the same answer either way
        response = client.post("/password/forgot", data={"email": email})
        assert response.status_code == 302 and response.location == "/login"
    (mail,) = db.session.scalars(select(OutgoingEmail)).all()
    assert mail.to == "budi@example.org"
    link = mail.body.split("/password/set/")[1].split()[0]
    data = {"password": "ombak tenang sore", "confirm": "ombak tenang sore"}
    assert client.post(f"/password/set/{link}", data=data).status_code == 302
    auth.logout()
    assert auth.login("budi@example.org", "ombak tenang sore").status_code == 302
    auth.logout()
    assert (
        client.post(
            f"/password/set/{link}", data={"password": "x" * 12, "confirm": "x" * 12}
        ).location
        == "/login"
    )


def test_limits_are_shared_through_redis_when_configured(app, database_url, tmp_path):
    """Two app processes count sign-in attempts together when the storage is Redis.

    (`app` only empties the tables afterwards: the failed sign-ins are audited.)
    """
    import uuid

    import pytest
    import redis

    from lms import create_app

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
              "LMS_RATELIMIT_STORAGE_URL": "redis://127.0.0.1:6379/15", "LMS_UPLOADS_DIR": str(tmp_path)}  # fmt: skip
    apps = [create_app(config), create_app(config)]
    first, second = (a.test_client() for a in apps)
    # fresh keys in the shared storage, which outlives the test: a login and an address
    login = f"{uuid.uuid4().hex}@example.org"
    address = ".".join(str(byte) for byte in uuid.uuid4().bytes[:4])
    for client in (first, second):
        client.environ_base["REMOTE_ADDR"] = address
    codes = [(first if n % 2 else second).post("/login", data={"login": login, "password": "x"}).status_code
             for n in range(6)]  # fmt: skip
    assert codes[:5] == [200] * 5 and codes[5] == 429
    for (
        other
    ) in apps:  # close their database connections now, not whenever they are collected
        with other.app_context():
            db.engine.dispose()


def test_a_new_password_ends_the_sessions_signed_in_with_the_old_one(
    app, client, make_user, auth
):
    """Someone who took over a session loses it when the owner resets the password."""
    make_user(email="budi@example.org")
    intruder = app.test_client()
    intruder.post("/login", data={"login": "budi@example.org", "password": "kata-sandi-yang-panjang"})  # fmt: skip
    assert intruder.get("/my/").status_code == 200
    client.post("/password/forgot", data={"email": "budi@example.org"})
    link = db.session.scalar(select(OutgoingEmail.body)).split("/password/set/")[1].split()[0]  # fmt: skip
    data = {"password": "ombak tenang sore", "confirm": "ombak tenang sore"}
    assert client.post(f"/password/set/{link}", data=data).status_code == 302
    assert (
        client.get("/my/").status_code == 200
    )  # the owner, signed in with the new password
    response = intruder.get("/my/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_session_names_the_user_only_with_its_live_key(client, make_user, auth):
    """A session cookie holding a user id without the key of a live session signs no one in."""
    user = make_user(email="budi@example.org")
    other = make_user(email="ani@example.org")
    auth.login("budi@example.org")
    with client.session_transaction() as session:
        assert session["_user_id"] == str(user.id) and len(session["sid"]) >= 40
        key = session["sid"]
    for forged_id, forged_key in (
        (str(other.id), key),
        (str(user.id), "x" * 43),
        (str(user.id), None),
    ):
        with client.session_transaction() as session:
            session["_user_id"] = forged_id
            session.pop("sid", None)
            if forged_key:
                session["sid"] = forged_key
        assert client.get("/my/").status_code == 302, (forged_id, forged_key)
