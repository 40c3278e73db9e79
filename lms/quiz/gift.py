"""Read quiz questions written in Moodle's GIFT format."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.content.errors import ContentError, ContentProblem
from lms.content.limits import (
    MAX_CHOICES,
    MAX_QUESTIONS,
    MAX_QUIZ_CHOICES,
    LimitError,
    check_size,
    too_many,
)
from lms.content.render import one_renderer
from lms.quiz.gift_answers import BUILDERS, answer_type
from lms.quiz.gift_blocks import Block, split_blocks
from lms.quiz.gift_pieces import formatted, line_offset
from lms.quiz.text import (
    BLANK,
    BLANK_MARK,
    NONCHARACTERS,
    render_with_blank,
    slugify,
    split_format,
    unprotect,
)

_UNCLOSED = _l(
    "'{' is not closed by '}' (a blank line ends a question: write \\n for a new line)"
)
_SECOND_BLOCK = _l(
    "a question has only one answer block {...} (escape braces as \\{ \\})"
)


def parse_gift(
    text: str, path: str, first_line: int = 1, default_format: str = "markdown"
) -> list[dict]:
    """Parse GIFT questions; raise ContentError listing every problem with its file line."""
    questions, problems = read_gift(text, path, first_line, default_format)
    if problems:
        raise ContentError(problems)
    return questions


def read_gift(
    text: str, path: str, first_line: int = 1, default_format: str = "markdown"
) -> tuple[list[dict], list[ContentProblem]]:
    """Parse GIFT questions, returning the good questions and the problems found in the rest.

    Nothing is rendered past MAX_QUESTIONS, MAX_CHOICES or MAX_QUIZ_CHOICES: the problem names
    the limit instead.
    """
    problems: list[ContentProblem] = []
    try:
        check_size(text)
    except LimitError as error:
        return [], [ContentProblem(path, first_line, error.message)]
    blocks = split_blocks(text, first_line)
    limit = _past_limits(blocks)
    if limit is not None:
        return [], [ContentProblem(path, limit.line, limit.message)]
    # These characters are reserved for hiding escapes while the text is split.
    problems += [
        ContentProblem(
            path, n, _l("the line has Unicode noncharacters (U+FDD0..U+FDEF)")
        )
        for n, line in enumerate(text.split("\n"), start=first_line)
        if NONCHARACTERS.search(line)
    ]
    with one_renderer():
        questions = _read_blocks(blocks, path, default_format, problems)
    return _with_keys(questions), problems


def _read_blocks(
    blocks: list[Block], path: str, default_format: str, problems: list
) -> list[dict]:
    """Read each question block; record the problems of those that do not read."""
    questions: list[dict] = []
    category = None
    for block in blocks:
        if block.text.lstrip().startswith("$CATEGORY:"):
            first = block.text.partition("\n")[0]
            category = unprotect(first.partition(":")[2]).strip() or None
            block = block.rest_after_first_line()
            if not block.text.strip():
                continue
        question = read_question(block, default_format)
        problems += [
            ContentProblem(path, block.line_at(at), msg) for at, msg in block.problems
        ]
        if not block.problems:
            questions.append({**question, "category": category})
    return questions


def _past_limits(blocks: list[Block]) -> LimitError | None:
    """Return the first limit the questions pass (counting before rendering), or None."""
    questions = [b for b in blocks if not _only_category(b)]
    if len(questions) > MAX_QUESTIONS:
        error = too_many(
            len(questions), MAX_QUESTIONS, "MAX_QUESTIONS", _l("Questions")
        )
        error.line = questions[MAX_QUESTIONS].first_line
        return error
    total = 0
    for block in questions:
        opening, closing = block.text.find("{"), block.text.rfind("}")
        answers = block.text[opening:closing] if 0 <= opening < closing else ""
        count = answers.count("=") + answers.count("~")
        total += count
        if count > MAX_CHOICES:
            what = _l("Choices or answers of one question")
            error = too_many(count, MAX_CHOICES, "MAX_CHOICES", what)
        elif total > MAX_QUIZ_CHOICES:
            what = _l("Choices, answers and pairs of the whole quiz")
            error = too_many(total, MAX_QUIZ_CHOICES, "MAX_QUIZ_CHOICES", what)
        else:
            continue
        error.line = block.line_at(opening)
        return error
    return None


def _only_category(block: Block) -> bool:
    """Tell whether a block holds only a `$CATEGORY:` line."""
    text = block.text.strip()
    return text.startswith("$CATEGORY:") and "\n" not in text


@dataclass
class _Parts:
    """A question block cut at its name and its answer block (texts still protected)."""

    name: str
    #: Text before the answer block; for a missing word, BLANK_MARK and the text after it.
    stem: str
    stem_at: int
    #: Inside of `{...}`, or None for a description (no answer block).
    answer: str | None
    answer_at: int


def read_question(block: Block, default_format: str) -> dict:
    """Read one question block (problems are recorded on the block)."""
    parts = _cut(block)
    return {} if parts is None else _build(parts, block, default_format)


def _cut(block: Block) -> _Parts | None:
    """Find the question's name, its text and its single answer block."""
    body = block.text
    pos = len(body) - len(body.lstrip())
    name = ""
    if body.startswith("::", pos):
        end = body.find("::", pos + 2)
        if end < 0:
            block.problem(
                pos, _l("the question name has no closing '::' (escape : as \\:)")
            )
            return None
        name = unprotect(body[pos + 2 : end]).strip()
        pos = end + 2
    opening, closing = body.find("{", pos), body.find("}", pos)
    if opening < 0 and closing < 0:
        return _Parts(name, body[pos:], pos, None, pos)
    if opening < 0 or 0 <= closing < opening:
        block.problem(closing, _l("'}' without an opening '{' (escape a brace as \\})"))
        return None
    if closing < 0 or "{" in body[opening + 1 : closing]:
        block.problem(opening, _UNCLOSED)
        return None
    after = body[closing + 1 :]
    stray = [i for i in (after.find("{"), after.find("}")) if i >= 0]
    if stray:
        block.problem(closing + 1 + min(stray), _SECOND_BLOCK)
        return None
    stem = body[pos:opening]
    if after.strip():
        # Missing word: the answer block sits inside the sentence.
        stem += BLANK_MARK + after
    return _Parts(name, stem, pos, body[opening + 1 : closing], opening + 1)


def _build(parts: _Parts, block: Block, default_format: str) -> dict:
    """Build the question dict from its name, text and answer block."""
    try:
        fmt, text = split_format(parts.stem, default_format)
    except ValueError as error:
        block.problem(parts.stem_at, str(error))
        return {}
    blank_at = text.find(BLANK_MARK) if BLANK_MARK in text else None
    text = text.replace(BLANK_MARK, BLANK)
    if not text:
        block.problem(parts.stem_at, _l("the question has no text"))
    answer, general, general_at = parts.answer or "", "", parts.answer_at
    if "####" in answer:
        cut = answer.rfind("####")
        answer, general, general_at = answer[:cut], answer[cut + 4 :], general_at + cut
    kind = "description" if parts.answer is None else answer_type(answer)
    fields = (
        BUILDERS[kind](answer, parts.answer_at, fmt, block) if kind in BUILDERS else {}
    )
    try:
        text_html = render_with_blank(text, fmt, blank_at)
    except LimitError as error:
        block.problem(
            parts.stem_at + line_offset(parts.stem, error.line), error.message
        )
        text_html = ""
    return {
        "key": "",
        "type": fields.pop("type", kind),
        "name": parts.name,
        "line": block.first_line,
        "category": None,
        "format": fmt,
        "text": text,
        "text_html": text_html,
        "missing_word": blank_at is not None,
        "blank_at": blank_at,
        **formatted("general_feedback", general, fmt, block, general_at),
        **fields,
    }


def _with_keys(questions: list[dict]) -> list[dict]:
    """Key each question by its slugified name when unique, else by its position (`q3`)."""
    slugs = [slugify(q["name"]) for q in questions]
    counts = Counter(slugs)
    named = [s if s and counts[s] == 1 else "" for s in slugs]
    while True:
        keys = [key or f"q{n}" for n, key in enumerate(named, start=1)]
        # A name like "Q3" may clash with the positional key of question 3: it yields.
        counts = Counter(keys)
        clash = next(
            (n for n, key in enumerate(named) if key and counts[key] > 1), None
        )
        if clash is None:
            break
        named[clash] = ""
    for question, key in zip(questions, keys, strict=True):
        question["key"] = key
    return questions
