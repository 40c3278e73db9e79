"""One job runner: every outbox drained by `lms worker` processes, each row delivered once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import (
    Activity,
    LtiGradeLink,
    LtiPlatform,
    LtiScore,
    OutgoingEmail,
    XapiStatement,
)
from lms.models.types import utcnow
from tests.sinks import LrsSink, SmtpSink

ROOT = Path(__file__).parent.parent
ROWS = 300


@pytest.fixture
def sinks(app, platform):
    """An SMTP sink, an LRS and an LTI platform on loopback."""
    with SmtpSink() as smtp, LrsSink() as lrs:
        yield smtp, lrs, platform


def queue_everything(app, import_courses, make_user, rows: int) -> None:
    """Queue `rows` emails, xAPI statements and LTI scores, as events would."""
    import_courses()
    activity = db.session.scalars(select(Activity)).first()
    learner = make_user()
    platform = db.session.scalar(select(LtiPlatform))
    link = LtiGradeLink(platform_id=platform.id, user_id=learner.id, activity_id=activity.id,
                        sub="moodle-user-1", lineitem=platform.issuer + "/lineitems/7/lineitem")  # fmt: skip
    db.session.add(link)
    db.session.flush()
    now = utcnow()
    for i in range(rows):
        db.session.add(OutgoingEmail(to=f"m{i}@example.org", subject="s", body="b"))
        db.session.add(
            XapiStatement(uuid=str(uuid.uuid4()), verb="v", payload={"id": f"st-{i}"})
        )
        db.session.add(LtiScore(link_id=link.id, payload={"userId": "u", "comment": f"sc-{i}"},
                                created_at=now, next_attempt_at=now, attempts=0, last_error=""))  # fmt: skip
    db.session.commit()


def start_worker(app, smtp, lrs, *args: str) -> subprocess.Popen:
    """Start `flask --app wsgi lms worker` in its own process, on the test database (log: .log)."""
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": "worker-secret-key-0123456789", "LMS_SMTP_HOST": "127.0.0.1",
           "LMS_SMTP_PORT": str(smtp.port), "LMS_XAPI_ENDPOINT": lrs.base_url,
           "LMS_WORKER_IDLE_SECONDS": "0.2"}  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by output())
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "lms", "worker", *args],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    process.log = log
    return process


def output(worker: subprocess.Popen) -> str:
    """Return what the worker printed, and close its log."""
    worker.log.seek(0)
    text = worker.log.read().decode()
    worker.log.close()
    return text


def assert_each_delivered_once(smtp, lrs, platform, rows: int) -> None:
    mail = smtp.counts("To")
    assert set(mail) == {f"m{i}@example.org" for i in range(rows)}
    assert max(mail.values()) == 1, mail.most_common(3)
    assert set(lrs.received) == {f"st-{i}" for i in range(rows)}
    assert max(lrs.received.values()) == 1, lrs.received.most_common(3)
    scores = [payload["comment"] for _, _, payload in platform.scores]
    assert sorted(scores) == sorted(f"sc-{i}" for i in range(rows))  # each once
    db.session.expire_all()
    for model in (OutgoingEmail, XapiStatement, LtiScore):
        assert (
            db.session.scalar(select(func.count()).where(model.sent_at.is_(None))) == 0
        )


def test_workers_deliver_every_row_of_the_three_outboxes_once(
    app, import_courses, make_user, sinks
):
    smtp, lrs, platform = sinks
    queue_everything(app, import_courses, make_user, ROWS)
    # SQLite has no row locks: one worker there; PostgreSQL shares the work between two.
    count = 2 if db.engine.dialect.name == "postgresql" else 1
    workers = [
        start_worker(app, smtp, lrs, "--once", "--limit", "40") for _ in range(count)
    ]
    codes = [w.wait(240) for w in workers]
    outputs = [output(w) for w in workers]
    assert codes == [0] * count, outputs
    assert_each_delivered_once(smtp, lrs, platform, ROWS)


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    app, import_courses, make_user, sinks
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("several workers need row locks (PostgreSQL)")
    smtp, lrs, platform = sinks
    queue_everything(app, import_courses, make_user, ROWS)
    smtp.hold_after = 150  # the 151st email is in the killed worker's hands
    first = start_worker(app, smtp, lrs, "--limit", "100")
    held = smtp.holding.wait(120)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert held, output(first)
    output(first)
    smtp.release.set()
    # the second round's statements and scores were claimed by nobody else: they wait
    others = [start_worker(app, smtp, lrs, "--limit", "40") for _ in range(2)]
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(smtp.messages) < ROWS:
        time.sleep(0.2)
    while time.monotonic() < deadline and (
        len(platform.scores) < ROWS or sum(lrs.received.values()) < ROWS
    ):
        time.sleep(0.2)
    for worker in others:
        worker.send_signal(signal.SIGTERM)  # finishes the row in hand, then stops
    for worker in others:
        assert worker.wait(30) == 0, output(worker)
        output(worker)
    assert_each_delivered_once(smtp, lrs, platform, ROWS)


# --- long jobs and the schedule, run in this process -------------------------------------


def test_a_large_member_import_is_done_by_the_worker_all_or_none(
    app, client, auth, organiser, cohort
):
    from lms.jobs.worker import work_round
    from lms.models import Enrollment, Job
    from tests.test_member_import_scale import member_rows, upload

    app.config["LMS_IMPORT_INLINE_ROWS"] = 50
    auth.login("pengajar@example.org")
    bad = member_rows(80) + [("123", "Tanpa NIP", "x@example.org", "diskominfo")]
    assert upload(client, cohort, bad).status_code == 302
    assert upload(client, cohort, member_rows(120, start=500)).status_code == 302
    members = select(func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort.id)
    assert db.session.scalar(members) == 0  # nothing inside the request
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert page.count("menunggu diproses") == 2, page

    while work_round():
        pass
    failed, done = db.session.scalars(select(Job).order_by(Job.id)).all()
    assert failed.state == "failed" and failed.result["problem_count"] == 1
    assert done.state == "done" and done.result == {"added": 120, "created": 120}
    assert db.session.scalar(members) == 120  # the bad file added nobody
    emails = db.session.scalars(select(OutgoingEmail)).all()  # the new accounts' links
    assert len(emails) == 120 and all(m.sent_at for m in emails)  # sent by the worker
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "120 peserta ditambahkan" in page and "Baris 82" in page


def test_a_job_whose_worker_died_is_taken_up_again_once_its_lease_ends(
    app, organiser, cohort
):
    from datetime import timedelta

    from lms.cohorts.import_job import queue_import
    from lms.jobs import long_jobs
    from lms.models import Enrollment
    from tests.test_member_import_scale import member_rows

    text = "NIP,Nama,Email,Unit Kerja\n" + "\n".join(
        ",".join(r) for r in member_rows(5)
    )
    queue_import(cohort, text, None, "http://kelas.example.org/")
    db.session.commit()
    job = long_jobs.claim_job(
        utcnow()
    )  # a worker took it, then died: its work rolled back
    db.session.rollback()
    assert long_jobs.run_one() is False  # still leased
    assert long_jobs.run_one(utcnow() + long_jobs.LEASE + timedelta(seconds=1)) is True
    db.session.refresh(job)
    assert job.state == "done" and job.attempts == 2 and "csv" not in job.payload
    members = select(func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort.id)
    assert db.session.scalar(members) == 5
    body = db.session.scalars(select(OutgoingEmail.body)).first()
    assert "http://kelas.example.org/" in body  # links to the site the file came from


def test_each_scheduled_run_is_won_by_one_worker(app):
    from datetime import timedelta

    from lms.jobs import schedule

    duty = schedule.DUTIES[0]
    now = utcnow()
    assert schedule.win(duty, now) is True
    assert schedule.win(duty, now) is False  # the other worker, same moment
    later = now + timedelta(minutes=app.config["LMS_REMINDER_EVERY_MINUTES"])
    assert schedule.win(duty, later) is True


def test_the_worker_queues_reminders_on_schedule_and_sends_them(
    app, import_courses, course_dir, make_user
):
    from datetime import date, timedelta

    from lms.cohorts.members import add_member
    from lms.jobs.worker import work_round
    from lms.models import Cohort, CohortModuleDue, Course, Module

    import_courses(course_dir)
    course = db.session.scalar(select(Course))
    cohort = Cohort(course_id=course.id, name="Angkatan I", starts_on=date.today(),
                    ends_on=date.today() + timedelta(days=30))  # fmt: skip
    db.session.add(cohort)
    db.session.commit()
    module = db.session.scalar(select(Module).where(Module.key == "pengantar"))
    db.session.add(CohortModuleDue(cohort_id=cohort.id, module_id=module.id,
                                   due_on=date.today() + timedelta(days=2)))  # fmt: skip
    db.session.commit()
    add_member(cohort, make_user(email="ani@example.org"))
    work_round()  # queues the reminder (and, without an SMTP host, logs it as sent)
    work_round()
    sent = db.session.scalars(select(OutgoingEmail)).all()
    assert [m.to for m in sent] == ["ani@example.org"] and sent[0].sent_at is not None


def test_web_processes_send_no_mail_unless_asked(monkeypatch):
    from lms.config import load_config

    monkeypatch.delenv("LMS_MAIL_BACKGROUND", raising=False)
    assert load_config("/tmp")["LMS_MAIL_BACKGROUND"] is False


def test_a_stopping_worker_finishes_the_row_in_hand_and_takes_no_more(app):
    from lms.jobs.outbox import drain
    from lms.mail import OUTBOX

    for i in range(10):
        db.session.add(OutgoingEmail(to=f"m{i}@example.org", subject="s", body="b"))
    db.session.commit()
    asked = iter(
        [False, False, False, True]
    )  # SIGTERM arrives during the third message
    assert drain(OUTBOX, 100, stopping=lambda: next(asked)) == (3, 0)
    unsent = select(func.count()).where(OutgoingEmail.sent_at.is_(None))
    assert db.session.scalar(unsent) == 7
