"""Course and lesson pages rendered once per content version, filled with each viewer's own values.

A lesson page is the same for every learner of a course but for the header's holes
(`lms.skeletons`), how many activities they have done and the status of each activity in the
outline. A course page is the same but for the header, the outline's marks and the enrolled
learner's standing (a small template of its own). Their skeletons are kept per course content
version, as outlines are.

Whatever else may differ between viewers is part of the key: the language, the header's staff
links and whether anyone is signed in (`lms.skeletons`), whether this lesson is done, whether the
viewer takes the course. Only activity types that say their page depends on nothing else
(`ActivityType.page_skeleton`: lessons) are kept; pages with flashed messages and staff looking at
a course they do not take are rendered as before.

A lesson page whose skeleton is kept is served by `lms.learn.kept_lesson` from one statement,
without loading the course, activity and enrollment as ORM objects.

`tests/test_lesson_page.py` and `tests/test_course_page_skeleton.py` render pages both ways for
viewers in many states and assert the bytes are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from functools import cache
from typing import NamedTuple

from flask import Flask, current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from lms import skeletons
from lms.learn.outline import MISSING, CourseVersionCache, Outline


class ItemMark(NamedTuple):
    """How the outline marks one activity for one learner: a CSS class and a badge."""

    css: str
    badge: Markup


def outline_marks(outline: Outline) -> dict[int, ItemMark]:
    """Return the learner's mark on each activity of the outline, by activity id."""
    marks = _marks(str(get_locale()))
    return {
        item.id: _mark(marks, item.completed_at, item.visited) for item in outline.items
    }


def _mark(
    marks: tuple[ItemMark, ItemMark, ItemMark], completed_at, visited: bool
) -> ItemMark:
    done, started, untouched = marks
    return done if completed_at else started if visited else untouched


@cache  # one entry per interface language
def _marks(_locale: str) -> tuple[ItemMark, ItemMark, ItemMark]:
    """Return the done, started and untouched marks in the language `_locale` (the request's)."""
    return (
        ItemMark("done", Markup('<span class="badge ok">%s</span>') % _("Done")),
        ItemMark("started", Markup('<span class="badge">%s</span>') % _("Started")),
        ItemMark("", Markup("")),
    )


def outline_summary(outline: Outline) -> str:
    """Return "3 of 20 done" for the learner's outline."""
    return _summary(outline.completed, len(outline.items))


def _summary(done: int, total: int) -> str:
    return _("%(done)d of %(total)d done", done=done, total=total)


class _CoursePages:
    """This app's course and lesson page skeletons, kept per course content version."""

    def __init__(self, course):
        cache = current_app.extensions.get("lms.course_pages")
        if cache is None:
            cache = current_app.extensions["lms.course_pages"] = CourseVersionCache(
                limit=2048
            )
        self.cache, self.course = cache, course

    def get(self, key: Hashable):
        """Return the skeleton kept under `key` for the course's current content, if any."""
        found = self.cache.lookup(self.course, key)
        return None if found is MISSING else found

    def put(self, key: Hashable, skeleton) -> None:
        """Keep the skeleton for the course's current content."""
        self.cache.store(self.course, skeleton, key)


def _outline_marks(holes: skeletons.Holes) -> dict[str, Callable]:
    return {
        "outline_summary": lambda outline: holes.mark("summary"),
        "outline_marks": lambda outline: {
            item.id: ItemMark(
                holes.mark(f"css:{item.id}"), holes.mark(f"badge:{item.id}")
            )
            for item in outline.items
        },
    }


def outline_values(outline: Outline) -> dict[str, str]:
    """Return the values of the outline's holes for the learner whose outline it is."""
    return mark_values(
        (item.id, item.completed_at, item.visited) for item in outline.items
    )


def mark_values(items: Iterable[tuple[int, object, bool]]) -> dict[str, str]:
    """Return the outline's hole values from each activity's (id, completed_at, visited), in order.

    The same marks as `outline_marks` and the same summary as `outline_summary` give.
    """
    marks = _marks(str(get_locale()))
    values: dict[str, str] = {}
    completed = total = 0
    for activity_id, completed_at, visited in items:
        total += 1
        completed += bool(completed_at)
        mark = _mark(marks, completed_at, visited)
        # a class name of ours: nothing to escape
        values[f"css:{activity_id}"] = mark.css
        values[f"badge:{activity_id}"] = mark.badge
    values["summary"] = str(escape(_summary(completed, total)))
    return values


def lesson(
    course,
    activity,
    done: bool,
    own_values: Callable[[], dict[str, str]],
    render_page: Callable[..., str] | None,
) -> str | None:
    """Return the lesson page for this request's learner, from its skeleton when there is one.

    `own_values()` gives the outline's hole values (`outline_values`, `mark_values`).
    `render_page(**context)` renders the page with extra template context; it runs only when
    the skeleton is missing or out of date (without it, that gives None).
    """
    return skeletons.page(
        _CoursePages(course),
        ("lesson", activity.id, done),
        render_page,
        own_marks=_outline_marks,
        own_values=own_values,
    )


def course_status(course, enrollment, outline: Outline) -> Markup:
    """Return the enrolled learner's standing in the course, as the course page shows it.

    Learners at the same point of a course have the same standing, so it is rendered once per
    language, mount point, course, completion date and count done (the template reads nothing
    else), and kept per process (at most `STATUS_LIMIT` of them).
    """
    key = (str(get_locale()), request.script_root, course.slug, enrollment.completed_at,
           outline.completed, len(outline.items))  # fmt: skip
    kept = current_app.extensions.setdefault("lms.course_status", {})
    status = kept.get(key)
    if status is None:
        status = Markup(
            render_template(
                "learn/_course_status.html",
                course=course,
                enrollment=enrollment,
                outline=outline,
            )
        )
        if len(kept) >= STATUS_LIMIT:
            kept.clear()
        kept[key] = status
    return status


#: Course standings kept per process at most (beyond it, all are dropped and kept again).
STATUS_LIMIT = 10_000


def course_page(
    course, enrollment, outline: Outline, render_page: Callable[..., str]
) -> str:
    """Return the course page for this request's viewer, from its skeleton when there is one.

    `render_page(**context)` renders the page; the standing of an enrolled learner is a hole.
    """
    enrolled = enrollment is not None

    def marks(holes: skeletons.Holes) -> dict[str, Callable]:
        return {**_outline_marks(holes), "course_status": lambda: holes.mark("status")}

    def values() -> dict[str, str]:
        found = outline_values(outline)
        if enrolled:
            found["status"] = course_status(course, enrollment, outline)
        return found

    return skeletons.page(
        _CoursePages(course), ("course", enrolled), render_page, marks, values
    )


def init_app(app: Flask) -> None:
    """Offer the outline's per-learner helpers to templates."""
    app.jinja_env.globals.update(
        outline_marks=outline_marks, outline_summary=outline_summary
    )
