"""A lesson page served from its kept skeleton with at most one Core statement and no ORM objects.

Most views of a lesson are a learner coming back to a page they have seen: nothing to record (a
visit is written at most every `VISIT_RESOLUTION`), and a skeleton kept for the course's content
version (`lms.learn.page_skeletons`). For those, everything the page needs of the database is one
row per progress row of the learner in the course, read with the course's version and state, the
activity and the enrollment (`_LESSON_STATE`), instead of three ORM entities and a second query.
The same permission rules decide (`lms.permissions.can`, given the rows' values), the same
outline and fill make the page.

On PostgreSQL the statement's rows are kept too, and used again while the learning signal
(`lms.learn.learning_signal`) has heard of no change to the learner's progress or enrollment or
to any course since they were read: a learner back on a page then costs no query at all.

The signed-in user is this process's kept copy (`lms.auth.views.kept_session_user`), read and
never attached to a session: no ORM object is made for the page at all.

Whenever anything is not plain (no such course or activity, not enrolled, not allowed, a visit to
record, an archived activity, a type that is not kept, no skeleton or structure kept yet), it
returns None and the view does its usual work, which also keeps what the next view here uses.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace

from flask import current_app, g
from sqlalchemy import and_, bindparam, select

from lms.activities.registry import activity_types
from lms.auth import user_cache
from lms.extensions import db
from lms.learn import learning_signal, page_skeletons
from lms.learn.outline import MISSING, structure_cache
from lms.learn.progress import visit_worth_recording
from lms.models import Activity, ActivityProgress, Course, Enrollment
from lms.permissions import can

_c, _a, _e = Course.__table__.c, Activity.__table__.c, Enrollment.__table__.c
_progress, _course_activities = ActivityProgress.__table__, Activity.__table__.alias()

#: The course, the activity at the key and the user's enrollment, with one row per progress row
#: of the user in the course (one row with empty progress columns when there are none).
_LESSON_STATE = (
    select(
        _c.id, _c.slug, _c.content_version, _c.created_at, _c.published, _c.archived_at,
        _a.id.label("activity"), _a.type, _a.published.label("activity_published"),
        _a.archived_at.label("activity_archived_at"),
        _progress.c.activity_id, _progress.c.completed_at, _progress.c.last_visit_at,
    )
    .select_from(
        Course.__table__.join(Activity.__table__, and_(_a.course_id == _c.id, _a.key == bindparam("key")))
        .join(Enrollment.__table__, and_(_e.course_id == _c.id, _e.user_id == bindparam("user_id")))
        .outerjoin(_progress, and_(
            _progress.c.user_id == _e.user_id,
            _progress.c.activity_id.in_(select(_course_activities.c.id).where(_course_activities.c.course_id == _c.id)),
        ))
    )
    .where(_c.slug == bindparam("slug"))
)  # fmt: skip


def kept_lesson(user, slug: str, key: str) -> str | None:
    """Return `user`'s lesson page if it can be served from what is kept, else None.

    `user` is the signed-in user, kept (`lms.auth.views.kept_session_user`): only read.
    """
    rows = _lesson_state(user.id, slug, key)
    if not rows:  # no such course or activity, or not enrolled: the view decides
        return None
    first = rows[0]
    types = activity_types()
    if first.type not in types or first.activity_archived_at is not None:
        return None
    activity_type = types[first.type]
    if not activity_type.page_skeleton:
        return None
    course = SimpleNamespace(id=first.id, slug=slug, content_version=first.content_version,
                             created_at=first.created_at, published=first.published,
                             archived_at=first.archived_at)  # fmt: skip
    activity = SimpleNamespace(id=first.activity, course=course, published=first.activity_published,
                               archived_at=first.activity_archived_at)  # fmt: skip
    enrolled = True  # the statement joins the enrollment
    if not (
        can(user, "course.view", course)
        and can(user, "activity.view", activity, enrolled)
    ):
        return None
    progress = {row.activity_id: row for row in rows if row.activity_id is not None}
    row = progress.get(activity.id)
    if visit_worth_recording(row, activity_type.complete_on_view):
        return None
    structure = structure_cache().kept(course)
    if structure is MISSING:
        return None

    def own_values() -> dict[str, str]:  # the outline's marks, without the outline
        return page_skeletons.mark_values(_items(structure, progress))

    done = row is not None and row.completed_at is not None
    # the header's name and the page's language are this user's (`user_cache.request_user`)
    g.setdefault(user_cache.KEPT_USER, user)
    try:
        return page_skeletons.lesson(
            course, activity, done, own_values, render_page=None
        )
    finally:
        g.pop(user_cache.KEPT_USER)


#: How long a kept lesson state may be used at most, whatever the signal says.
STATE_MAX_AGE = 60.0
#: Lesson states kept per process at most (beyond that, all are dropped and kept again).
STATE_LIMIT = 50_000


def _lesson_state(user_id: int, slug: str, key: str) -> list:
    """Return the statement's rows for the learner and page: kept ones while the learning signal
    says nothing they were read from changed (PostgreSQL), else read now."""
    signal = learning_signal.for_app()
    tags = (
        signal.tags(user_id) if signal is not None else None
    )  # before reading: see the module
    states = current_app.extensions.setdefault("lms.lesson_states", {})
    if tags is not None:
        kept = states.get((user_id, slug, key))
        if kept is not None and kept[0] == tags and time.monotonic() < kept[1]:
            return kept[2]
    # A connection of its own, not the session's: nothing here loads objects or writes.
    with db.engine.connect() as connection:
        rows = connection.execute(
            _LESSON_STATE, {"slug": slug, "key": key, "user_id": user_id}
        ).all()
    if tags is not None:
        if len(states) >= STATE_LIMIT:
            states.clear()
        states[(user_id, slug, key)] = (tags, time.monotonic() + STATE_MAX_AGE, rows)
    return rows


def _items(structure, progress: dict) -> Iterator[tuple[int, object, bool]]:
    """Yield each activity of the course's structure as (id, completed_at, visited)."""
    for module in structure:
        for item in module.items:
            seen = progress.get(item.id)
            yield item.id, seen.completed_at if seen else None, seen is not None
