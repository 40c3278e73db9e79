"""Lessons: a Markdown page the learner reads and marks as done."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import lazy_gettext as _l

from lms.activities.base import ActivityType, ParsedActivity
from lms.content.frontmatter import FieldSpec
from lms.content.limits import reported_in
from lms.content.render import render_markdown


class LessonType(ActivityType):
    """A Markdown lesson with front matter (title, minutes, objectives)."""

    label = _l("Lesson")
    suffixes = (".md",)
    template = "learn/activity_lesson.html"
    completes_by_marking = True
    readable_offline = True
    extra_fields: ClassVar[dict[str, FieldSpec]] = {
        "objectives": FieldSpec(list, default=list)
    }

    def parse_body(
        self, path: str, meta: dict, body: str, first_line: int
    ) -> ParsedActivity:
        """Render the lesson's Markdown once, here, at import time."""
        with reported_in(path, first_line):
            html = render_markdown(body)
        return ParsedActivity(
            title=meta["title"].strip(),
            minutes=meta["minutes"],
            objectives=list(meta["objectives"]),
            html=html,
        )
