"""Certificates: issued once per completed course, verifiable by anyone with the code."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.types import UTCDateTime, utcnow


class Certificate(db.Model):
    """A certificate of completion; what it certifies is copied in, so later edits change nothing."""

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable public code used in /verify/<code>.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL")
    )
    learner_name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(String(18))
    course_title: Mapped[str] = mapped_column(String(200))
    jp: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    completed_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Fixed at issue (the course's language), so every download is the same document.
    language: Mapped[str] = mapped_column(String(8), default="id", server_default="id")
    #: The issuing office and signatory as set by an admin when it was issued ("" before then).
    issuer: Mapped[str] = mapped_column(String(200), default="", server_default="")
    signatory_name: Mapped[str] = mapped_column(
        String(200), default="", server_default=""
    )
    signatory_title: Mapped[str] = mapped_column(
        String(200), default="", server_default=""
    )
    signatory_nip: Mapped[str | None] = mapped_column(String(18))
    #: The office's logo at issue, relative to the uploads folder (logos are never overwritten).
    logo_path: Mapped[str | None] = mapped_column(String(300))


class PasswordToken(db.Model):
    """A single-use, expiring token to set a password or confirm an email; only its hash is kept."""

    __tablename__ = "password_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: first_login | reset | confirm (an email address)
    purpose: Mapped[str] = mapped_column(String(20))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CertificateSettings(db.Model):
    """What an admin sets for new certificates: the issuing office, its signatory and logo (one row)."""

    __tablename__ = "certificate_settings"
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    signatory_nip: Mapped[str | None] = mapped_column(String(18))
    logo_path: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
