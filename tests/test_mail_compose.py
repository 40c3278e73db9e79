"""Emails that work: absolute links, a plain-text and an HTML part in the recipient's language, a visible outbox."""

import email
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.mail import queue_email, send_pending
from lms.mail_format import html_from_text
from lms.models import CohortModuleDue, Module, OutgoingEmail
from tests.cohort_world import TODAY
from tests.test_cohorts import GOOD, csv_file
from tests.test_mail import sink  # noqa: F401 (a fixture)

HOST = "http://kelas.example:8080"


@pytest.fixture(autouse=True)
def on_host(client, monkeypatch):
    """Send every request of the test to HOST, as a browser on that address would."""
    original = client.open

    def open_on_host(*args, **kwargs):
        kwargs.setdefault("base_url", HOST)
        return original(*args, **kwargs)

    monkeypatch.setattr(client, "open", open_on_host)


def english(user):
    """Make the user read the platform in English."""
    user.locale = "en"
    db.session.commit()
    return user


def outbox() -> list[OutgoingEmail]:
    return list(db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)))


def links(text: str) -> list[str]:
    return re.findall(r"(?:https?://|/)[^\s\"<]*", text)


def test_welcome_email_links_to_the_address_the_organiser_used(
    client, auth, organiser, cohort
):
    auth.login("pengajar@example.org")
    client.post(f"/cohorts/{cohort.id}/members/import", data={"file": csv_file(GOOD)},
                content_type="multipart/form-data")  # fmt: skip
    welcome = outbox()
    assert len(welcome) == 3
    for message in welcome:
        assert re.search(HOST + r"/password/set/\S+", message.body), message.body
        assert "Atur kata sandi" in message.body or "kata sandi" in message.body
        assert f'<a href="{HOST}/password/set/' in message.body_html
        assert '<html lang="id">' in message.body_html


def test_base_url_wins_over_the_request(app, client, auth, organiser, cohort):
    app.config["LMS_BASE_URL"] = "https://kelas.tanjungpinangkota.go.id/"
    auth.login("pengajar@example.org")
    client.post(f"/cohorts/{cohort.id}/members/import", data={"file": csv_file(GOOD[:1])},
                content_type="multipart/form-data")  # fmt: skip
    (message,) = outbox()
    assert "https://kelas.tanjungpinangkota.go.id/password/set/" in message.body


def _due_in_two_days(cohort):
    module = db.session.scalar(select(Module).where(Module.key == "pengantar"))
    db.session.add(CohortModuleDue(cohort_id=cohort.id, module_id=module.id,
                                   due_on=TODAY + timedelta(days=2)))  # fmt: skip
    db.session.commit()


def test_command_reminders_are_absolute_and_in_each_members_language(
    app, runner, make_user, cohort
):
    app.config["LMS_BASE_URL"] = "https://kelas.example.go.id"
    _due_in_two_days(cohort)
    add_member(cohort, make_user(email="ani@example.org"))
    add_member(cohort, english(make_user(email="john@example.org")))
    assert "2 reminders queued" in runner.invoke(args=["lms", "send-reminders"]).output
    by_to = {m.to: m for m in outbox()}
    for message in by_to.values():
        assert "https://kelas.example.go.id/courses/contoh-kursus/" in message.body
        assert all(link.startswith("https://") for link in links(message.body))
    assert (
        "Lanjutkan" in by_to["ani@example.org"].body
        or "Yth" in by_to["ani@example.org"].body
    )
    assert by_to["john@example.org"].body.startswith("Dear ")
    assert '<html lang="en">' in by_to["john@example.org"].body_html
    assert '<html lang="id">' in by_to["ani@example.org"].body_html


def test_command_reminders_without_base_url_still_have_a_host(
    runner, make_user, cohort
):
    _due_in_two_days(cohort)
    add_member(cohort, make_user(email="ani@example.org"))
    runner.invoke(args=["lms", "send-reminders"])
    (message,) = outbox()
    assert "http://127.0.0.1:5000/courses/contoh-kursus/" in message.body


def test_supervisor_reminder_links_to_the_request_host(client, auth, make_user, cohort):
    supervisor = make_user(email="sup@example.org", role="supervisor")
    add_staff(cohort, supervisor, "supervisor")
    module = db.session.scalar(select(Module).where(Module.key == "pengantar"))
    db.session.add(CohortModuleDue(cohort_id=cohort.id, module_id=module.id,
                                   due_on=TODAY - timedelta(days=1)))  # fmt: skip
    db.session.commit()
    add_member(cohort, make_user(email="ani@example.org"))
    auth.login("sup@example.org")
    client.post(f"/cohorts/{cohort.id}/remind")
    (message,) = outbox()
    assert f"{HOST}/courses/contoh-kursus/" in message.body


def test_password_reset_is_in_the_users_language(client, make_user):
    english(make_user(email="john@example.org"))
    client.post("/password/forgot", data={"email": "john@example.org"})
    (message,) = outbox()
    assert message.subject == "Reset your Kelas ASN password"
    assert f"{HOST}/password/set/" in message.body


def test_sent_message_has_text_and_html_parts(app, sink):  # noqa: F811
    queue_email(
        "ani@example.org", "Pengingat", "Halo,\n\nbuka https://kelas.example/x.\n"
    )
    db.session.commit()
    assert send_pending() == (1, 0)
    parsed = email.message_from_string(sink.messages[0])
    assert parsed.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in parsed.get_payload()]
    assert types == ["text/plain", "text/html"]
    html = parsed.get_payload()[1].get_payload(decode=True).decode()
    assert '<a href="https://kelas.example/x">https://kelas.example/x</a>.' in html


def test_html_part_escapes_the_text(app):
    html = html_from_text(
        "<script>x</script> & https://a.example/?q=1&r=<2>", "S<", "id"
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://a.example/?q=1&amp;r=">' in html
    assert "<title>S&lt;</title>" in html


def test_outbox_command_lists_queued_and_sent_with_bodies(app, runner):
    queue_email("ani@example.org", "Satu", "Isi pesan pertama https://x.example/1\n")
    queue_email("budi@example.org", "Dua", "Isi pesan kedua\n")
    db.session.commit()
    send_pending(limit=1)  # no SMTP host: the first is "sent" to the log
    out = runner.invoke(args=["lms", "outbox"]).output
    assert "[sent] to ani@example.org" in out and "[queued] to budi@example.org" in out
    assert "Isi pesan pertama https://x.example/1" in out and "Isi pesan kedua" in out
    queued = runner.invoke(args=["lms", "outbox", "--state", "queued"]).output
    assert "budi@example.org" in queued and "ani@example.org" not in queued


def test_admin_mail_page_shows_messages_to_admins_only(client, auth, make_user):
    make_user(email="admin@example.org", role="admin")
    make_user(email="ani@example.org")
    queue_email(
        "ani@example.org", "Selamat datang", "Atur kata sandi: https://x.example/set\n"
    )
    db.session.commit()
    auth.login("ani@example.org")
    assert client.get("/admin/mail/").status_code == 403
    auth.logout()
    auth.login("admin@example.org")
    page = client.get("/admin/mail/").get_data(as_text=True)
    assert "Selamat datang" in page and "Atur kata sandi: https://x.example/set" in page
    assert "ani@example.org" in page


def test_make_run_says_where_the_emails_are():
    from pathlib import Path

    makefile = (Path(__file__).parent.parent / "Makefile").read_text()
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "/admin/mail" in run and "lms outbox" in run
