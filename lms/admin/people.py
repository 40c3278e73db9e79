"""What admins do to accounts beyond locks: find them, grant and revoke roles, send a reset link."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from lms.audit import record
from lms.auth.accounts import get_roles
from lms.auth.tokens import issue_password_token
from lms.extensions import db
from lms.mail import absolute_url, queue_email
from lms.models import AuditEvent, User, WorkUnit
from lms.models.types import utcnow

#: The most accounts one search shows.
SEARCH_LIMIT = 100


class RoleError(ValueError):
    """The role change is not allowed (an unknown role, an admin removing their own admin role)."""


def find_users(q: str) -> list[User]:
    """Return accounts whose name, email, NIP or work unit (name or code) holds `q`; else locked ones."""
    query = select(User).outerjoin(WorkUnit, WorkUnit.id == User.work_unit_id)
    q = q.strip()
    if q:
        like = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(User.name).like(like),
                func.lower(User.email).like(like),
                User.nip.startswith(q),
                func.lower(WorkUnit.name).like(like),
                func.lower(WorkUnit.code) == q.lower(),
            )
        )
    else:
        query = query.where(User.locked_until > utcnow())
    return list(db.session.scalars(query.order_by(User.name).limit(SEARCH_LIMIT)))


def set_role(user: User, role: str, granted: bool, actor: User) -> None:
    """Grant or revoke one role (audited, committed); an admin keeps their own admin role."""
    (found,) = get_roles([role])  # AccountError for an unknown role
    if not granted and user.id == actor.id and role == "admin":
        raise RoleError(_("You cannot remove your own admin role."))
    if granted and found not in user.roles:
        user.roles.append(found)
    elif not granted and found in user.roles:
        user.roles.remove(found)
    else:
        return
    record(
        "user.role_granted" if granted else "user.role_revoked",
        actor.id,
        user,
        role=role,
    )
    db.session.commit()


def send_reset_link(user: User, actor_id: int) -> None:
    """Email the user a single-use link to set a new password (audited, committed)."""
    token = issue_password_token(user, "reset", commit=False)
    link = absolute_url("auth.set_password", token=token)
    with force_locale(user.locale or "id"):
        subject = _("Reset your Kelas ASN password")
        body = _(
            "Dear %(name)s,\n\nan administrator sent you a link to set a new password "
            "(it works once, for 2 hours): %(link)s\n",
            name=user.name,
            link=link,
        )
    queue_email(user.email, subject, body)
    record("auth.reset_sent", actor_id, user)
    db.session.commit()


def audit_query(action: str, actor: str, since: date | None, until: date | None):
    """Return the audit log query filtered by action prefix, actor (name or email) and local dates."""
    query = select(AuditEvent, User.name).outerjoin(
        User, User.id == AuditEvent.actor_id
    )
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if actor:
        like = f"%{actor.lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(like), func.lower(User.email).like(like))
        )
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time(), zone))
    if until:
        end = datetime.combine(until + timedelta(days=1), time(), zone)
        query = query.where(AuditEvent.at < end)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
