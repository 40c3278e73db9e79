"""Registration, sign-in and sign-out."""

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import User

GOOD_NIP = "199001012015031001"


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


def test_register_creates_a_learner_and_signs_in(client, unit):
    response = register(client, unit)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "siti@example.org"))
    assert (
        user.nip == GOOD_NIP
        and user.work_unit_id == unit.id
        and user.role_names == {"learner"}
    )
    assert user.password_hash != "laut biru pinang" and user.check_password(
        "laut biru pinang"
    )
    assert client.get("/my/").status_code == 200


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


def test_register_refuses_duplicate_email_and_nip(client, unit, make_user):
    make_user(email="siti@example.org")
    register(client, unit)
    assert db.session.scalar(select(User).where(User.nip == GOOD_NIP)) is None
    make_user(email="lain@example.org", nip=GOOD_NIP)
    response = register(client, unit, email="baru@example.org")
    assert GOOD_NIP in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(User).where(User.email == "baru@example.org")) is None
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
