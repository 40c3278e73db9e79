"""External training counts only once an approver of the learner's work unit has approved it."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from lms.extensions import db
from lms.learn.progress import jp_earned
from lms.ledger.records import jp_totals, local_today
from lms.models import AuditEvent, JpRecord, OutgoingEmail, WorkUnit
from tests.test_ledger import external_records, post_training

EN = {"Accept-Language": "en"}


@pytest.fixture
def units():
    dinkes = WorkUnit(code="dinkes", name="Dinas Kesehatan")
    bappeda = WorkUnit(code="bappeda", name="Bappeda")
    db.session.add_all([dinkes, bappeda])
    db.session.commit()
    return dinkes, bappeda


@pytest.fixture
def people(make_user, units, app, tmp_path):
    app.config["LMS_UPLOADS_DIR"] = str(tmp_path / "uploads")
    dinkes, bappeda = units
    made = {
        "ani": make_user(email="ani@example.org", name="Ani"),
        "approver": make_user(
            email="rina@example.org", roles=("learner", "jp_approver")
        ),
        "outsider": make_user(
            email="joko@example.org", roles=("learner", "jp_approver")
        ),
        "supervisor": make_user(email="sari@example.org", role="supervisor"),
    }
    for key in ("ani", "approver", "supervisor"):
        made[key].work_unit_id = dinkes.id
    made["outsider"].work_unit_id = bappeda.id
    db.session.commit()
    return made


def record_as_ani(client, auth, **kwargs):
    auth.login("ani@example.org")
    assert post_training(client, hours="4.5", **kwargs).status_code == 302
    auth.logout()
    (record,) = external_records()
    return record


def mails_to(address):
    return db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.to == address)
    ).all()


def test_new_training_is_pending_and_counts_nowhere(client, auth, people):
    record = record_as_ani(client, auth)
    year = local_today().year
    ani = people["ani"]
    assert record.status == "pending"
    assert jp_earned(ani.id, year) == 0
    assert jp_totals([ani.id], year) == {ani.id: Decimal(0)}
    auth.login("ani@example.org")
    page = client.get("/my/jp", headers=EN).get_data(as_text=True)
    assert "0 of 20 JP" in page and "Waiting for approval" in page
    assert "4.5 JP of external training wait for approval" in page
    rows = list(
        csv.reader(io.StringIO(client.get("/my/jp.csv").get_data(as_text=True)))
    )
    assert "Bimtek SAKIP" not in str(rows)


def test_the_units_approver_is_told_and_approves_after_seeing_the_proof(
    client, auth, people
):
    record = record_as_ani(client, auth)
    [mail] = mails_to("rina@example.org")
    assert "Ani" in mail.subject and "/jp/approvals" in mail.body
    assert "4,5 JP" in mail.body  # the hours as an Indonesian reads them, not "4.50"
    assert mails_to("joko@example.org") == [] and mails_to("sari@example.org") == []

    auth.login("rina@example.org")
    page = client.get("/jp/approvals", headers=EN).get_data(as_text=True)
    assert "Bimtek SAKIP" in page and "Open the proof" in page
    with client.get(f"/jp/records/{record.id}/proof") as proof:
        assert proof.status_code == 200
    assert client.post(f"/jp/records/{record.id}/approve").status_code == 302

    db.session.refresh(record)
    assert (
        record.status == "approved" and record.reviewed_by_id == people["approver"].id
    )
    assert jp_earned(people["ani"].id, record.year) == Decimal("4.5")
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "jp.approve")
    )
    assert event.actor_id == people["approver"].id and event.target_id == str(record.id)
    [told] = mails_to("ani@example.org")
    assert "Bimtek SAKIP" in told.subject and "4,5 JP" in told.body
    # decided once: a second decision is refused
    assert (
        client.post(f"/jp/records/{record.id}/reject", data={"reason": "x"}).status_code
        == 409
    )


def test_a_rejection_needs_a_reason_the_learner_sees(client, auth, people):
    record = record_as_ani(client, auth)
    auth.login("sari@example.org")  # the unit's supervisor also approves
    client.post(f"/jp/records/{record.id}/reject", data={"reason": "  "})
    db.session.refresh(record)
    assert record.status == "pending"
    client.post(
        f"/jp/records/{record.id}/reject", data={"reason": "Sertifikat tidak terbaca"}
    )
    db.session.refresh(record)
    assert record.status == "rejected"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jp.reject"))
    [told] = mails_to("ani@example.org")
    assert "Sertifikat tidak terbaca" in told.body
    auth.login("ani@example.org")
    page = client.get("/my/jp", headers=EN).get_data(as_text=True)
    assert "Rejected: Sertifikat tidak terbaca" in page and "0 of 20 JP" in page
    assert jp_earned(people["ani"].id, record.year) == 0


def test_approvers_of_another_unit_and_learners_cannot_decide(client, auth, people):
    record = record_as_ani(client, auth)
    auth.login("joko@example.org")
    assert "Bimtek SAKIP" not in client.get("/jp/approvals").get_data(as_text=True)
    assert client.get(f"/jp/records/{record.id}/proof").status_code == 403
    assert client.post(f"/jp/records/{record.id}/approve").status_code == 403
    auth.login("ani@example.org")
    assert client.get("/jp/approvals").status_code == 403
    assert client.post(f"/jp/records/{record.id}/approve").status_code == 403
    db.session.refresh(record)
    assert record.status == "pending"


def test_an_approver_cannot_approve_their_own_training(client, auth, people):
    auth.login("rina@example.org")
    post_training(client)
    (record,) = external_records()
    assert client.post(f"/jp/records/{record.id}/approve").status_code == 403
    # Rina is the unit's only jp_approver: its supervisor is told instead
    assert [m.to for m in db.session.scalars(select(OutgoingEmail))] == [
        "sari@example.org"
    ]


def test_the_api_counts_approved_hours_only(client, auth, people):
    from lms.api.tokens import create_token

    record = record_as_ani(client, auth)
    _row, token = create_token(people["ani"], "t", "read")
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/me/jp", headers=headers).get_json()
    assert body["jp_total"] == 0 and body["items"][0]["status"] == "pending"
    record.status = "approved"
    db.session.commit()
    assert client.get("/api/v1/me/jp", headers=headers).get_json()["jp_total"] == 4.5


def test_records_from_before_approvals_stay_approved(people):
    """The migration's server default: records written without a status count as before."""
    db.session.execute(
        text(
            "INSERT INTO jp_records (user_id, year, hours, earned_on, source, kind, title,"
            " provider, created_at) VALUES (:u, 2026, 3, :d, 'external', 'seminar', 'Lama',"
            " 'BPSDM', :d)"
        ),
        {"u": people["ani"].id, "d": date(2026, 1, 5)},
    )
    db.session.commit()
    assert db.session.scalar(select(JpRecord.status)) == "approved"
    assert jp_earned(people["ani"].id, 2026) == 3
