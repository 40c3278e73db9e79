"""Cut a GIFT file into question blocks that remember which file line each character is on."""

from __future__ import annotations

from dataclasses import dataclass, field

from lms.quiz.text import protect


@dataclass
class Block:
    """One question's text (escapes hidden, comment lines left out) and where it sits in the file."""

    #: The block's lines joined by newlines, with GIFT escapes hidden by `protect`.
    text: str
    #: File line of each line of `text` (comment lines are left out of `text`).
    line_numbers: list[int]
    #: (offset in `text`, message) for each problem found while reading the block.
    problems: list[tuple[int, str]] = field(default_factory=list)

    def line_at(self, offset: int) -> int:
        """Return the file line of the character at `offset`."""
        return self.line_numbers[self.text.count("\n", 0, max(offset, 0))]

    @property
    def first_line(self) -> int:
        """Return the file line where the question starts."""
        return self.line_numbers[0]

    def problem(self, offset: int, message: str) -> None:
        """Record a problem at `offset`; the question is dropped but reading goes on."""
        self.problems.append((offset, message))

    def rest_after_first_line(self) -> Block:
        """Return the block without its first line (what follows a `$CATEGORY:` line)."""
        _, _, rest = self.text.partition("\n")
        return Block(rest, self.line_numbers[1:])


def split_blocks(source: str, first_line: int = 1) -> list[Block]:
    """Split GIFT source into blocks separated by blank lines, dropping `//` comment lines."""
    blocks: list[Block] = []
    current: list[
        tuple[int, str | None]
    ] = []  # (file line, text or None for a comment)
    lines = source.replace("\r\n", "\n").split("\n")
    for number, line in enumerate(lines, start=first_line):
        stripped = line.strip()
        if not stripped:
            _close(current, blocks)
            current = []
        else:
            current.append((number, None if stripped.startswith("//") else line))
    _close(current, blocks)
    return blocks


def _close(lines: list[tuple[int, str | None]], blocks: list[Block]) -> None:
    """Turn the collected lines into a block, leaving out comment lines."""
    if any(text is not None for _, text in lines):
        kept = [(number, text) for number, text in lines if text is not None]
        text = "\n".join(text for _, text in kept)
        blocks.append(Block(protect(text), [number for number, _ in kept]))
