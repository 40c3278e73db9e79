"""Reminders to cohort members: by a supervisor for those behind or overdue, and before due dates.

Every reminder is recorded (unique per member, cohort, kind and key), so nobody gets the same
one twice; the email goes through the outbox, never inside the request.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from lms.extensions import db
from lms.mail import absolute_url, queue_email, send_in_background
from lms.mail_format import recipient_language
from lms.models import (
    Activity,
    ActivityProgress,
    Cohort,
    CohortModuleDue,
    Enrollment,
    Module,
    Reminder,
    User,
)
from lms.models.upsert import insert_if_absent


def _record(
    user_id: int, cohort_id: int, kind: str, key: str, by_user_id: int | None
) -> bool:
    """Record a reminder; return False when the same one was already sent."""
    return insert_if_absent(
        Reminder,
        {
            "user_id": user_id,
            "cohort_id": cohort_id,
            "kind": kind,
            "key": key,
            "sent_by_id": by_user_id,
        },
        conflict=["user_id", "cohort_id", "kind", "key"],
    )


def remind_members(cohort: Cohort, report, by_user_id: int, today: date) -> int:
    """Queue a reminder to each member behind or overdue, at most once per kind and day."""
    emails = {
        user_id: (email, locale)
        for user_id, email, locale in db.session.execute(
            select(User.id, User.email, User.locale).where(
                User.id.in_([m.user_id for m in report.members])
            )
        )
    }
    count = 0
    for member in report.members:
        kind = (
            "overdue"
            if member.status == "overdue"
            else "behind"
            if member.behind
            else None
        )
        if kind is None or not _record(
            member.user_id, cohort.id, kind, today.isoformat(), by_user_id
        ):
            continue
        email, locale = emails[member.user_id]
        with recipient_language(locale):
            _queue_reminder(email, kind, member, cohort)
        count += 1
    db.session.commit()
    send_in_background(current_app._get_current_object())
    return count


def _queue_reminder(email: str, kind: str, member, cohort: Cohort) -> None:
    subject = _("Reminder: %(course)s", course=cohort.course.title)
    if kind == "overdue":
        body = _("Dear %(name)s,\n\nsome work in %(cohort)s is past its due date. You have completed %(percent)d%% of the course. Please continue here: %(url)s\n",
                 name=member.name, cohort=cohort.name, percent=member.percent, url=_course_url(cohort))  # fmt: skip
    else:
        body = _("Dear %(name)s,\n\nyou are behind the schedule of %(cohort)s: %(percent)d%% done. Please continue here: %(url)s\n",
                 name=member.name, cohort=cohort.name, percent=member.percent, url=_course_url(cohort))  # fmt: skip
    queue_email(email, subject, body)


def due_soon_reminders(today: date, days: int = 3) -> int:
    """Queue reminders for modules due within `days` to members who have not finished them."""
    dues = db.session.execute(
        select(CohortModuleDue, Cohort, Module)
        .join(Cohort, Cohort.id == CohortModuleDue.cohort_id)
        .join(Module, Module.id == CohortModuleDue.module_id)
        .where(Cohort.closed_at.is_(None), CohortModuleDue.due_on >= today,
               CohortModuleDue.due_on <= today + timedelta(days=days))
    ).all()  # fmt: skip
    count = 0
    for due, cohort, module in dues:
        total = select(func.count(Activity.id)).where(
            Activity.module_id == module.id,
            Activity.archived_at.is_(None),
            Activity.required.is_(True),
        )
        done = (
            select(func.count(ActivityProgress.id))
            .join(Activity, Activity.id == ActivityProgress.activity_id)
            .where(ActivityProgress.user_id == Enrollment.user_id, Activity.module_id == module.id,
                   Activity.archived_at.is_(None), Activity.required.is_(True),
                   ActivityProgress.completed_at.is_not(None))
            .scalar_subquery()
        )  # fmt: skip
        late = db.session.execute(
            select(User.id, User.name, User.email, User.locale)
            .join(Enrollment, Enrollment.user_id == User.id)
            .where(
                and_(Enrollment.cohort_id == cohort.id, done < total.scalar_subquery())
            )
        ).all()
        for user_id, name, email, locale in late:
            if not _record(
                user_id,
                cohort.id,
                "due_soon",
                f"{module.id}:{due.due_on.isoformat()}",
                None,
            ):
                continue
            with recipient_language(locale):
                queue_email(email, _("Due on %(date)s: %(module)s", date=format_date(due.due_on, "long"), module=module.title),
                            _("Dear %(name)s,\n\nthe module \"%(module)s\" of %(cohort)s is due on %(date)s. Continue here: %(url)s\n",
                              name=name, module=module.title, cohort=cohort.name, date=format_date(due.due_on, "long"),
                              url=_course_url(cohort)))  # fmt: skip
            count += 1
    db.session.commit()
    return count


def _course_url(cohort: Cohort) -> str:
    return absolute_url("learn.course", slug=cohort.course.slug)
