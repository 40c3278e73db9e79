"""External training waits for an approver of the learner's work unit, who approves or rejects it.

An approver of a unit is a user of that unit holding the `jp_approver` role, or its supervisor
(a `supervisor` of the unit); admins approve anywhere. Nobody approves their own record.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms import audit
from lms.extensions import db
from lms.i18n import format_number
from lms.ledger.records import APPROVED, PENDING, REJECTED
from lms.mail import absolute_url, queue_emails
from lms.models import JpRecord, Role, User, user_roles
from lms.models.types import utcnow

#: Roles that approve the external training of learners in their own work unit.
APPROVER_ROLES = ("jp_approver", "supervisor")


class ReviewError(ValueError):
    """The record is not waiting for a decision, or the reason is missing."""


def may_approve(user, record: JpRecord) -> bool:
    """Tell whether `user` may approve or reject `record`."""
    if not user.is_authenticated or record.user_id == user.id:
        return False
    if user.has_role("admin"):
        return True
    if not user.role_names & set(APPROVER_ROLES) or user.work_unit_id is None:
        return False
    return record.user.work_unit_id == user.work_unit_id


def approvers_of(learner: User) -> list[User]:
    """Return who is told of the learner's new record: the unit's approvers, else its supervisors,
    else the admins."""

    def holders(roles, unit_id):
        query = (
            select(User)
            .join(user_roles, user_roles.c.user_id == User.id)
            .join(Role, Role.id == user_roles.c.role_id)
            .where(Role.name.in_(roles), User.active, User.id != learner.id)
        )
        if unit_id is not None:
            query = query.where(User.work_unit_id == unit_id)
        return list(db.session.scalars(query.distinct().order_by(User.id)))

    if learner.work_unit_id is not None:
        for role in APPROVER_ROLES:
            found = holders((role,), learner.work_unit_id)
            if found:
                return found
    return holders(("admin",), None)


def pending_for(user) -> list[JpRecord]:
    """Return the pending records `user` may decide, oldest first, with their learners."""
    query = (
        select(JpRecord)
        .join(User, User.id == JpRecord.user_id)
        .options(joinedload(JpRecord.user))
        .where(JpRecord.status == PENDING, JpRecord.user_id != user.id)
        .order_by(JpRecord.created_at, JpRecord.id)
    )
    if not user.has_role("admin"):
        if not user.role_names & set(APPROVER_ROLES) or user.work_unit_id is None:
            return []
        query = query.where(User.work_unit_id == user.work_unit_id)
    return list(db.session.scalars(query))


def is_approver(user) -> bool:
    """Tell whether the user approves anyone's training (for the navigation)."""
    return user.is_authenticated and bool(user.role_names & {"admin", *APPROVER_ROLES})


def tell_approvers(record: JpRecord, learner: User) -> None:
    """Queue an email to each approver of the learner's unit about a new record."""
    link = absolute_url("ledger.approvals_list")
    messages = []
    for approver in approvers_of(learner):
        with force_locale(approver.locale or "id"):
            subject = _("Training to approve: %(name)s", name=learner.name)
            body = _(
                "%(name)s recorded %(hours)s JP of external training: %(title)s "
                "(%(provider)s). Look at the proof and approve or reject it:\n%(link)s",
                name=learner.name,
                hours=format_number(record.hours),
                title=record.title,
                provider=record.provider,
                link=link,
            )
        messages.append((approver.email, subject, body))
    queue_emails(messages)


def decide(record: JpRecord, approver, approve: bool, reason: str = "") -> None:
    """Approve or reject a pending record, audit it and tell the learner (committed)."""
    reason = reason.strip()
    if record.status != PENDING:
        raise ReviewError("not pending")
    if not approve and not reason:
        raise ReviewError("reason")
    record.status = APPROVED if approve else REJECTED
    record.reviewed_by_id = approver.id
    record.reviewed_at = utcnow()
    record.review_reason = "" if approve else reason[:500]
    audit.record(
        "jp.approve" if approve else "jp.reject",
        approver.id,
        record,
        learner=record.user_id,
        hours=str(record.hours),
        reason=record.review_reason or None,
    )
    learner = db.session.get(User, record.user_id)
    with force_locale(learner.locale or "id"):
        if approve:
            subject = _("Your training is approved: %(title)s", title=record.title)
            body = _(
                "%(hours)s JP of %(title)s now count in your total for %(year)s.\n%(link)s",
                hours=format_number(record.hours),
                title=record.title,
                year=record.year,
                link=absolute_url("ledger.mine", year=record.year),
            )
        else:
            subject = _("Your training was not approved: %(title)s", title=record.title)
            body = _(
                "%(title)s does not count in your JP. The reason given:\n%(reason)s\n"
                "You may record it again with a better proof:\n%(link)s",
                title=record.title,
                reason=record.review_reason,
                link=absolute_url("ledger.mine", year=record.year),
            )
    queue_emails([(learner.email, subject, body)])
    db.session.commit()


def reviewable(record_id: int) -> JpRecord | None:
    """Return an external record by id, with its learner."""
    return db.session.scalar(
        select(JpRecord)
        .options(joinedload(JpRecord.user))
        .where(JpRecord.id == record_id, JpRecord.source == "external")
    )
