"""Small readers for the parts of a GIFT answer block: pieces, weights, feedback, formats."""

from __future__ import annotations

import itertools
import re

from flask_babel import lazy_gettext as _l

from lms.content.limits import LimitError
from lms.quiz.gift_blocks import Block
from lms.quiz.text import rich, split_format, unprotect

_WEIGHT = re.compile(r"\s*%(-?[0-9]*\.?[0-9]*)%")


def pieces(text: str, offset: int, markers: str) -> list[tuple[str, str, int]]:
    """Split text before each marker character: (marker, piece, offset of piece in the block)."""
    found = [
        (m.start(), m.group()) for m in re.finditer(f"[{re.escape(markers)}]", text)
    ]
    bounds = [(-1, "")] + found + [(len(text), "")]
    out = []
    for (start, marker), (end, _) in itertools.pairwise(bounds):
        out.append((marker, text[start + 1 : end], offset + start + 1))
    return out


def take_weight(piece: str, block: Block, offset: int) -> tuple[float | None, str]:
    """Split a leading `%50%` weight off an answer; return (fraction or None, rest)."""
    match = _WEIGHT.match(piece)
    if not match:
        return None, piece
    try:
        percent = float(match.group(1))
    except ValueError:
        block.problem(
            offset, _l("answer weight %%%(w)s%% is not a number", w=match.group(1))
        )
        return None, piece[match.end() :]
    if not -100 <= percent <= 100:
        block.problem(
            offset,
            _l("answer weight %(w)s%% is outside -100%%..100%%", w=match.group(1)),
        )
    # Moodle keeps fractions to 7 decimals; so do we, which keeps export/import exact.
    return round(percent / 100, 7), piece[match.end() :]


def feedback_split(piece: str, fmt: str, block: Block, offset: int) -> tuple[str, dict]:
    """Split `text # feedback`; return the protected text and the rendered feedback fields."""
    text, _, feedback = piece.partition("#")
    return text, formatted("feedback", feedback, fmt, block, offset)


def formatted(prefix: str, protected: str, fmt: str, block: Block, offset: int) -> dict:
    """Read a text with an optional `[format]` tag into its raw/format/HTML fields."""
    try:
        fmt, text = split_format(protected, fmt)
    except ValueError as error:
        block.problem(offset, str(error))
        text = unprotect(protected).strip()
    try:
        return rich(prefix, text, fmt)
    except LimitError as error:
        block.problem(offset + line_offset(protected, error.line), error.message)
        return {**rich(prefix, "", fmt), prefix: text}


def line_offset(protected: str, line: int | None) -> int:
    """Return the offset in `protected` of line `line` of its stripped text (0 for None)."""
    pos = len(protected) - len(protected.lstrip())
    for _ in range((line or 1) - 1):
        found = protected.find("\n", pos)
        if found < 0:
            break
        pos = found + 1
    return pos
