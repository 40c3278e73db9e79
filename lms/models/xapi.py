"""xAPI learning records: statements kept in an outbox until the Learning Record Store takes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.types import JSONType, UTCDateTime, utcnow


class XapiStatement(db.Model):
    """One xAPI statement, written with the event it records and sent to the LRS by a worker."""

    __tablename__ = "xapi_statements"
    __table_args__ = (
        # The worker's claim: unsent statements that are due, oldest first.
        Index("ix_xapi_statements_due", "sent_at", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The statement's own id (a UUID): a resend is idempotent at the LRS.
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The verb IRI, for filtering without reading the payload.
    verb: Mapped[str] = mapped_column(String(200))
    #: The statement exactly as sent to the LRS.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )
    #: Set only after the LRS answered 2xx (or 409: it already has this id).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Delivery tries so far (successful or not).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Not tried again before this time (exponential back-off after a failure).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
