"""Personal API tokens: hashed, scoped, revocable, made in the web UI and from the command line."""

from datetime import timedelta

from sqlalchemy import select

from lms.api.tokens import hash_secret
from lms.extensions import db
from lms.models import ApiToken
from lms.models.types import utcnow
from tests.api.conftest import assert_problem


def test_only_a_hash_of_the_secret_is_stored(make_user, make_token):
    user = make_user()
    secret = make_token(user)
    token = db.session.scalar(select(ApiToken))
    assert secret.startswith("kasn_") and len(secret) > 40
    assert token.secret_hash == hash_secret(secret) and secret not in token.secret_hash
    assert secret.startswith(token.prefix) and len(token.prefix) < 16


def test_token_identifies_its_user_and_notes_its_use(api, make_user, make_token):
    user = make_user(email="ani@example.org")
    secret = make_token(user, scope="read")
    body = api.get("/me", secret).get_json()
    assert body["email"] == "ani@example.org" and body["token_scope"] == "read"
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_read_scope_may_only_get(api, make_user, make_token, import_courses):
    import_courses()
    secret = make_token(make_user(), scope="read")
    assert api.get("/enrollments", secret).status_code == 200
    response = api.post("/enrollments", secret, json={"course": "contoh-kursus"})
    assert_problem(response, 403, "insufficient-scope")
    assert api.get("/enrollments", secret).get_json()["total"] == 0


def test_write_scope_may_change(api, make_user, make_token, import_courses):
    import_courses()
    secret = make_token(make_user(), scope="write")
    response = api.post("/enrollments", secret, json={"course": "contoh-kursus"})
    assert response.status_code == 201


def test_revoked_expired_unknown_and_malformed_tokens_are_refused(
    api, make_user, make_token
):
    user = make_user()
    revoked = make_token(user, name="old")
    expired = make_token(user, expires_at=utcnow() - timedelta(seconds=1))
    live = make_token(user, expires_at=utcnow() + timedelta(days=1))
    db.session.execute(
        ApiToken.__table__.update()
        .where(ApiToken.name == "old")
        .values(revoked_at=utcnow())
    )
    db.session.commit()
    assert api.get("/me", live).status_code == 200
    for secret in (revoked, expired, "kasn_not-a-real-token", live + "x"):
        body = assert_problem(api.get("/me", secret), 401, "invalid-token")
        assert "Bearer" in api.get("/me", secret).headers["WWW-Authenticate"]
        assert body["status"] == 401
    response = api.get("/me", headers={"Authorization": f"Basic {live}"})
    assert_problem(response, 401, "invalid-token")


def test_inactive_users_tokens_are_refused(api, make_user, make_token):
    user = make_user()
    secret = make_token(user)
    user.active = False
    db.session.commit()
    assert_problem(api.get("/me", secret), 401, "invalid-token")


def test_anonymous_is_401_and_the_session_cookie_is_ignored(api, auth, make_user):
    make_user(email="ani@example.org")
    auth.login("ani@example.org")  # a signed-in browser session...
    for path in ("/me", "/enrollments", "/me/jp", "/cohorts"):
        assert_problem(api.get(path), 401, "unauthorized")  # ...gives the API nothing


def test_the_token_names_the_caller_even_beside_another_users_session(
    api, auth, make_user, make_token
):
    make_user(email="ani@example.org", name="Ani")
    auth.login("ani@example.org")  # Ani's browser session rides along...
    secret = make_token(make_user(email="budi@example.org", name="Budi"))
    me = api.get("/me", secret)
    assert (
        me.status_code == 200 and me.get_json()["name"] == "Budi"
    )  # ...Budi's token speaks


def test_api_answers_set_no_cookie(api, make_user, make_token):
    secret = make_token(make_user())
    response = api.get("/me", secret)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_bearer_requests_need_no_csrf_but_web_forms_still_do(
    app, api, make_user, make_token, import_courses
):
    import_courses()
    app.config["WTF_CSRF_ENABLED"] = True
    secret = make_token(make_user(email="ani@example.org"))
    assert (
        api.post("/enrollments", secret, json={"course": "contoh-kursus"}).status_code
        == 201
    )
    # the web's forms keep their CSRF protection (the exemption is the API's alone)
    response = app.test_client().post(
        "/login", data={"login": "ani@example.org", "password": "x"}
    )
    assert response.status_code == 400


def test_web_ui_creates_shows_once_and_revokes(client, auth, api, make_user):
    user = make_user(email="ani@example.org")
    user.locale = "en"
    db.session.commit()
    auth.login("ani@example.org")
    assert client.get("/account/tokens/").status_code == 200
    response = client.post(
        "/account/tokens/", data={"name": "HP saya", "scope": "write", "days": "30"}
    )
    page = response.get_data(as_text=True)
    assert (
        response.status_code == 201 and response.headers["Cache-Control"] == "no-store"
    )
    token = db.session.scalar(select(ApiToken))
    secret = next(
        word
        for word in page.replace("<", " ").replace(">", " ").split()
        if word.startswith("kasn_") and len(word) > 40
    )
    assert hash_secret(secret) == token.secret_hash
    assert token.scope == "write" and token.expires_at is not None
    assert secret not in client.get("/account/tokens/").get_data(as_text=True)
    assert api.get("/me", secret).status_code == 200
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert_problem(api.get("/me", secret), 401, "invalid-token")


def test_nobody_revokes_another_users_token(client, auth, make_user, make_token):
    owner = make_user()
    make_token(owner)
    token = db.session.scalar(select(ApiToken))
    make_user(email="eve@example.org")
    auth.login("eve@example.org")
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None
    auth.logout()
    assert client.get("/account/tokens/").status_code == 302  # to sign in


def test_create_token_command(runner, api, make_user):
    make_user(email="ani@example.org")
    result = runner.invoke(
        args=[
            "lms",
            "create-token",
            "ani@example.org",
            "--scope",
            "write",
            "--name",
            "sync",
        ]
    )
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert api.get("/me", secret).get_json()["token_scope"] == "write"
    token = db.session.scalar(select(ApiToken))
    assert token.name == "sync"
    missing = runner.invoke(args=["lms", "create-token", "nobody@example.org"])
    assert missing.exit_code == 1
