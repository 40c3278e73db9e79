"""A platform user is never linked to an existing account by email or NIP: its owner proves it."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AuditEvent, Enrollment, LtiIdentity, LtiPendingLink, User
from tests.test_lti import CUSTOM, KUIS, NIP, launch

EMAIL = "siti.rahma@example.go.id"  # the email of the loopback platform's launches
PASSWORD = "kata-sandi-yang-panjang"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def signed_in_as(client) -> str | None:
    """Return the email of the account the browser is signed in to, or None."""
    with client.session_transaction() as session:
        user_id = session.get("_user_id")
    if user_id is None or client.get("/my/").status_code != 200:
        return None
    return db.session.get(User, int(str(user_id).split(".")[0])).email


def actions(action: str) -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action)
    ).all()


@pytest.fixture
def siti(make_user):
    """A learner of Kelas ASN, with the email and NIP the platform's launches carry."""
    return make_user(email=EMAIL, nip=NIP, name="Siti Rahma")


def test_another_learners_email_does_not_sign_in_as_her(client, platform, quiz, siti):
    response = launch(
        client, platform, sub="moodle-stranger", custom={**CUSTOM, "nip": ""}
    )
    assert response.status_code == 302 and response.location.endswith("/lti/link/")
    assert signed_in_as(client) is None
    assert count(LtiIdentity) == 0 and count(Enrollment) == 0
    assert actions("auth.lti_login") == []
    page = client.get("/lti/link/").get_data(as_text=True)
    assert "Tautkan akun Kelas ASN Anda" in page and f'value="{EMAIL}"' in page


def test_another_learners_nip_does_not_sign_in_as_her(client, platform, quiz, siti):
    response = launch(client, platform, sub="moodle-stranger",
                      email="orang.lain@example.go.id")  # fmt: skip
    assert response.location.endswith("/lti/link/")
    assert signed_in_as(client) is None and count(LtiIdentity) == 0
    assert count(User) == 1  # no account was made with her NIP taken away either


def test_the_owner_links_by_signing_in_and_the_launch_goes_on(
    client, platform, quiz, siti
):
    launch(client, platform)
    wrong = client.post("/lti/link/", data={"login": EMAIL, "password": "salah-sekali"})
    assert wrong.status_code == 200 and "Gagal masuk" in wrong.get_data(as_text=True)
    assert count(LtiIdentity) == 0 and signed_in_as(client) is None
    right = client.post("/lti/link/", data={"login": NIP, "password": PASSWORD})
    assert right.status_code == 302 and right.location.endswith(f"{KUIS}/")
    assert signed_in_as(client) == EMAIL
    identity = db.session.scalar(select(LtiIdentity))
    assert (identity.sub, identity.user_id) == ("moodle-user-42", siti.id)
    [linked] = actions("lti.identity_linked")
    assert linked.actor_id == siti.id and linked.target_id == str(siti.id)
    assert linked.details == {"platform": platform.issuer, "sub": "moodle-user-42",
                              "method": "password"}  # fmt: skip
    assert db.session.scalar(select(Enrollment.user_id)) == siti.id
    # Next time the platform's user goes straight in.
    client.post("/logout")
    assert launch(client, platform).location.endswith(f"{KUIS}/")
    assert signed_in_as(client) == EMAIL


def test_a_staff_account_is_not_linked_by_its_password(
    client, platform, quiz, siti, make_user
):
    make_user(role="instructor", email="guru@example.go.id")
    launch(client, platform)
    page = client.post(
        "/lti/link/", data={"login": "guru@example.go.id", "password": PASSWORD}
    ).get_data(as_text=True)
    assert "hanya oleh administrator" in page
    assert count(LtiIdentity) == 0 and signed_in_as(client) is None


def test_a_new_separate_account_takes_neither_the_email_nor_the_nip(
    client, platform, quiz, siti
):
    launch(client, platform, sub="moodle-stranger")
    response = client.post("/lti/link/separate")
    assert response.status_code == 302 and response.location.endswith(f"{KUIS}/")
    stranger = db.session.scalar(select(User).where(User.id != siti.id))
    assert stranger.email.endswith("@lti.invalid") and stranger.nip is None
    assert stranger.name == "Siti Rahma" and stranger.role_names == {"learner"}
    assert signed_in_as(client) == stranger.email
    identity = db.session.scalar(select(LtiIdentity))
    assert (identity.sub, identity.user_id) == ("moodle-stranger", stranger.id)
    assert db.session.get(User, siti.id).email == EMAIL  # hers untouched
    assert db.session.scalar(select(Enrollment.user_id)) == stranger.id


def test_the_waiting_launch_belongs_to_the_browser_it_came_to(
    app, client, platform, quiz, siti
):
    launch(client, platform)
    other = app.test_client()
    assert other.get("/lti/link/").status_code == 400
    data = {"login": EMAIL, "password": PASSWORD}
    assert other.post("/lti/link/", data=data).status_code == 400
    assert other.post("/lti/link/separate").status_code == 400
    assert count(LtiIdentity) == 0 and count(User) == 1


def test_the_waiting_launch_expires_and_is_used_once(client, platform, quiz, siti):
    launch(client, platform)
    pending = db.session.scalar(select(LtiPendingLink))
    pending.created_at -= timedelta(minutes=11)
    db.session.commit()
    data = {"login": EMAIL, "password": PASSWORD}
    assert client.post("/lti/link/", data=data).status_code == 400
    pending.created_at += timedelta(minutes=11)
    db.session.commit()
    assert client.post("/lti/link/", data=data).status_code == 302
    with client.session_transaction() as session:
        session["lti_pending_link"] = pending.id  # the same launch again (a replay)
    assert client.post("/lti/link/separate").status_code == 400
    assert count(LtiIdentity) == 1 and count(User) == 1


def test_linking_is_a_csrf_protected_form(app, platform, quiz, siti):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    launch(client, platform)
    data = {"login": EMAIL, "password": PASSWORD}
    assert client.post("/lti/link/", data=data).status_code == 400
    assert client.post("/lti/link/separate").status_code == 400
    assert count(LtiIdentity) == 0 and count(User) == 1


def test_linking_is_rate_limited_like_signing_in(client, platform, quiz, siti):
    launch(client, platform)
    codes = [client.post("/lti/link/", data={"login": EMAIL, "password": "salah"}).status_code
             for _ in range(7)]  # fmt: skip
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]


def test_with_no_account_matching_a_new_one_has_the_email_and_nip(
    client, platform, quiz
):
    assert launch(client, platform).location.endswith(f"{KUIS}/")
    user = db.session.scalar(select(User))
    assert (user.email, user.nip) == (EMAIL, NIP)
    [linked] = actions("lti.identity_linked")
    assert linked.details["method"] == "new_account"


def test_a_separate_account_is_made_once(client, platform, quiz, siti):
    launch(client, platform, sub="moodle-stranger")
    pending_id = db.session.scalar(select(LtiPendingLink.id))
    assert client.post("/lti/link/separate").status_code == 302
    with client.session_transaction() as session:
        session["lti_pending_link"] = pending_id  # the same launch again (a replay)
    assert client.post("/lti/link/separate").status_code == 400
    assert count(User) == 2 and count(LtiIdentity) == 1


def test_an_administrator_links_with_the_command(
    runner, client, platform, quiz, siti, make_user
):
    guru = make_user(role="instructor", email="guru@example.go.id")
    args = ["lms", "lti-link", "--issuer", platform.issuer, "--sub", "moodle-guru"]
    result = runner.invoke(args=[*args, "--user", "guru@example.go.id"])
    assert result.exit_code == 0, result.output
    assert "moodle-guru at Moodle Kota signs in to guru@example.go.id" in result.output
    [linked] = actions("lti.identity_linked")
    assert linked.details["method"] == "administrator" and linked.actor_id is None
    client.post("/logout")
    launch(client, platform, sub="moodle-guru", email="guru@example.go.id")
    assert signed_in_as(client) == "guru@example.go.id"
    # Linked already: only moved when asked, and then audited with where it was.
    again = runner.invoke(args=[*args, "--user", NIP])
    assert again.exit_code != 0 and "--move" in again.output
    moved = runner.invoke(args=[*args, "--user", NIP, "--move"])
    assert moved.exit_code == 0 and f"moved from account {guru.id}" in moved.output
    identity = db.session.scalar(select(LtiIdentity))
    assert identity.user_id == siti.id
    assert actions("lti.identity_linked")[-1].details["moved_from"] == guru.id


def test_an_administrators_account_is_never_linked(runner, platform, make_user):
    make_user(role="admin", email="boss@example.go.id")
    result = runner.invoke(args=["lms", "lti-link", "--issuer", platform.issuer,
                                 "--sub", "moodle-boss", "--user", "boss@example.go.id"])  # fmt: skip
    assert result.exit_code != 0 and "administrator" in result.output
    assert count(LtiIdentity) == 0
    nobody = runner.invoke(args=["lms", "lti-link", "--issuer", platform.issuer,
                                 "--sub", "x", "--user", "nobody@example.go.id"])  # fmt: skip
    assert nobody.exit_code != 0 and count(LtiIdentity) == 0
