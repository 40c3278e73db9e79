"""What a reviewer flags mechanically in a course's quizzes: warnings, not errors (no database)."""

from __future__ import annotations

from lms.content.errors import ContentProblem
from lms.content.frontmatter import split_front_matter
from lms.quiz.gift_blocks import Block, split_blocks

#: A keyed option at least this many times longer than every other option gives the answer away.
LONGER_BY = 1.5
#: Characters GIFT readers such as Moodle treat as markup unless escaped with a backslash.
RESERVED_IN_TEXT = ":=~#"
#: In an answer block `= ~ #` are the markup itself; only `:` may still be meant literally.
RESERVED_IN_ANSWERS = ":"


def review_courses(courses) -> list[ContentProblem]:
    """Return the warnings for every quiz of the given courses, in course order."""
    return [
        warning
        for course in courses
        for activity in course.activities
        if activity.type == "quiz"
        for warning in review_quiz(activity)
    ]


def review_quiz(activity) -> list[ContentProblem]:
    """Return the warnings for one quiz activity read from a course folder."""
    path, questions = activity.source_path, activity.parsed.spec["questions"]
    warnings = [
        ContentProblem(path, question.get("line"), message)
        for question in questions
        if (message := keyed_longest(question))
    ]
    if message := one_way_truefalse(questions):
        warnings.append(ContentProblem(path, None, message))
    if path.endswith(".gift"):
        warnings += unescaped_characters(activity.source, path)
    return warnings


def keyed_longest(question: dict) -> str | None:
    """Say when the keyed option(s) are much longer than every other option, else None."""
    if question["type"] not in ("multichoice", "multiresponse"):
        return None
    keyed = [len(c["text"]) for c in question["choices"] if c["fraction"] > 0]
    others = [len(c["text"]) for c in question["choices"] if c["fraction"] <= 0]
    if not keyed or not others or min(keyed) < LONGER_BY * max(others):
        return None
    return (
        f"the keyed option is {min(keyed) / max(others):.1f} times longer than every "
        "other option: shorten it or give the other options the same care"
    )


def one_way_truefalse(questions: list[dict]) -> str | None:
    """Say when a quiz's true/false questions (two or more) are all keyed the same way."""
    keys = {q["answer"] for q in questions if q["type"] == "truefalse"}
    count = sum(q["type"] == "truefalse" for q in questions)
    if count < 2 or len(keys) != 1:
        return None
    side = "true" if keys.pop() else "false"
    return (
        f"all {count} true/false questions are keyed {side}: a learner can guess them"
    )


def unescaped_characters(source: str, path: str) -> list[ContentProblem]:
    """Find characters that GIFT readers take as markup, left unescaped in question text."""
    _, body, first_line = split_front_matter(source, path)
    warnings = []
    for block in split_blocks(body, first_line):
        if block.text.lstrip().startswith("$CATEGORY:"):
            block = block.rest_after_first_line()
        warnings += [
            ContentProblem(path, block.line_at(at), message)
            for at, message in _unescaped_in_question(block)
        ]
    return warnings


def _unescaped_in_question(block: Block) -> list[tuple[int, str]]:
    """Return (offset, message) for each kind of reserved character left in one question."""
    text = block.text
    start = len(text) - len(text.lstrip())
    if text.startswith("::", start) and (end := text.find("::", start + 2)) >= 0:
        start = end + 2
    opening = text.find("{", start)
    closing = text.rfind("}") if opening >= 0 else -1
    if opening < 0 or closing < opening:
        parts = [(start, text[start:], RESERVED_IN_TEXT, "question text")]
    else:
        answer = text[opening + 1 : closing]
        numerical = answer.lstrip().startswith("#")
        parts = [
            (start, text[start:opening], RESERVED_IN_TEXT, "question text"),
            (closing + 1, text[closing + 1 :], RESERVED_IN_TEXT, "question text"),
            (opening + 1, answer, "" if numerical else RESERVED_IN_ANSWERS, "answers"),
        ]
    return [
        (offset + at, _unescaped_message(char, where))
        for offset, part, reserved, where in parts
        for char in reserved
        if (at := part.find(char)) >= 0
    ]


def _unescaped_message(char: str, where: str) -> str:
    """Say which reserved character was left unescaped, where, and how to write it."""
    hint = "Moodle and other GIFT readers take it as markup"
    return f"unescaped '{char}' in the {where}: write \\{char} ({hint})"
