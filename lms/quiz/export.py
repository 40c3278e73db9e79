"""Write questions back as GIFT, so that `parse_gift(to_gift(questions))` gives them back.

Every question's text carries its `[format]` tag, so Moodle (whose default is its own format),
gift-pegjs and our reader (whose default is Markdown) all read the same format.
"""

from __future__ import annotations

from lms.quiz.text import BLANK, escape


def to_gift(questions: list[dict]) -> str:
    """Return GIFT for the questions; raise ValueError for text GIFT cannot express."""
    blocks, category = [], None
    for question in questions:
        if question.get("category") != category:
            category = question.get("category")
            blocks.append(f"$CATEGORY: {escape(category or '')}".rstrip())
        blocks.append(write_question(question))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_question(q: dict) -> str:
    """Return one question as GIFT (no trailing newline)."""
    head = f"::{escape(q['name'])}::" if q["name"] else ""
    tag = f"[{q['format']}]"
    if q["type"] == "description":
        return head + tag + escape(q["text"])
    block = "{" + _answers(q) + _general_feedback(q) + "}"
    if q["blank_at"] is None:
        return head + tag + escape(q["text"]) + block
    before, after = q["text"][: q["blank_at"]], q["text"][q["blank_at"] + len(BLANK) :]
    return head + tag + escape(before) + block + escape(after)


def _answers(q: dict) -> str:
    """Write the inside of the answer block for the question's type."""
    fmt = q["format"]
    kind = q["type"]
    if kind == "essay":
        return ""
    if kind == "truefalse":
        wrong = _text(q["wrong_feedback"], q["wrong_feedback_format"], fmt)
        right = _text(q["right_feedback"], q["right_feedback_format"], fmt)
        feedback = f"#{wrong}#{right}" if right else (f"#{wrong}" if wrong else "")
        return ("TRUE" if q["answer"] else "FALSE") + feedback
    if kind in ("multichoice", "multiresponse"):
        rights = [n for n, c in enumerate(q["choices"]) if c["fraction"] == 1]
        first = rights[0] if kind == "multichoice" and rights else None
        return (
            "".join(_choice(c, fmt, n == first) for n, c in enumerate(q["choices"]))
            + "\n"
        )
    if kind == "shortanswer":
        lines = [
            "\n\t=" + _weight(a["fraction"]) + _short(a["text"]) + _feedback(a, fmt)
            for a in q["answers"]
        ]
        return _no_arrow("".join(lines)) + "\n"
    if kind == "numerical":
        return "#" + "".join(_numerical(q["answers"], fmt)) + "\n"
    if kind == "matching":
        pairs = [(_text(p["text"], p["format"], fmt), p["answer"]) for p in q["pairs"]]
        pairs += [("", d["answer"]) for d in q["distractors"]]
        return "".join(_pair(left, right) for left, right in pairs) + "\n"
    raise ValueError(f"unknown question type {kind!r}")


def _choice(choice: dict, fmt: str, first_right: bool) -> str:
    """Write one choice: '=' for a single-answer question's first 100% choice, else '~%w%'."""
    text = _text(choice["text"], choice["format"], fmt)
    fraction = choice["fraction"]
    if first_right:
        prefix = "="
    else:
        # A text that itself starts with %...% needs an explicit weight in front of it.
        prefix = "~" + (_weight(fraction) if fraction or text.startswith("%") else "")
    return f"\n\t{prefix}{text}{_feedback(choice, fmt)}"


def _pair(left: str, right: str) -> str:
    """Write one matching pair (an empty left side is an extra wrong answer)."""
    if "->" in left:
        raise ValueError(f"GIFT cannot express '->' in a matching question: {left!r}")
    return f"\n\t={left} -> {escape(right)}"


def _numerical(answers: list[dict], fmt: str) -> list[str]:
    """Write numerical answers; a last catch-all worth 0% as Moodle does, `~#feedback`."""
    lines = []
    for n, answer in enumerate(answers, start=1):
        if n == len(answers) and answer["kind"] == "any" and answer["fraction"] == 0:
            text = _text(answer["feedback"], answer["feedback_format"], fmt)
            lines.append(f"\n\t~#{text}")
        else:
            lines.append("\n\t=" + _number(answer) + _feedback(answer, fmt))
    return lines


def _number(answer: dict) -> str:
    """Write a numerical answer's weight and value, tolerance or range."""
    weight = _weight(answer["fraction"])
    if answer["kind"] == "any":
        return weight + "*"
    if answer["kind"] == "range":
        return f"{weight}{_decimal(answer['min'])}..{_decimal(answer['max'])}"
    return f"{weight}{_decimal(answer['value'])}:{_decimal(answer['tolerance'])}"


def _decimal(value: float) -> str:
    """Write a number exactly, without a needless `.0`."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _weight(fraction: float) -> str:
    """Write a fraction as a GIFT percentage weight, `%33.33333%`."""
    percent = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return f"%{'0' if percent == '-0' else percent}%"


def _feedback(item: dict, fmt: str) -> str:
    """Write `#feedback` when there is any (or when its format differs)."""
    text = _text(item["feedback"], item["feedback_format"], fmt)
    return f"#{text}" if text else ""


def _general_feedback(q: dict) -> str:
    """Write `####general feedback` last in the answer block."""
    text = _text(q["general_feedback"], q["general_feedback_format"], q["format"])
    return f"####{text}" if text else ""


def _text(text: str, fmt: str, question_format: str) -> str:
    """Escape a text, tagging its format when it differs from the question's or could mislead."""
    tag = f"[{fmt}]" if fmt != question_format or text.startswith("[") else ""
    return tag + escape(text)


def _short(text: str) -> str:
    """Escape a short answer (always compared as plain text)."""
    return ("[plain]" if text.startswith("[") else "") + escape(text)


def _no_arrow(answers: str) -> str:
    """Refuse short answers with '->': GIFT would read the question as matching."""
    if "->" in answers:
        raise ValueError("GIFT cannot express '->' in a short-answer question")
    return answers
