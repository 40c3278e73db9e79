"""The admin area: a hub in the navigation, accounts and roles, work units, audit filters, outboxes."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.mail import MAX_ATTEMPTS
from lms.models import AuditEvent, OutgoingEmail, User, WorkUnit, XapiStatement
from lms.models.types import utcnow

EN = {"Accept-Language": "en"}


@pytest.fixture
def admin(make_user, auth):
    user = make_user(email="admin@example.org", name="Adi Admin", role="admin")
    auth.login("admin@example.org")
    return user


def events(action):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action)
    ).all()


def test_admins_find_the_hub_in_the_navigation(client, make_user, auth, admin):
    page = client.get("/courses/", headers=EN).get_data(as_text=True)
    assert 'href="/admin/"' in page
    hub = client.get("/admin/", headers=EN).get_data(as_text=True)
    for link in (
        "/admin/users",
        "/admin/units/",
        "/admin/audit",
        "/admin/outboxes/",
        "/admin/mail",
    ):
        assert f'href="{link}"' in hub
    make_user(email="ani@example.org")
    auth.login("ani@example.org")
    assert 'href="/admin/"' not in client.get("/courses/").get_data(as_text=True)
    assert client.get("/admin/").status_code == 403


def test_search_by_unit_nip_and_email(client, make_user, admin):
    unit = WorkUnit(code="dinkes", name="Dinas Kesehatan")
    db.session.add(unit)
    ani = make_user(email="ani@example.org", name="Ani", nip="199001012015032001")
    make_user(email="budi@example.org", name="Budi")
    ani.work_unit = unit
    db.session.commit()
    for q in ("kesehatan", "dinkes", "19900101", "ANI@example"):
        page = client.get(f"/admin/users?q={q}").get_data(as_text=True)
        assert "ani@example.org" in page and "budi@example.org" not in page, q


def test_grant_and_revoke_a_role_is_audited(client, make_user, admin):
    ani = make_user(email="ani@example.org")
    client.post(
        f"/admin/users/{ani.id}/roles", data={"role": "jp_approver", "granted": "1"}
    )
    assert ani.has_role("jp_approver")
    [event] = events("user.role_granted")
    assert event.actor_id == admin.id and event.details == {"role": "jp_approver"}
    client.post(
        f"/admin/users/{ani.id}/roles", data={"role": "jp_approver", "granted": "0"}
    )
    db.session.refresh(ani)
    assert not ani.has_role("jp_approver") and events("user.role_revoked")
    client.post(f"/admin/users/{ani.id}/roles", data={"role": "raja", "granted": "1"})
    assert "raja" not in ani.role_names


def test_an_admin_keeps_their_own_admin_role(client, admin):
    client.post(
        f"/admin/users/{admin.id}/roles", data={"role": "admin", "granted": "0"}
    )
    db.session.refresh(admin)
    assert admin.has_role("admin") and not events("user.role_revoked")


def test_an_admin_emails_a_password_link(client, make_user, admin):
    ani = make_user(email="ani@example.org")
    assert client.post(f"/admin/users/{ani.id}/password-reset").status_code == 302
    [mail] = db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.to == ani.email)
    )
    assert "/password/set/" in mail.body
    assert events("auth.reset_sent")[0].target_id == str(ani.id)


def test_work_units_are_added_renamed_moved_and_retired(client, admin):
    client.post("/admin/units/", data={"code": "dinkes", "name": "Dinas Kesehatan"})
    client.post(
        "/admin/units/",
        data={"code": "puskesmas", "name": "Puskesmas", "parent": "dinkes"},
    )
    dinkes, puskesmas = (
        db.session.scalar(select(WorkUnit).where(WorkUnit.code == code))
        for code in ("dinkes", "puskesmas")
    )
    assert puskesmas.parent_id == dinkes.id
    page = client.get("/admin/units/").get_data(as_text=True)
    assert page.index("Dinas Kesehatan") < page.index("— Puskesmas")
    # a loop is refused: dinkes cannot move under its own sub-unit
    client.post(
        f"/admin/units/{dinkes.id}",
        data={"code": "dinkes", "name": "Dinkes", "parent": "puskesmas"},
    )
    db.session.refresh(dinkes)
    assert dinkes.parent_id is None and dinkes.name == "Dinas Kesehatan"
    client.post(
        f"/admin/units/{puskesmas.id}",
        data={"code": "pkm", "name": "Puskesmas Kota", "parent": ""},
    )
    db.session.refresh(puskesmas)
    assert (puskesmas.code, puskesmas.name, puskesmas.parent_id) == (
        "pkm",
        "Puskesmas Kota",
        None,
    )
    client.post(f"/admin/units/{puskesmas.id}/retire", data={"retired": "1"})
    db.session.refresh(puskesmas)
    assert puskesmas.retired_at is not None
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("unit.")] == ["unit.added", "unit.added", "unit.changed", "unit.retired"]  # fmt: skip
    client.post("/logout")
    register = client.get("/register").get_data(as_text=True)
    assert "Dinas Kesehatan" in register and "Puskesmas Kota" not in register


def test_audit_log_filters_by_actor_and_date(client, make_user, admin):
    ani = make_user(email="ani@example.org", name="Ani")
    old = AuditEvent(at=utcnow() - timedelta(days=40), actor_id=ani.id, action="x.old",
                     target_type="", target_id="", ip="", details={})  # fmt: skip
    new = AuditEvent(at=utcnow(), actor_id=ani.id, action="x.new", target_type="",
                     target_id="", ip="", details={})  # fmt: skip
    db.session.add_all([old, new])
    db.session.commit()
    page = client.get("/admin/audit?actor=ani@").get_data(as_text=True)
    assert "x.old" in page and "x.new" in page and "auth.login" not in page
    since = (utcnow() - timedelta(days=2)).date().isoformat()
    page = client.get(f"/admin/audit?actor=Ani&since={since}").get_data(as_text=True)
    assert "x.new" in page and "x.old" not in page


def test_outboxes_show_queued_and_failed_and_retry(client, admin):
    db.session.add_all([
        OutgoingEmail(to="a@example.org", subject="s", body="b", attempts=0, last_error=""),
        OutgoingEmail(to="b@example.org", subject="s", body="b", attempts=MAX_ATTEMPTS, last_error="down"),
        XapiStatement(uuid="u-1", user_id=None, verb="v", payload={}, attempts=2, last_error="x",
                      next_attempt_at=utcnow() + timedelta(hours=3)),
    ])  # fmt: skip
    db.session.commit()
    page = client.get("/admin/outboxes/").get_data(as_text=True)
    assert '<td class="outbox-queued">2</td>' in page
    assert page.count('<td class="outbox-failed">1</td>') == 2
    client.post("/admin/outboxes/mail/retry")
    failed = db.session.scalar(
        select(OutgoingEmail).where(OutgoingEmail.to == "b@example.org")
    )
    assert failed.attempts == 0
    client.post("/admin/outboxes/xapi/retry")
    statement = db.session.scalar(select(XapiStatement))
    assert statement.next_attempt_at <= utcnow()
    assert [e.details["outbox"] for e in events("outbox.retry")] == ["mail", "xapi"]
    assert client.post("/admin/outboxes/nope/retry").status_code == 404


def test_the_admin_pages_are_for_admins_only(client, make_user, auth):
    ani = make_user(email="ani@example.org")
    auth.login("ani@example.org")
    for path in ("/admin/", "/admin/units/", "/admin/outboxes/"):
        assert client.get(path).status_code == 403
    client.post(f"/admin/users/{ani.id}/roles", data={"role": "admin", "granted": "1"})
    assert not db.session.get(User, ani.id).has_role("admin")
