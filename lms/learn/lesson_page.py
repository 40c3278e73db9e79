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

from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from lms import skeletons
from lms.learn.outline import MISSING, CourseVersionCache, Outline
from lms.navigation import site_navigation


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


def _cache() -> CourseVersionCache:
    """Return this app's lesson page skeletons, kept per course content version."""
    cache = current_app.extensions.get("lms.lesson_pages")
    if cache is None:
        cache = current_app.extensions["lms.lesson_pages"] = CourseVersionCache(
            limit=2048
        )
    return cache


def _learner_values(nav, outline: Outline) -> dict[str, str]:
    values = skeletons.header_values(nav)
    values["summary"] = str(escape(outline_summary(outline)))
    for activity_id, mark in outline_marks(outline).items():
        values[f"css:{activity_id}"] = (
            mark.css
        )  # a class name of ours: nothing to escape
        values[f"badge:{activity_id}"] = mark.badge
    return values


def _skeleton_context(holes: skeletons.Holes, nav) -> dict[str, Callable]:
    return {
        **skeletons.header_context(holes, nav),
        "outline_summary": lambda outline: holes.mark("summary"),
        "outline_marks": lambda outline: {
            item.id: ItemMark(
                holes.mark(f"css:{item.id}"), holes.mark(f"badge:{item.id}")
            )
            for item in outline.items
        },
    }


def render(
    course, activity, done: bool, outline: Outline, render_page: Callable[..., str]
) -> str:
    """Return the lesson page for this request's learner, from its skeleton when there is one.

    `render_page(**context)` renders the page with extra template context; it runs only when
    the skeleton is missing or out of date.
    """
    nav = site_navigation()
    cache = _cache()
    key = (
        activity.id,
        str(get_locale()),
        request.script_root,
        skeletons.header_key(nav),
        done,
    )
    skeleton = cache.lookup(course, key)
    if skeleton is MISSING:
        marks = skeletons.holes()
        skeleton = marks.skeleton(render_page(**_skeleton_context(marks, nav)))
        cache.store(course, skeleton, key)
    return skeleton.fill(_learner_values(nav, outline))


def init_app(app: Flask) -> None:
    """Offer the outline's per-learner helpers to templates."""
    app.jinja_env.globals.update(
        outline_marks=outline_marks, outline_summary=outline_summary
    )
