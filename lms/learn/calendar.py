"""A learner's due dates as a private iCalendar feed, so they land in a phone's calendar.

The address carries a per-user secret (no sign-in: calendar apps cannot); resetting it makes
the old address answer 404.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from lms.extensions import db
from lms.learn.angkatan import learner_cohorts
from lms.ledger.records import local_today
from lms.mail import absolute_url
from lms.models import Course, Enrollment, User

bp = Blueprint("calendar", __name__)


def _escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1)."""
    raw, out = line.encode(), []
    while len(raw) > 75:
        cut = 75 if not out else 74
        while cut and (raw[cut] & 0xC0) == 0x80:  # never inside a UTF-8 character
            cut -= 1
        out.append(raw[:cut].decode())
        raw = raw[cut:]
    out.append(raw.decode())
    return "\r\n ".join(out)


def due_calendar(user_id: int, today: date) -> str:
    """Return the iCalendar text of the user's module due dates in all their angkatan."""
    courses = dict(db.session.execute(
        select(Course.id, Course.slug).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user_id, Enrollment.cohort_id.is_not(None))
    ).all())  # fmt: skip
    name = _escape(_("Kelas ASN due dates"))
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kelas ASN//Tenggat angkatan//ID",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "X-WR-CALNAME:" + name]  # fmt: skip
    stamp = today.strftime("%Y%m%dT000000Z")
    for course_id, cohort in learner_cohorts(user_id, list(courses), today).items():
        link = absolute_url("learn.course", slug=courses[course_id])
        for due in cohort.dues:
            lines += [
                "BEGIN:VEVENT",
                f"UID:due-{user_id}-{course_id}-{due.module_key}@kelas-asn",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{due.due_on:%Y%m%d}",
                f"DTEND;VALUE=DATE:{due.due_on + timedelta(days=1):%Y%m%d}",
                "SUMMARY:" + _escape(_("Due: %(module)s", module=due.module_title)),
                "DESCRIPTION:" + _escape(f"{cohort.name}\n{link}"),
                f"URL:{link}",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """Serve the due dates of the user whose secret the address carries."""
    if len(token) > 64:
        abort(404)
    user = db.session.scalar(
        select(User).where(User.calendar_token == token, User.active.is_(True))
    )
    if user is None:
        abort(404)
    response = Response(due_calendar(user.id, local_today()), mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def feed_url(user: User) -> str | None:
    """Return the user's calendar address, or None before they asked for one."""
    return (
        absolute_url("calendar.feed", token=user.calendar_token)
        if user.calendar_token
        else None
    )


@bp.post("/my/calendar")
@login_required
def reset():
    """Make a new secret calendar address (the old one stops working)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    current_user.calendar_token = secrets.token_urlsafe(32)
    db.session.commit()
    flash(
        _(
            "Your calendar address is ready. Add it to your phone's calendar; an old one no longer works."
        ),
        "success",
    )
    return redirect(url_for("learn.my_courses") + "#calendar")
