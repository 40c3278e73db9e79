"""People: users, their roles and their work units (OPD)."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lms.extensions import db
from lms.models.types import UTCDateTime, utcnow

#: `jp_approver` approves the external training of learners in the same work unit.
ROLE_NAMES = ("learner", "instructor", "supervisor", "admin", "jp_approver")

user_roles = Table(
    "user_roles",
    db.metadata,
    Column(
        "user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "role_id", Integer, ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Role(db.Model):
    """A role a user can hold: learner, instructor, supervisor or admin."""

    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)


class WorkUnit(db.Model):
    """A work unit (OPD) in the city's tree: city, then dinas/badan, then bidang."""

    __tablename__ = "work_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_units.id"), index=True
    )
    #: Set when the unit is retired (merged, dissolved): kept for its people, not offered anew.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    parent: Mapped[WorkUnit | None] = relationship(remote_side=[id])


class User(UserMixin, db.Model):
    """A person with an account: a civil servant, instructor, supervisor or admin."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The 18-digit civil-servant number; optional for staff without one (e.g. external instructors).
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    position: Mapped[str | None] = mapped_column(String(200))
    work_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_units.id"), index=True
    )
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    #: The secret in the address of the user's calendar of due dates (None: no feed yet).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: "Hemat data": lesson images load only when the learner taps them.
    data_saver: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    #: Failed sign-ins in a row; reset by a successful one.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    #: Sign-in is refused until then (set after too many failures; an admin can unlock).
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the owner of the address confirmed it; a self-registered account signs in only then.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    work_unit: Mapped[WorkUnit | None] = relationship(lazy="joined")
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def role_names(self) -> set[str]:
        """Return the names of this user's roles."""
        return {role.name for role in self.roles}

    def has_role(self, name: str) -> bool:
        """Tell whether this user holds the role `name`."""
        return name in self.role_names

    def set_password(self, password: str) -> None:
        """Store a salted hash of `password`."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """Tell whether `password` is this user's password."""
        return check_password_hash(self.password_hash, password)


class UserSession(db.Model):
    """One signed-in browser: the cookie holds a random key, the server its hash and its state.

    Signing out ends it; a new password, a deactivation or "sign out everywhere" ends all of a
    user's; one unused for too long, or too old, ends by itself (`lms.auth.sessions`).
    """

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Updated at most once a minute while the session is used.
    last_seen_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What the account page shows to tell sessions apart.
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(45), default="")
