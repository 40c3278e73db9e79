"""Mail goes through the outbox to a real SMTP server, outside requests, with retries; reminders once."""

import socketserver
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.mail import queue_email, send_pending
from lms.models import Cohort, CohortModuleDue, Course, Module, OutgoingEmail, Reminder


class SMTPSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages and keep them for the test."""

    def handle(self):
        self.wfile.write(b"220 sink\r\n")
        data = None
        while line := self.rfile.readline():
            if data is not None:
                if line == b".\r\n":
                    self.server.messages.append(b"".join(data).decode())
                    data = None
                    self.wfile.write(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            command = line[:4].upper()
            if command == b"DATA":
                data = []
                self.wfile.write(b"354 go on\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif command == b"EHLO":
                self.wfile.write(b"250 sink\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def sink(app):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPSink)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(LMS_SMTP_HOST="127.0.0.1", LMS_SMTP_PORT=server.server_address[1])
    yield server
    server.shutdown()
    server.server_close()


def test_outbox_is_sent_to_the_smtp_server(app, sink):
    queue_email("ani@example.org", "Pengingat", "Lanjutkan kursus Anda.")
    db.session.commit()
    assert send_pending() == (1, 0)
    assert len(sink.messages) == 1 and "Lanjutkan kursus Anda." in sink.messages[0]
    assert db.session.scalar(select(OutgoingEmail.sent_at)) is not None
    assert send_pending() == (0, 0)  # never sent twice
    assert len(sink.messages) == 1


def test_mail_server_down_keeps_the_message_for_later(app, sink):
    queue_email("ani@example.org", "Pengingat", "Isi")
    db.session.commit()
    port = app.config["LMS_SMTP_PORT"]
    app.config["LMS_SMTP_PORT"] = 1  # nothing listens there
    assert send_pending() == (0, 1)
    message = db.session.scalar(select(OutgoingEmail))
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    app.config["LMS_SMTP_PORT"] = port
    assert send_pending() == (0, 0)  # not tried again before its back-off
    assert send_pending(now=message.next_attempt_at) == (1, 0)
    assert len(sink.messages) == 1


def test_due_soon_reminders_once_per_member_and_due_date(
    app, runner, import_courses, course_dir, make_user, sink
):
    from lms.cohorts.members import add_member

    import_courses(course_dir)
    course = db.session.scalar(select(Course))
    cohort = Cohort(
        course_id=course.id,
        name="Angkatan I",
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=30),
    )
    db.session.add(cohort)
    db.session.commit()
    module = db.session.scalar(select(Module).where(Module.key == "pengantar"))
    db.session.add(
        CohortModuleDue(
            cohort_id=cohort.id,
            module_id=module.id,
            due_on=date.today() + timedelta(days=2),
        )
    )
    db.session.commit()
    ani = make_user(email="ani@example.org")
    add_member(cohort, ani)
    assert "1 reminders queued" in runner.invoke(args=["lms", "send-reminders"]).output
    assert "0 reminders queued" in runner.invoke(args=["lms", "send-reminders"]).output
    assert "1 sent" in runner.invoke(args=["lms", "send-mail"]).output
    assert "Pengantar" in sink.messages[0]
    assert db.session.scalar(select(func.count(Reminder.id))) == 1
