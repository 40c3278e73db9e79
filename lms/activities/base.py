"""The small interface every activity type implements (built-in or from another package).

An activity type is registered under the `lms.activities` entry-point group in a package's
setup.cfg; the entry name is the type's name, stored in `Activity.type`. It says which files it
reads (`suffixes`), turns one file into plain data (`parse`), shows itself to a learner
(`render`), reacts to a learner's action (`submit`) and says when the learner is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from flask import render_template
from markupsafe import Markup

from lms.content.frontmatter import FieldSpec, split_front_matter, validate_meta
from lms.content.limits import check_size, reported_in

if TYPE_CHECKING:
    from lms.models import Activity, ActivityProgress


@dataclass
class ParsedActivity:
    """What a type reads from one file: plain data, HTML already rendered and sanitized."""

    title: str
    minutes: int
    html: str = ""
    objectives: list[str] = field(default_factory=list)
    spec: dict[str, Any] = field(default_factory=dict)
    #: False when the course is complete without this activity (a survey may say so).
    required: bool = True


@dataclass
class SubmitResult:
    """What a learner's action did: whether the activity is now complete, and what to say."""

    completed: bool
    message: str = ""
    state: dict[str, Any] | None = None


class ActivityType:
    """Base class of activity types; subclasses override what differs."""

    #: The entry-point name; set by the registry when the type is loaded.
    name: ClassVar[str] = ""
    #: What people call the type (a lazy gettext string); the name when unset.
    label: ClassVar[Any] = ""
    #: File suffixes (with the dot) this type reads from a course folder.
    suffixes: ClassVar[tuple[str, ...]] = ()
    #: Template that shows the activity to a learner.
    template: ClassVar[str] = "learn/activity_generic.html"
    #: True when opening the activity completes it (nothing to do but look).
    complete_on_view: ClassVar[bool] = False
    #: True when the learner completes it themselves with a "mark as done" button.
    completes_by_marking: ClassVar[bool] = False
    #: True when a learner may keep the activity on their device and read it offline (never a
    #: type whose page holds answers or takes submissions).
    readable_offline: ClassVar[bool] = False
    #: Front-matter keys this type accepts, beyond title and minutes.
    extra_fields: ClassVar[dict[str, FieldSpec]] = {}

    def fields(self) -> dict[str, FieldSpec]:
        """Return the front-matter keys this type accepts."""
        return {
            "title": FieldSpec(str, required=True),
            "minutes": FieldSpec(int, required=True, minimum=0),
            **self.extra_fields,
        }

    def parse(self, path: str, text: str) -> ParsedActivity:
        """Read one file into plain data; raise ContentError naming the file and line.

        A file past MAX_TEXT_BYTES is refused before anything in it is read.
        """
        with reported_in(path):
            check_size(text)
        meta, body, first_line = split_front_matter(text, path)
        meta = validate_meta(meta, self.fields(), path, text)
        return self.parse_body(path, meta, body, first_line)

    def parse_body(
        self, path: str, meta: dict, body: str, first_line: int
    ) -> ParsedActivity:
        """Turn the validated front matter and the body into a ParsedActivity."""
        raise NotImplementedError

    def describe(self, parsed: ParsedActivity) -> dict[str, Any]:
        """Return a JSON-able summary for `check-courses --json`."""
        return {}

    def render(
        self, activity: Activity, progress: ActivityProgress | None, **context
    ) -> Markup:
        """Return the learner's view of the activity."""
        return Markup(
            render_template(
                self.template, activity=activity, progress=progress, **context
            )
        )

    def submit(
        self, activity: Activity, progress: ActivityProgress, form: dict
    ) -> SubmitResult:
        """Handle a learner's action on the activity."""
        if self.completes_by_marking:
            return SubmitResult(completed=True)
        raise NotImplementedError(f"activity type {self.name!r} takes no submissions")
