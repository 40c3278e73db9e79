"""Creating accounts and checking credentials, without any request in sight."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from lms.audit import record
from lms.extensions import db
from lms.models import ROLE_NAMES, Role, User, WorkUnit
from lms.models.types import utcnow

#: Compared against when the login names nobody, so a miss costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """An account cannot be created as asked (a duplicate email or NIP, an unknown role)."""


def normalize_email(email: str) -> str:
    """Return the email as stored: trimmed and lower-cased."""
    return email.strip().lower()


def get_roles(names) -> list[Role]:
    """Return Role rows for `names`, creating missing ones."""
    roles = []
    for name in names:
        if name not in ROLE_NAMES:
            raise AccountError(
                _(
                    "Unknown role %(role)s (known: %(known)s).",
                    role=name,
                    known=", ".join(ROLE_NAMES),
                )
            )
        role = db.session.scalar(select(Role).where(Role.name == name))
        if role is None:
            role = Role(name=name)
            db.session.add(role)
        roles.append(role)
    return roles


def create_user(
    email: str,
    name: str,
    password: str,
    nip: str | None = None,
    roles=("learner",),
    work_unit: WorkUnit | None = None,
    position: str | None = None,
    confirmed: bool = True,
) -> User:
    """Create an account; refuse an email or NIP that is already registered.

    An unconfirmed account (self-registered) signs in once its owner opened the emailed link.
    """
    email = normalize_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise AccountError(_("The email %(email)s is already registered.", email=email))
    if nip and db.session.scalar(select(User.id).where(User.nip == nip)):
        raise AccountError(_("The NIP %(nip)s is already registered.", nip=nip))
    user = User(
        email=email,
        name=name.strip(),
        nip=nip or None,
        work_unit=work_unit,
        position=position or None,
        roles=get_roles(roles),
        email_confirmed_at=utcnow() if confirmed else None,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record("user.create", None, user, roles=sorted(roles))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(_("That email or NIP is already registered.")) from None
    return user


@dataclass
class SignIn:
    """The outcome of a sign-in attempt: the user, or why not (`invalid` or `unconfirmed`).

    A locked account answers `invalid`, as an unknown one does: no one learns who has an account.
    """

    user: User | None
    problem: str | None = None


#: The longest pause after failures in a row, however many.
LONGEST_LOCK = timedelta(hours=24)


def authenticate(login: str, password: str) -> SignIn:
    """Check credentials; after too many failures in a row, pause the account for longer each time.

    An unknown login, a wrong password, an inactive or paused account all cost the same hash and
    give the same answer. The owner of a paused account gets in through a reset link at once.
    """
    config = current_app.config
    login = login.strip()
    column = User.nip if login.isdigit() else func.lower(User.email)
    user = db.session.scalar(select(User).where(column == login.lower()))
    now = utcnow()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        record("auth.login_failed", None, None, login=login[:100])
        db.session.commit()
        return SignIn(None, "invalid")
    locked = user.locked_until is not None and user.locked_until > now
    if locked:
        check_password_hash(_DUMMY_HASH, password)
    if locked or not user.check_password(password) or not user.active:
        user.failed_logins = (user.failed_logins or 0) + 1
        record(
            "auth.login_failed",
            user.id,
            user,
            failures=user.failed_logins,
            locked=locked,
        )
        threshold = config["LMS_LOCKOUT_THRESHOLD"]
        if user.failed_logins % threshold == 0:
            rounds = user.failed_logins // threshold
            pause = timedelta(minutes=config["LMS_LOCKOUT_MINUTES"] * 2 ** (rounds - 1))
            user.locked_until = now + min(pause, LONGEST_LOCK)
            record("auth.locked", user.id, user, until=user.locked_until.isoformat())
        db.session.commit()
        return SignIn(None, "invalid")
    user.failed_logins, user.locked_until = 0, None
    if user.email_confirmed_at is None:
        db.session.commit()
        return SignIn(user, "unconfirmed")
    record("auth.login", user.id, user)
    db.session.commit()
    return SignIn(user)


def unlock(user: User, by_user_id: int | None) -> None:
    """Lift a sign-in lock (an administrator's action, audited)."""
    user.failed_logins, user.locked_until = 0, None
    record("auth.unlock", by_user_id, user)
    db.session.commit()


def assign_instructor(email: str, slug: str) -> None:
    """Put the user on the course's teaching staff, giving them the instructor role (idempotent)."""
    from lms.models import Course, CourseStaff

    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if user is None or course is None:
        raise AccountError(_("No such user or course."))
    if not user.has_role("instructor"):
        user.roles.extend(get_roles(["instructor"]))
        record("user.roles", None, user, added="instructor")
    exists = db.session.scalar(
        select(CourseStaff.id).where(
            CourseStaff.user_id == user.id, CourseStaff.course_id == course.id
        )
    )
    if exists is None:
        db.session.add(
            CourseStaff(user_id=user.id, course_id=course.id, role="instructor")
        )
    db.session.commit()
