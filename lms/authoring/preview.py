"""Previews built by the very pipeline learners get: parse as an import would, then render."""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.authoring.drafts import parse_source
from lms.content.errors import ContentError, ContentProblem
from lms.content.frontmatter import split_front_matter
from lms.models import Activity, Course
from lms.quiz import learner_view, read_aiken, read_gift


@dataclass
class Preview:
    """The parsed text as an unsaved activity, or the problems found in it (with their lines)."""

    activity: Activity | None
    problems: list[ContentProblem] = field(default_factory=list)
    #: Each question as a learner's browser receives it: no answers, no feedback.
    questions: list[dict] = field(default_factory=list)


def build_preview(activity: Activity, course: Course, text: str) -> Preview:
    """Parse `text` as the activity's new content without saving anything."""
    text = text.replace("\r\n", "\n")
    try:
        parsed = parse_source(activity, text)
    except ContentError as exc:
        return Preview(None, exc.problems, _readable_questions(activity, text))
    unsaved = Activity(
        id=activity.id,
        course_id=course.id,
        module_id=activity.module_id,
        key=activity.key,
        type=activity.type,
        title=parsed.title,
        minutes=parsed.minutes,
        html=parsed.html,
        spec=parsed.spec,
        objectives=parsed.objectives,
        source=text,
        source_path=activity.source_path,
        published=activity.published,
        version=activity.version,
        archived_at=None,
    )
    unsaved.course = course  # never added to the session: nothing of it is written
    questions = [learner_view(q) for q in parsed.spec.get("questions", [])]
    return Preview(unsaved, [], questions)


def _readable_questions(activity: Activity, text: str) -> list[dict]:
    """Return the questions that parse, so a quiz with a mistake still previews the rest."""
    if activity.type != "quiz":
        return []
    try:
        _meta, body, first_line = split_front_matter(text, activity.source_path)
    except ContentError:
        return []
    reader = read_aiken if activity.source_path.endswith(".aiken") else read_gift
    questions, _problems = reader(body, activity.source_path, first_line)
    return [learner_view(q) for q in questions]
