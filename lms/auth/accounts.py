"""Creating accounts and checking credentials, without any request in sight."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from lms.extensions import db
from lms.models import ROLE_NAMES, Role, User, WorkUnit

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
) -> User:
    """Create an account; refuse an email or NIP that is already registered."""
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
    )
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(_("That email or NIP is already registered.")) from None
    return user


def authenticate(login: str, password: str) -> User | None:
    """Return the active user whose email or NIP and password match, else None."""
    login = login.strip()
    column = User.nip if login.isdigit() else func.lower(User.email)
    user = db.session.scalar(select(User).where(column == login.lower()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def assign_instructor(email: str, slug: str) -> None:
    """Put the user on the course's teaching staff, giving them the instructor role (idempotent)."""
    from lms.models import Course, CourseStaff

    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    if user is None or course is None:
        raise AccountError(_("No such user or course."))
    if not user.has_role("instructor"):
        user.roles.extend(get_roles(["instructor"]))
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
