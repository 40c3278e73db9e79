"""LTI 1.3: the platforms that launch us, our signing keys, logins in flight, launches waiting for
an account to be linked, and grades to pass back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import db
from lms.models.types import JSONType, UTCDateTime, utcnow


class LtiPlatform(db.Model):
    """A registered LTI 1.3 platform (a Moodle, a Canvas) and how to reach it."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    #: The platform's `iss`, e.g. https://moodle.example.go.id
    issuer: Mapped[str] = mapped_column(String(300))
    #: The client id the platform gave this tool.
    client_id: Mapped[str] = mapped_column(String(200))
    deployment_id: Mapped[str] = mapped_column(String(200))
    auth_login_url: Mapped[str] = mapped_column(String(500))
    auth_token_url: Mapped[str] = mapped_column(String(500))
    #: Where the platform publishes its public keys ...
    jwks_url: Mapped[str] = mapped_column(String(500), default="")
    #: ... or the keys themselves (a JWKS), when the platform has no JWKS URL.
    jwks: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LtiToolKey(db.Model):
    """One of our RSA key pairs: the newest signs, all are published at /lti/jwks.json."""

    __tablename__ = "lti_tool_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    #: PEM (PKCS#8); it never leaves the server.
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LtiLogin(db.Model):
    """An OIDC login in flight: the state and nonce we sent, usable for one launch only."""

    __tablename__ = "lti_logins"
    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The platform's hints, kept to start the login again in a new window (they are not secret).
    login_hint: Mapped[str] = mapped_column(Text, default="")
    message_hint: Mapped[str] = mapped_column(Text, default="")
    target_link_uri: Mapped[str] = mapped_column(Text, default="")


class LtiPendingLink(db.Model):
    """A valid launch by a platform user whose email or NIP belongs to an account here.

    It waits, for minutes and in one browser's session only, for that person to prove the account
    is theirs (by signing in to it) or to choose a new, separate account; it is used once.
    """

    __tablename__ = "lti_pending_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE")
    )
    #: The launch's validated id_token claims, to carry on with once the account is settled.
    claims: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    platform: Mapped[LtiPlatform] = relationship()


class LtiContext(db.Model):
    """A platform's course that launched one of ours, and where to read its members (NRPS).

    Kept from the launches' `context` and Names and Role Provisioning claims, so that a cohort of
    the course can import the platform course's learners.
    """

    __tablename__ = "lti_contexts"
    __table_args__ = (UniqueConstraint("platform_id", "context_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE")
    )
    #: The platform's id of its course
    context_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    #: The NRPS context_memberships_url
    memberships_url: Mapped[str] = mapped_column(String(1000))
    #: Our course it launched last
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    platform: Mapped[LtiPlatform] = relationship()


class LtiIdentity(db.Model):
    """Which of our users a platform's user (`sub`) is."""

    __tablename__ = "lti_identities"
    __table_args__ = (UniqueConstraint("platform_id", "sub"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE")
    )
    sub: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LtiGradeLink(db.Model):
    """A platform's grade column (AGS line item) for one learner's quiz, from their latest launch."""

    __tablename__ = "lti_grade_links"
    __table_args__ = (UniqueConstraint("platform_id", "user_id", "activity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(
        ForeignKey("lti_platforms.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE")
    )
    #: The learner's `sub` at the platform (the score's userId).
    sub: Mapped[str] = mapped_column(String(255))
    lineitem: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    platform: Mapped[LtiPlatform] = relationship()


class LtiScore(db.Model):
    """A score waiting to be posted to a platform's line item (an outbox, like xAPI statements)."""

    __tablename__ = "lti_scores"
    __table_args__ = (Index("ix_lti_scores_due", "sent_at", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(
        ForeignKey("lti_grade_links.id", ondelete="CASCADE"), index=True
    )
    #: The AGS Score object as posted.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")

    link: Mapped[LtiGradeLink] = relationship()
