"""Account lockout with an admin unlock, and the audit log of security and grading actions."""

from sqlalchemy import select

from lms.extensions import db
from lms.models import AuditEvent, User
from lms.models.types import utcnow


def actions():
    return [
        e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]


def from_address(client, n):
    """Send the next requests from another address (each address has its own rate limit)."""
    client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"


def test_too_many_failures_pause_the_account_until_an_admin_unlocks(
    app, client, auth, make_user
):
    app.config.update(LMS_LOCKOUT_THRESHOLD=3, LMS_LOCKOUT_MINUTES=15)
    make_user(email="budi@example.org")
    make_user(email="admin@example.org", role="admin")
    for _ in range(3):
        auth.login("budi@example.org", "salah-sekali")
    assert (
        auth.login("budi@example.org").status_code == 200
    )  # even the right password now
    assert client.get("/my/").status_code == 302
    assert actions().count("auth.login_failed") == 4 and "auth.locked" in actions()

    auth.login("admin@example.org")
    locked = client.get("/admin/users").get_data(as_text=True)
    assert "budi@example.org" in locked
    budi = db.session.scalar(select(User).where(User.email == "budi@example.org"))
    client.post(f"/admin/users/{budi.id}/unlock")
    auth.logout()
    assert auth.login("budi@example.org").status_code == 302
    assert "auth.unlock" in actions()


def test_each_pause_is_longer_than_the_last(app, client, auth, make_user):
    app.config.update(LMS_LOCKOUT_THRESHOLD=3, LMS_LOCKOUT_MINUTES=15)
    budi = make_user(email="budi@example.org")
    pauses = []
    for n in range(3):
        from_address(client, n)
        for _ in range(3):
            auth.login("budi@example.org", "salah-sekali")
        db.session.refresh(budi)
        pauses.append(round((budi.locked_until - utcnow()).total_seconds() / 60))
    assert pauses == [15, 30, 60]


def test_a_paused_owner_gets_in_through_the_emailed_link(app, client, auth, make_user):
    from lms.models import OutgoingEmail

    app.config.update(LMS_LOCKOUT_THRESHOLD=3)
    make_user(email="budi@example.org")
    for _ in range(3):
        auth.login("budi@example.org", "salah-sekali")
    client.post("/password/forgot", data={"email": "budi@example.org"})
    link = (
        db.session.scalar(select(OutgoingEmail.body))
        .split("http://localhost")[1]
        .split()[0]
    )
    data = {"password": "ombak tenang sore", "confirm": "ombak tenang sore"}
    assert client.post(link, data=data).status_code == 302
    assert client.get("/my/").status_code == 200
    auth.logout()
    assert auth.login("budi@example.org", "ombak tenang sore").status_code == 302


def test_a_success_resets_the_failure_count(app, client, auth, make_user):
    app.config.update(LMS_LOCKOUT_THRESHOLD=3)
    make_user(email="budi@example.org")
    for _ in range(2):
        auth.login("budi@example.org", "salah-sekali")
    assert auth.login("budi@example.org").status_code == 302
    auth.logout()
    from_address(client, 2)
    for _ in range(2):
        auth.login("budi@example.org", "salah-sekali")
    assert auth.login("budi@example.org").status_code == 302


def test_unlock_from_the_command_line(app, runner, make_user):
    from datetime import timedelta

    from lms.models.types import utcnow

    user = make_user(email="budi@example.org")
    user.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    assert runner.invoke(args=["lms", "unlock-user", "budi@example.org"]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is None


def test_audit_log_is_for_admins_only(client, auth, make_user):
    make_user(email="ani@example.org")
    make_user(email="sup@example.org", role="supervisor")
    for email in ("ani@example.org", "sup@example.org"):
        auth.login(email)
        assert client.get("/admin/audit").status_code == 403
        assert client.get("/admin/users").status_code == 403
        auth.logout()
    make_user(email="admin@example.org", role="admin")
    auth.login("admin@example.org")
    page = client.get("/admin/audit?action=auth").get_data(as_text=True)
    assert "auth.login" in page


def test_grading_and_certificate_actions_are_audited(app, make_user, quiz):
    from lms.assessment import attempts as engine
    from lms.assessment.regrade import grade_by_hand, regrade_question

    learner = make_user()
    teacher = make_user(role="instructor")
    attempt = engine.start_attempt(learner.id, quiz)
    attempt = engine.submit_attempt(attempt)
    regrade_question(quiz, "ibukota", "full_credit", teacher.id)
    grade_by_hand(
        attempt, "lapor", __import__("decimal").Decimal(100), "ok", teacher.id
    )
    events = {e.action: e for e in db.session.scalars(select(AuditEvent))}
    assert (
        events["quiz.regrade"].actor_id == teacher.id
        and events["quiz.regrade"].details["option"] == "full_credit"
    )
    assert events["quiz.manual_grade"].details["question"] == "lapor"


def test_api_tokens_made_and_revoked_are_in_the_audit_log(client, auth, make_user):
    from lms.models import ApiToken

    budi = make_user(email="budi@example.org")
    auth.login("budi@example.org")
    client.post("/account/tokens/", data={"name": "Laporan", "scope": "read"})
    token = db.session.scalar(select(ApiToken))
    client.post(f"/account/tokens/{token.id}/revoke")
    client.post(f"/account/tokens/{token.id}/revoke")  # again: nothing more to record
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.startswith("api_token."))
    ).all()
    assert [(e.action, e.actor_id, e.target_id) for e in events] == [
        ("api_token.create", budi.id, str(token.id)),
        ("api_token.revoke", budi.id, str(token.id)),
    ]
    assert events[0].details == {"scope": "read", "name": "Laporan"}
    assert token.secret_hash not in str(events[0].details)


def test_a_password_set_through_a_link_is_in_the_audit_log(client, make_user):
    from lms.models import OutgoingEmail

    budi = make_user(email="budi@example.org")
    client.post("/password/forgot", data={"email": "budi@example.org"})
    link = db.session.scalar(select(OutgoingEmail.body)).split("/password/set/")[1].split()[0]  # fmt: skip
    data = {"password": "ombak tenang sore", "confirm": "ombak tenang sore"}
    client.post(f"/password/set/{link}", data=data)
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.password_set")
    ).all()
    assert (event.actor_id, event.target_id, event.details) == (
        budi.id,
        str(budi.id),
        {"purpose": "reset", "ended_sessions": 0},
    )
