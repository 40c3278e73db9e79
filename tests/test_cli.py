"""Command-line administration: accounts, set-up and course import."""

from sqlalchemy import func, select

from lms.extensions import db
from lms.models import Course, User, WorkUnit
from lms.seed import DEMO_ACCOUNTS


def test_create_user_with_roles(runner):
    result = runner.invoke(
        args=[
            "lms",
            "create-user",
            "Admin@Example.org",
            "--name",
            "Admin",
            "--password",
            "kata-sandi-admin",
            "--role",
            "admin",
            "--role",
            "supervisor",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "admin@example.org" and user.role_names == {
        "admin",
        "supervisor",
    }
    assert user.check_password("kata-sandi-admin")


def test_create_user_refuses_existing_email_and_nip(runner, make_user):
    make_user(email="ada@example.org", nip="199001012015031001")
    result = runner.invoke(
        args=[
            "lms",
            "create-user",
            "ada@example.org",
            "--name",
            "X",
            "--password",
            "p" * 10,
        ]
    )
    assert result.exit_code != 0 and "sudah terdaftar" in result.output
    result = runner.invoke(
        args=[
            "lms",
            "create-user",
            "baru@example.org",
            "--name",
            "X",
            "--password",
            "p" * 10,
            "--nip",
            "199001012015031001",
        ]
    )
    assert result.exit_code != 0 and "199001012015031001" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_create_user_validates_nip_and_role(runner):
    result = runner.invoke(
        args=[
            "lms",
            "create-user",
            "b@example.org",
            "--name",
            "B",
            "--password",
            "p" * 10,
            "--nip",
            "123",
        ]
    )
    assert result.exit_code != 0 and "18 digit" in result.output
    result = runner.invoke(
        args=[
            "lms",
            "create-user",
            "b@example.org",
            "--name",
            "B",
            "--password",
            "p" * 10,
            "--role",
            "raja",
        ]
    )
    assert result.exit_code != 0 and "raja" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_bootstrap_imports_courses_and_creates_demo_accounts_once(runner):
    first = runner.invoke(args=["lms", "bootstrap"])
    assert first.exit_code == 0, first.output
    for email, password, *_ in DEMO_ACCOUNTS:
        assert email in first.output and password in first.output
    assert db.session.scalar(select(func.count(User.id))) == len(DEMO_ACCOUNTS)
    assert db.session.scalar(select(Course.slug)) == "contoh-kursus"
    assert db.session.scalar(select(func.count(WorkUnit.id))) > 30
    second = runner.invoke(args=["lms", "bootstrap"])
    assert (
        second.exit_code == 0
        and "(exists)" in second.output
        and "unchanged" in second.output
    )
    assert db.session.scalar(select(func.count(User.id))) == len(DEMO_ACCOUNTS)


def test_demo_accounts_can_sign_in(runner, client):
    runner.invoke(args=["lms", "bootstrap"])
    for email, password, *_ in DEMO_ACCOUNTS:
        response = client.post("/login", data={"login": email, "password": password})
        assert response.status_code == 302, email
        client.post("/logout")
