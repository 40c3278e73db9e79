"""The survey text format: section lines and question lines, read in one pass (docs/course-format.md)."""

from __future__ import annotations

from lms.content.errors import ContentError, ContentProblem
from lms.content.limits import MAX_CHOICES, MAX_SURVEY_ITEMS, MAX_SURVEY_TEXT_CHARS
from lms.content.reader import SLUG_RE

#: Question types and what they ask for.
QUESTION_TYPES = ("likert", "choice", "multiple", "scale", "text", "longtext")
#: The numbers whose labels a rating question must give (its two ends).
ENDS = {"likert": (1, 5), "scale": (0, 10)}
#: Types answered with a number (means are reported for them).
RATED = ("likert", "scale")
FACILITATOR_MARK = "@facilitator"


def parse_survey(body: str, path: str, first_line: int = 1) -> list[dict]:
    """Read the questions and sections of a survey body; raise ContentError with every problem."""
    items: list[dict] = []
    problems: list[ContentProblem] = []
    keys: set[str] = set()
    question: dict | None = None
    for offset, raw in enumerate(body.splitlines()):
        line_no = first_line + offset
        stripped = raw.strip()
        if not stripped or stripped.startswith("//"):
            continue
        if len(stripped) > MAX_SURVEY_TEXT_CHARS + 100:
            problems.append(ContentProblem(path, line_no, f"line longer than {MAX_SURVEY_TEXT_CHARS} characters (MAX_SURVEY_TEXT_CHARS)"))  # fmt: skip
            continue
        if raw[0] in " \t":
            if question is None:
                problems.append(ContentProblem(path, line_no, "an indented line belongs under a question"))  # fmt: skip
            else:
                _detail(question, stripped, path, line_no, problems)
            continue
        question = None
        if len(items) >= MAX_SURVEY_ITEMS:
            raise ContentError(problems + [ContentProblem(path, line_no, f"more than {MAX_SURVEY_ITEMS} questions and sections (MAX_SURVEY_ITEMS)")])  # fmt: skip
        if stripped.startswith("## "):
            items.append(
                {"kind": "section", "title": stripped[3:].strip(), "line": line_no}
            )
            continue
        question = _question(stripped, path, line_no, keys, problems)
        if question is not None:
            items.append(question)
    for item in items:
        if item["kind"] == "question":
            _complete(item, path, problems)
    if not problems and not any(i["kind"] == "question" for i in items):
        problems.append(ContentProblem(path, first_line, "a survey needs at least one question"))  # fmt: skip
    if problems:
        raise ContentError(problems)
    return items


def _question(
    line: str, path: str, line_no: int, keys: set, problems: list
) -> dict | None:
    """Read a question line `type[*] key [@facilitator]: text`."""
    head, colon, text = line.partition(":")
    words = head.split()
    if not colon or not 2 <= len(words) <= 3 or not text.strip():
        problems.append(ContentProblem(path, line_no, "expected a question 'type key: text' (type one of " + ", ".join(QUESTION_TYPES) + ") or a section '## Title'"))  # fmt: skip
        return None
    kind, key = words[0], words[1]
    required = kind.endswith("*")
    kind = kind.rstrip("*")
    if kind not in QUESTION_TYPES:
        problems.append(ContentProblem(path, line_no, f"unknown question type '{kind}' (known: {', '.join(QUESTION_TYPES)})"))  # fmt: skip
        return None
    if not SLUG_RE.match(key) or len(key) > 60:
        problems.append(ContentProblem(path, line_no, f"question key '{key}' must be lower-case letters, digits and hyphens (at most 60)"))  # fmt: skip
        return None
    if key in keys:
        problems.append(ContentProblem(path, line_no, f"question key '{key}' is used twice"))  # fmt: skip
        return None
    if len(words) == 3 and words[2] != FACILITATOR_MARK:
        problems.append(ContentProblem(path, line_no, f"expected '{FACILITATOR_MARK}' after the key, not '{words[2]}'"))  # fmt: skip
        return None
    keys.add(key)
    return {"kind": "question", "type": kind, "key": key, "text": text.strip(), "required": required,
            "facilitator": len(words) == 3, "choices": [], "labels": {}, "line": line_no}  # fmt: skip


def _detail(question: dict, line: str, path: str, line_no: int, problems: list) -> None:
    """Read an indented line under a question: a choice `- text` or an end label `N: text`."""
    kind = question["type"]
    if line.startswith("- ") and kind in ("choice", "multiple"):
        if len(question["choices"]) >= MAX_CHOICES:
            problems.append(ContentProblem(path, line_no, f"more than {MAX_CHOICES} choices (MAX_CHOICES)"))  # fmt: skip
        elif line[2:].strip() in question["choices"]:
            problems.append(ContentProblem(path, line_no, "the same choice is given twice"))  # fmt: skip
        else:
            question["choices"].append(line[2:].strip())
        return
    number, colon, label = line.partition(":")
    if kind in ENDS and colon and number.strip().isdigit() and label.strip():
        if int(number) in ENDS[kind]:
            question["labels"][str(int(number))] = label.strip()
            return
        problems.append(ContentProblem(path, line_no, f"a {kind} question labels its ends, {ENDS[kind][0]} and {ENDS[kind][1]}"))  # fmt: skip
        return
    wanted = {"choice": "choices '- text'", "multiple": "choices '- text'", "likert": "end labels '1: text' and '5: text'",
              "scale": "end labels '0: text' and '10: text'"}.get(kind, "nothing")  # fmt: skip
    problems.append(ContentProblem(path, line_no, f"a {kind} question takes {wanted} on its indented lines"))  # fmt: skip


def _complete(question: dict, path: str, problems: list) -> None:
    """Check that a question has what its type needs."""
    kind, line_no = question["type"], question["line"]
    if len(question["text"]) > MAX_SURVEY_TEXT_CHARS:
        problems.append(ContentProblem(path, line_no, f"question text longer than {MAX_SURVEY_TEXT_CHARS} characters (MAX_SURVEY_TEXT_CHARS)"))  # fmt: skip
    if kind in ("choice", "multiple") and len(question["choices"]) < 2:
        problems.append(ContentProblem(path, line_no, f"a {kind} question needs at least two choices ('- text' lines under it)"))  # fmt: skip
    if kind in ENDS and set(question["labels"]) != {str(n) for n in ENDS[kind]}:
        low, high = ENDS[kind]
        problems.append(ContentProblem(path, line_no, f"a {kind} question needs labels for both ends: '{low}: text' and '{high}: text' under it"))  # fmt: skip


def questions(spec: dict) -> list[dict]:
    """Return the questions of a survey's spec, in order."""
    return [item for item in spec.get("items", []) if item["kind"] == "question"]
