"""Read quiz questions written in Moodle's GIFT format."""

from __future__ import annotations

from lms.content.errors import ContentError, ContentProblem
from lms.quiz.gift_answers import BUILDERS, answer_type
from lms.quiz.gift_blocks import Block, split_blocks
from lms.quiz.gift_pieces import formatted
from lms.quiz.text import (
    BLANK,
    BLANK_MARK,
    NONCHARACTERS,
    render_with_blank,
    slugify,
    split_format,
    unprotect,
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
    """Parse GIFT questions, returning the good questions and the problems found in the rest."""
    questions: list[dict] = []
    problems: list[ContentProblem] = []
    category = None
    for block in split_blocks(text, first_line):
        if NONCHARACTERS.search(block.text.replace("\ufdd0", "")):
            # These characters are reserved for hiding escapes while the text is split.
            problems.append(ContentProblem(path, block.first_line, "text has Unicode noncharacters"))
            continue
        if block.text.lstrip().startswith("$CATEGORY:"):
            first = block.text.partition("\n")[0]
            category = unprotect(first.partition(":")[2]).strip() or None
            block = block.rest_after_first_line()
            if not block.text.strip():
                continue
        question = read_question(block, default_format)
        problems += [ContentProblem(path, block.line_at(at), msg) for at, msg in block.problems]
        if not block.problems:
            questions.append({**question, "category": category})
    return _with_keys(questions), problems


def read_question(block: Block, default_format: str) -> dict:
    """Read one question block (problems are recorded on the block)."""
    body = block.text
    pos = len(body) - len(body.lstrip())
    name = ""
    if body.startswith("::", pos):
        end = body.find("::", pos + 2)
        if end < 0:
            block.problem(pos, "the question name has no closing '::' (escape a colon as \\:)")
            return {}
        name = unprotect(body[pos + 2 : end]).strip()
        pos = end + 2
    opening, closing = body.find("{", pos), body.find("}", pos)
    if opening < 0 and closing < 0:
        return _question("description", name, block, pos, body[pos:], None, "", default_format)
    if opening < 0 or 0 <= closing < opening:
        block.problem(closing, "'}' without an opening '{' (escape a literal brace as \\})")
        return {}
    if closing < 0 or "{" in body[opening + 1 : closing]:
        block.problem(
            opening,
            "'{' is not closed by '}' (a blank line ends a question: write \\n for a new line)",
        )
        return {}
    after = body[closing + 1 :]
    if "{" in after or "}" in after:
        stray = closing + 1 + min(i for i in (after.find("{"), after.find("}")) if i >= 0)
        block.problem(stray, "a question has only one answer block {...} (escape braces as \\{)")
        return {}
    stem = body[pos:opening]
    if after.strip():
        stem += BLANK_MARK + after  # Missing word: the answer block sits inside the sentence.
    answer = body[opening + 1 : closing]
    return _question("", name, block, pos, stem, opening, answer, default_format)


def _question(
    kind: str,
    name: str,
    block: Block,
    stem_at: int,
    stem: str,
    opening: int | None,
    answer: str,
    default_format: str,
) -> dict:
    """Build the question dict from its parts: name, stem text and answer block."""
    try:
        fmt, text = split_format(stem, default_format)
    except ValueError as error:
        block.problem(stem_at, str(error))
        return {}
    blank_at = text.find(BLANK_MARK) if BLANK_MARK in text else None
    text = text.replace(BLANK_MARK, BLANK)
    if not text:
        block.problem(stem_at, "the question has no text")
    general = answer.rfind("####")
    general_text = answer[general + 4 :] if general >= 0 else ""
    answer = answer[:general] if general >= 0 else answer
    answer_at = (opening or 0) + 1
    kind = kind or answer_type(answer)
    fields = BUILDERS[kind](answer, answer_at, fmt, block) if kind in BUILDERS else {}
    kind = fields.pop("type", kind)
    return {
        "key": "",
        "type": kind,
        "name": name,
        "line": block.first_line,
        "category": None,
        "format": fmt,
        "text": text,
        "text_html": render_with_blank(text, fmt, blank_at),
        "missing_word": blank_at is not None,
        "blank_at": blank_at,
        **formatted("general_feedback", general_text, fmt, block, answer_at + max(general, 0)),
        **fields,
    }


def _with_keys(questions: list[dict]) -> list[dict]:
    """Key each question by its slugified name when unique, else by its position (`q3`)."""
    slugs = [slugify(q["name"]) for q in questions]
    named = [s if s and slugs.count(s) == 1 else "" for s in slugs]
    while True:
        keys = [key or f"q{n}" for n, key in enumerate(named, start=1)]
        # A name like "Q3" may clash with the positional key of question 3: it yields.
        clash = next((n for n, key in enumerate(named) if key and keys.count(key) > 1), None)
        if clash is None:
            break
        named[clash] = ""
    for question, key in zip(questions, keys, strict=True):
        question["key"] = key
    return questions
