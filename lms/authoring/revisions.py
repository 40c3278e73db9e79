"""An activity's history: list its revisions, compare two, restore an old one as a new draft."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlalchemy import select

from lms.authoring.drafts import save_draft
from lms.extensions import db
from lms.models import Activity, ActivityRevision, User


@dataclass
class DiffLine:
    """One line of a diff: `kind` is "add", "remove", "context" or "hunk"."""

    kind: str
    text: str


def history(activity: Activity) -> list[tuple[ActivityRevision, User | None]]:
    """Return the activity's revisions, newest first, each with its author (one query)."""
    return [
        (revision, author)
        for revision, author in db.session.execute(
            select(ActivityRevision, User)
            .outerjoin(User, User.id == ActivityRevision.author_id)
            .where(ActivityRevision.activity_id == activity.id)
            .order_by(ActivityRevision.number.desc())
        )
    ]


def get_revision(activity: Activity, number: int) -> ActivityRevision | None:
    """Return revision `number` of the activity."""
    return db.session.scalar(
        select(ActivityRevision).where(
            ActivityRevision.activity_id == activity.id,
            ActivityRevision.number == number,
        )
    )


def diff(old: str, new: str) -> list[DiffLine]:
    """Compare two texts line by line, with three lines of context around each change."""
    lines = []
    for line in list(difflib.unified_diff(old.splitlines(), new.splitlines()))[2:]:
        if line.startswith("@@"):
            lines.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("remove", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
    return lines


def restore(
    activity: Activity, number: int, author_id: int, expected_version: int, summary: str
) -> ActivityRevision:
    """Save the text of revision `number` again, as a new draft (publishing stays a separate step)."""
    old = get_revision(activity, number)
    if old is None:
        raise LookupError(number)
    return save_draft(activity, old.source, author_id, expected_version, summary)
