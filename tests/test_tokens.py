"""Set-password links: single use, expiring, and only their hash is stored."""

from datetime import timedelta

from sqlalchemy import select

from lms.auth.tokens import issue_password_token, token_user
from lms.extensions import db
from lms.models import PasswordToken, User


def new_account(make_user):
    user = make_user(email="baru@example.org")
    user.password_hash = "!"  # as a CSV import leaves it: no password works
    db.session.commit()
    return user


def test_first_login_link_sets_the_password_once(client, make_user, auth):
    user = new_account(make_user)
    token = issue_password_token(user, "first_login")
    assert (
        db.session.scalar(select(PasswordToken.token_hash)) != token
    )  # only a hash is kept
    assert auth.login("baru@example.org", "!").status_code == 200  # no way in yet
    response = client.post(
        f"/password/set/{token}",
        data={"password": "laut biru pinang", "confirm": "laut biru pinang"},
    )
    assert response.status_code == 302 and client.get("/my/").status_code == 200
    auth.logout()
    assert auth.login("baru@example.org", "laut biru pinang").status_code == 302
    auth.logout()
    again = client.post(
        f"/password/set/{token}",
        data={"password": "kata sandi lain", "confirm": "kata sandi lain"},
    )
    assert again.location == "/login"
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("laut biru pinang")


def test_expired_or_unknown_links_do_nothing(client, make_user):
    user = new_account(make_user)
    token = issue_password_token(user, "reset")
    row = db.session.scalar(select(PasswordToken))
    row.expires_at = row.expires_at - timedelta(days=1)
    db.session.commit()
    assert token_user(token) is None
    assert client.get(f"/password/set/{token}").location == "/login"
    assert client.get("/password/set/tidak-ada").location == "/login"


def test_weak_password_is_refused_and_the_link_still_works(client, make_user):
    user = new_account(make_user)
    token = issue_password_token(user, "first_login")
    client.post(
        f"/password/set/{token}", data={"password": "12345678", "confirm": "12345678"}
    )
    assert token_user(token) is not None
