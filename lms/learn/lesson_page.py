"""Lesson pages rendered once per content version, filled with each learner's own values.

A lesson page is the same for every learner of a course but for the header's holes
(`lms.skeletons`), how many activities they have done and the status of each activity in the
outline. Its skeleton is kept per course content version, as outlines are.

Whatever else may differ between learners is part of the key: the language, the header's staff
links, whether this lesson is done. Only activity types that say their page depends on nothing
else (`ActivityType.page_skeleton`: lessons) are kept; pages with flashed messages and staff
looking at a course they do not take are rendered as before.

`tests/test_lesson_page.py` renders pages both ways for learners in many states and asserts the
bytes are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask import Flask, current_app
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
    done = ItemMark("done", Markup('<span class="badge ok">%s</span>') % _("Done"))
    started = ItemMark(
        "started", Markup('<span class="badge">%s</span>') % _("Started")
    )
    untouched = ItemMark("", Markup(""))
    return {
        item.id: done if item.completed_at else started if item.visited else untouched
        for item in outline.items
    }


def outline_summary(outline: Outline) -> str:
    """Return "3 of 20 done" for the learner's outline."""
    return _(
        "%(done)d of %(total)d done", done=outline.completed, total=len(outline.items)
    )


class _LessonPages:
    """This app's lesson page skeletons, kept per course content version (a `skeletons.Store`)."""

    def __init__(self, course):
        cache = current_app.extensions.get("lms.lesson_pages")
        if cache is None:
            cache = current_app.extensions["lms.lesson_pages"] = CourseVersionCache(
                limit=2048
            )
        self.cache, self.course = cache, course

    def get(self, key):
        found = self.cache.lookup(self.course, key)
        return None if found is MISSING else found

    def put(self, key, skeleton):
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


def _outline_values(outline: Outline) -> dict[str, str]:
    values = {"summary": str(escape(outline_summary(outline)))}
    for activity_id, mark in outline_marks(outline).items():
        values[f"css:{activity_id}"] = (
            mark.css
        )  # a class name of ours: nothing to escape
        values[f"badge:{activity_id}"] = mark.badge
    return values


def render(
    course, activity, done: bool, outline: Outline, render_page: Callable[..., str]
) -> str:
    """Return the lesson page for this request's learner, from its skeleton when there is one.

    `render_page(**context)` renders the page with extra template context; it runs only when
    the skeleton is missing or out of date.
    """
    return skeletons.page(
        _LessonPages(course),
        (activity.id, done),
        render_page,
        own_marks=_outline_marks,
        own_values=lambda: _outline_values(outline),
    )


def init_app(app: Flask) -> None:
    """Offer the outline's per-learner helpers to templates."""
    app.jinja_env.globals.update(
        outline_marks=outline_marks, outline_summary=outline_summary
    )
