"""Assignments: the learner hands in text and a file; a coach or mentor grades it passed or to revise."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import lazy_gettext as _l

from lms.activities.base import ActivityType, ParsedActivity
from lms.content.errors import ContentError
from lms.content.frontmatter import FieldSpec
from lms.content.limits import reported_in
from lms.content.render import render_markdown

#: File types an assignment may accept, by extension.
ACCEPTABLE = ("pdf", "docx", "pptx", "xlsx", "jpg", "png")
#: The largest file any assignment may accept.
MAX_SIZE_MB = 20


class AssignmentType(ActivityType):
    """An assignment such as the "aksi perubahan" change project: instructions in Markdown."""

    label = _l("Assignment")
    suffixes = (".assignment",)
    template = "assignments/activity.html"
    extra_fields: ClassVar[dict[str, FieldSpec]] = {
        "file_types": FieldSpec(list, default=lambda: ["pdf", "docx"]),
        "max_size_mb": FieldSpec(int, default=5, minimum=1),
        "file_required": FieldSpec(bool, default=True),
    }

    def parse_body(
        self, path: str, meta: dict, body: str, first_line: int
    ) -> ParsedActivity:
        """Check the settings and render the instructions once."""
        unknown = [t for t in meta["file_types"] if t not in ACCEPTABLE]
        if unknown:
            raise ContentError(
                path,
                1,
                _l(
                    "'file_types' may hold only %(types)s; not %(unknown)s",
                    types=", ".join(ACCEPTABLE),
                    unknown=", ".join(unknown),
                ),
            )
        if meta["max_size_mb"] > MAX_SIZE_MB:
            raise ContentError(
                path, 1, _l("'max_size_mb' is at most %(n)s", n=MAX_SIZE_MB)
            )
        with reported_in(path, first_line):
            html = render_markdown(body)
        return ParsedActivity(
            title=meta["title"].strip(),
            minutes=meta["minutes"],
            html=html,
            spec={"file_types": meta["file_types"], "max_size_mb": meta["max_size_mb"],
                  "file_required": meta["file_required"]},
        )  # fmt: skip

    def render(self, activity, progress, **context):
        """Show the instructions, the learner's submission and its grade, and the form."""
        from lms.assignments.service import current_submission

        user = context.pop("user")
        context.pop("enrollment", None)
        return super().render(
            activity,
            progress,
            submission=current_submission(user.id, activity.id),
            **context,
        )
