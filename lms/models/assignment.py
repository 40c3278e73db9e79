"""Assignments: a learner hands in text and a file; a coach or mentor grades it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.extensions import db
from lms.models.types import JSONType, UTCDateTime, utcnow

#: Grading outcomes: passed completes the activity; revise asks for another submission.
PASSED, REVISE = "passed", "revise"


class AssignmentSubmission(db.Model):
    """A learner's current submission to an assignment (earlier ones are kept in `history`)."""

    __tablename__ = "assignment_submissions"
    __table_args__ = (UniqueConstraint("user_id", "activity_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    #: Where the file is stored, relative to the uploads folder (never served from the code tree).
    file_path: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: None until graded, then passed | revise.
    outcome: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    graded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Earlier submissions and grades, oldest first.
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
