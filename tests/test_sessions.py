"""Signed-in sessions live on the server: sign-out, a new password or an admin end them for good."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.auth import sessions
from lms.extensions import db
from lms.models import Enrollment, UserSession
from lms.models.types import utcnow

PASSWORD = "kata-sandi-yang-panjang"


@pytest.fixture
def ani(make_user):
    return make_user(email="ani@example.org")


def signed_in(app, login="ani@example.org", password=PASSWORD):
    """Return a new browser signed in as `login`."""
    browser = app.test_client()
    response = browser.post("/login", data={"login": login, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return browser


def copied(app, browser):
    """Return another browser holding a copy of `browser`'s session cookie (a stolen cookie)."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def opens_my_courses(browser) -> bool:
    return browser.get("/my/").status_code == 200


def test_a_cookie_saved_before_sign_out_opens_nothing_after(app, ani, import_courses):
    import_courses()
    browser = signed_in(app)
    thief = copied(app, browser)
    assert opens_my_courses(thief)
    browser.post("/logout")
    assert not opens_my_courses(browser)
    assert thief.get("/my/").headers["Location"].startswith("/login")
    thief.post("/courses/contoh-kursus/enroll")
    assert db.session.scalar(select(Enrollment.id)) is None


def test_sign_out_ends_only_that_browser(app, ani):
    office, phone = signed_in(app), signed_in(app)
    office.post("/logout")
    assert not opens_my_courses(office) and opens_my_courses(phone)


def test_a_reset_password_ends_every_session(app, client, ani):
    from lms.auth.tokens import issue_password_token

    browser = signed_in(app)
    token = issue_password_token(ani, "reset")
    response = client.post(f"/password/set/{token}",
                           data={"password": "sandi-baru-yang-panjang", "confirm": "sandi-baru-yang-panjang"})  # fmt: skip
    assert response.status_code == 302
    assert not opens_my_courses(browser)
    assert opens_my_courses(client)  # the one who set it is signed in afresh


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, ani):
    browser, other = signed_in(app), signed_in(app)
    thief = copied(app, browser)
    new = "sandi-baru-yang-panjang"
    wrong = browser.post("/account/password",
                         data={"current": "salah", "password": new, "confirm": new})  # fmt: skip
    assert wrong.status_code == 400 and opens_my_courses(other)
    response = browser.post("/account/password",
                            data={"current": PASSWORD, "password": new, "confirm": new})  # fmt: skip
    assert response.status_code == 302
    assert opens_my_courses(browser)
    assert not opens_my_courses(other) and not opens_my_courses(thief)
    signed_in(app, password=new)


def test_sign_out_everywhere_else_from_the_account_page(app, ani):
    browser, phone = signed_in(app), signed_in(app)
    page = browser.get("/account/").get_data(as_text=True)
    assert page.count("<li>") >= 2 and "this browser" in browser.get(
        "/account/", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    browser.post("/account/sessions/end-others")
    assert opens_my_courses(browser) and not opens_my_courses(phone)


def test_an_admin_signs_someone_out_everywhere_and_deactivates(app, ani, make_user):
    make_user(role="admin", email="admin@example.org")
    admin = signed_in(app, "admin@example.org")
    browser = signed_in(app)
    admin.post(f"/admin/users/{ani.id}/sessions/end")
    assert not opens_my_courses(browser)

    browser = signed_in(app)
    admin.post(f"/admin/users/{ani.id}/active", data={"active": "0"})
    assert not opens_my_courses(browser)
    refused = app.test_client().post(
        "/login", data={"login": "ani@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 200  # stays on the sign-in page
    admin.post(f"/admin/users/{ani.id}/active", data={"active": "1"})
    signed_in(app)


def test_an_admin_cannot_deactivate_themselves(app, make_user):
    me = make_user(role="admin", email="admin@example.org")
    admin = signed_in(app, "admin@example.org")
    admin.post(f"/admin/users/{me.id}/active", data={"active": "0"})
    assert opens_my_courses(admin)


def _age(minutes=0, hours=0, created=False):
    """Make every session look unused (or started) that long ago."""
    past = utcnow() - timedelta(minutes=minutes, hours=hours)
    values = {"last_seen_at": past}
    if created:
        values["created_at"] = past
    for row in db.session.scalars(select(UserSession)):
        for name, value in values.items():
            setattr(row, name, value)
    db.session.commit()


def test_a_session_unused_too_long_ends(app, ani):
    browser = signed_in(app)
    _age(minutes=app.config["LMS_SESSION_IDLE_MINUTES"] - 2)
    assert opens_my_courses(browser)  # used again in time: it goes on
    _age(minutes=app.config["LMS_SESSION_IDLE_MINUTES"] + 1)
    assert not opens_my_courses(browser)


def test_a_session_too_old_ends_though_used(app, ani):
    browser = signed_in(app)
    _age(hours=app.config["LMS_SESSION_MAX_HOURS"], minutes=1, created=True)
    _age(minutes=0)  # used just now
    assert not opens_my_courses(browser)


def test_use_is_written_at_most_once_a_minute(app, ani, count_queries):
    browser = signed_in(app)
    with count_queries() as statements:
        browser.get("/my/")
    assert not [
        s for s in statements if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")
    ]
    _age(minutes=2)
    with count_queries() as statements:
        browser.get("/my/")
    assert (
        len(
            [
                s
                for s in statements
                if s.lstrip().upper().startswith("UPDATE USER_SESSIONS")
            ]
        )
        == 1
    )
    row = db.session.scalar(select(UserSession))
    assert utcnow() - row.last_seen_at < timedelta(seconds=30)


def test_the_cookie_holds_a_key_the_database_holds_only_hashed(app, ani):
    browser = signed_in(app)
    with app.test_request_context():
        from flask import session

        opened = app.session_interface.open_session(app, _request_with(browser))
        session.update(opened)
        key = session[sessions.KEY]
        hashed = sessions.current_key_hash()
    row = db.session.scalar(select(UserSession))
    assert row.key_hash == hashed and key not in row.key_hash


def _request_with(browser):
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    cookie = browser.get_cookie("session").value
    return Request(
        EnvironBuilder(headers={"Cookie": f"session={cookie}"}).get_environ()
    )
