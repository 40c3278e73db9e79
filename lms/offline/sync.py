"""Progress a learner recorded on their device while offline, applied when it reaches the server."""

from __future__ import annotations

from dataclasses import dataclass

from lms.activities.registry import activity_types
from lms.learn import progress
from lms.learn.lookup import course_activity_enrollment
from lms.permissions import can

#: The most completions one request may carry (a device queues a few; this bounds the work).
MAX_QUEUED = 200
#: The longest device-made id, course slug or activity key accepted.
MAX_FIELD = 201


class QueueError(ValueError):
    """A request body that is not a queue of completions, or is past the limits."""


@dataclass(frozen=True)
class QueuedCompletion:
    """A "mark as done" made on the device: its own id, the course and the activity key."""

    id: str
    course: str
    key: str


def read_queue(body) -> list[QueuedCompletion]:
    """Return the completions in a request body `{"items": [{"id", "course", "key"}]}`.

    Raise QueueError naming what is wrong with a body of another shape or past the limits.
    """
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise QueueError("items: a list is required")
    if len(items) > MAX_QUEUED:
        raise QueueError(f"items: at most {MAX_QUEUED}")
    queue = []
    for number, item in enumerate(items):
        values = [
            item.get(name) if isinstance(item, dict) else None
            for name in ("id", "course", "key")
        ]
        if not all(isinstance(v, str) and 0 < len(v) <= MAX_FIELD for v in values):
            raise QueueError(
                f"items[{number}]: id, course and key (strings) are required"
            )
        queue.append(QueuedCompletion(*values))  # fmt: skip
    return queue


def apply_completions(
    user, queue: list[QueuedCompletion]
) -> tuple[list[str], list[str]]:
    """Complete each queued activity the learner may complete; return the accepted and refused ids.

    Completing is keyed by learner and activity (one progress row each), so a completion sent
    twice, or already done online, is accepted again and counted once.
    """
    types = activity_types()
    accepted, refused = [], []
    for item in queue:
        module_key, _slash, activity_key = item.key.partition("/")
        course, activity, enrollment = course_activity_enrollment(
            item.course, module_key, activity_key, user.id
        )
        kind = types[activity.type] if activity is not None else None
        if (
            kind is None
            or not kind.readable_offline
            or not can(user, "course.view", course)
            or not can(user, "activity.submit", activity, enrollment)
        ):
            refused.append(item.id)
            continue
        if kind.submit(activity, None, {}).completed:
            progress.complete_activity(user.id, activity)
        accepted.append(item.id)
    return accepted, refused
