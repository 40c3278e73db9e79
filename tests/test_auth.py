"""Registration, sign-in and sign-out."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import OutgoingEmail, User

GOOD_NIP = "199001012015031001"
OTHER_NIPS = ("199203152016041002", "198807222012022003")


@pytest.fixture
def unit(make_unit):
    return make_unit()


def register(client, unit, **overrides):
    data = {
        "name": "Siti Aminah",
        "email": "siti@example.org",
        "nip": GOOD_NIP,
        "work_unit": unit.id,
        "position": "Pranata Komputer",
        "password": "laut biru pinang",
        "confirm": "laut biru pinang",
    }
    data.update(overrides)
    return client.post("/register", data=data)


def emails_to(address):
    return db.session.scalars(
        select(OutgoingEmail)
        .where(OutgoingEmail.to == address)
        .order_by(OutgoingEmail.id)
    ).all()


def confirmation_link(address) -> str:
    body = emails_to(address)[-1].body
    return "/register/confirm/" + body.split("/register/confirm/")[1].split()[0]


def test_register_creates_a_learner_who_confirms_by_email(client, unit):
    response = register(client, unit)
    assert response.status_code == 302 and response.location == "/login"
    user = db.session.scalar(select(User).where(User.email == "siti@example.org"))
    assert (
        user.nip == GOOD_NIP
        and user.work_unit_id == unit.id
        and user.role_names == {"learner"}
        and user.email_confirmed_at is None
    )
    assert user.password_hash != "laut biru pinang" and user.check_password(
        "laut biru pinang"
    )
    assert client.get("/my/").status_code == 302  # not signed in before confirming
    link = confirmation_link("siti@example.org")
    # signing in first sends the link again, and says so to whoever knows the password
    page = client.post("/login", data={"login": "siti@example.org", "password": "laut biru pinang"},
                       headers={"Accept-Language": "en"}).get_data(as_text=True)  # fmt: skip
    assert (
        "Confirm your email first" in page and len(emails_to("siti@example.org")) == 2
    )
    assert (
        client.get(link).status_code == 200
    )  # a page with a button: a mail scanner's GET confirms nothing
    assert db.session.get(User, user.id).email_confirmed_at is None
    assert client.post(link).location == "/courses/"
    assert client.get("/my/").status_code == 200
    assert db.session.get(User, user.id).email_confirmed_at is not None
    client.post("/logout")
    assert client.post(link).location == "/login"  # used once
    assert (
        client.post(
            "/login", data={"login": GOOD_NIP, "password": "laut biru pinang"}
        ).status_code
        == 302
    )


def test_register_explains_a_bad_nip(client, unit):
    response = register(client, unit, nip="199002312015031003")
    assert response.status_code == 200
    assert "birth date" in response.get_data(
        as_text=True
    ) or "tanggal lahir" in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(
    "password", ["pendek1", "password", "12345678", "aaaaaaaaaa", "bismillah"]
)
def test_register_refuses_short_or_common_passwords(client, unit, password):
    register(client, unit, password=password, confirm=password)
    assert db.session.scalar(select(User)) is None


def test_password_has_no_composition_rules(client, unit):
    register(
        client,
        unit,
        password="semua huruf kecil saja",
        confirm="semua huruf kecil saja",
    )
    assert db.session.scalar(select(User)) is not None


def test_registering_a_taken_email_or_nip_tells_only_the_mailbox(
    client, unit, make_user
):
    def main(response):  # the page after the redirect, without the header's CSRF token
        page = client.get(response.location).get_data(as_text=True)
        return page.split('<main id="main"')[1]

    fresh = main(register(client, unit, email="baru@example.org", nip=OTHER_NIPS[0]))
    make_user(email="siti@example.org", name="Siti Lama")
    taken_email = main(
        register(client, unit, email="siti@example.org", nip=OTHER_NIPS[1])
    )
    assert taken_email.replace("siti@", "baru@") == fresh
    (told,) = emails_to("siti@example.org")
    assert "already has an account" in told.body or "sudah memiliki akun" in told.body
    assert "/password/forgot" in told.body and told.body.count("http://localhost/") == 2

    make_user(email="lain@example.org", nip=GOOD_NIP)
    taken_nip = main(register(client, unit, email="ketiga@example.org"))
    assert taken_nip.replace("ketiga@", "baru@") == fresh
    (told,) = emails_to("ketiga@example.org")
    assert GOOD_NIP in told.body and "/register/confirm/" not in told.body
    assert not emails_to("lain@example.org")
    assert (
        db.session.scalar(select(User).where(User.email == "ketiga@example.org"))
        is None
    )
    assert (
        db.session.scalar(
            select(User).where(
                User.name == "Siti Aminah", User.email == "siti@example.org"
            )
        )
        is None
    )


def test_register_requires_a_work_unit(client, unit):
    register(client, unit, work_unit=0)
    assert db.session.scalar(select(User)) is None


def test_login_by_email_or_nip(client, auth, make_user):
    make_user(email="budi@example.org", nip=GOOD_NIP)
    assert auth.login("BUDI@example.org").status_code == 302
    auth.logout()
    assert auth.login(GOOD_NIP).status_code == 302
    assert client.get("/my/").status_code == 200


def test_login_failure_does_not_say_which_part_was_wrong(client, auth, make_user):
    make_user(email="budi@example.org")

    def main(
        response,
    ):  # the page body, without the time-stamped CSRF token of the header
        return response.get_data(as_text=True).split('<main id="main"')[1]

    wrong_password = main(auth.login("budi@example.org", "salah-sekali-ini"))
    unknown_user = main(auth.login("siapa@example.org", "salah-sekali-ini"))
    assert "Gagal masuk" in wrong_password
    assert wrong_password.replace("budi@", "siapa@") == unknown_user
    assert client.get("/my/").status_code == 302
    # a paused account answers as an unknown one, even to its right password
    budi = db.session.scalar(select(User).where(User.email == "budi@example.org"))
    budi.locked_until = budi.created_at + timedelta(days=3650)
    db.session.commit()
    paused = main(auth.login("budi@example.org"))
    assert paused.replace("budi@", "siapa@") == unknown_user
    assert client.get("/my/").status_code == 302


def test_inactive_user_cannot_sign_in(auth, make_user):
    user = make_user(email="budi@example.org")
    user.active = False
    db.session.commit()
    assert auth.login("budi@example.org").status_code == 200


def test_login_honours_a_safe_next(client, make_user):
    make_user(email="budi@example.org")
    data = {"login": "budi@example.org", "password": "kata-sandi-yang-panjang"}
    response = client.post("/login", data={**data, "next": "/courses/x/"})
    assert response.location == "/courses/x/"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"],
)
def test_login_ignores_an_unsafe_next(client, make_user, target):
    make_user(email="budi@example.org")
    data = {
        "login": "budi@example.org",
        "password": "kata-sandi-yang-panjang",
        "next": target,
    }
    assert client.post("/login", data=data).location == "/my/"


def test_protected_page_sends_anonymous_to_login_with_next(client):
    response = client.get("/my/")
    assert response.status_code == 302 and "/login?next=" in response.location


def test_logout_is_post_only(client, auth, make_user):
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    assert client.get("/logout").status_code == 405
    auth.logout()
    assert client.get("/my/").status_code == 302


def test_every_form_requires_a_csrf_token(app, make_user, make_unit):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    make_user(email="budi@example.org")
    data = {"login": "budi@example.org", "password": "kata-sandi-yang-panjang"}
    assert client.post("/login", data=data).status_code == 400
    assert client.get("/my/").status_code == 302
    assert client.post("/register", data={"email": "x@example.org"}).status_code == 400
    assert client.post("/language", data={"locale": "en"}).status_code == 400
    assert client.post("/courses/any/enroll").status_code == 400
    assert client.post("/logout").status_code == 400


def test_session_is_renewed_at_login(client, make_user):
    make_user(email="budi@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by-an-attacker"
    client.post(
        "/login",
        data={"login": "budi@example.org", "password": "kata-sandi-yang-panjang"},
    )
    with client.session_transaction() as session:
        assert "planted" not in session
