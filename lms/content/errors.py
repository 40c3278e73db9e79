"""Errors raised while reading course content, always naming the file and the line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentProblem:
    """One thing wrong with a course file: where it is and what is wrong."""

    path: str
    line: int | None
    message: str

    def __post_init__(self):
        # A lazy string counts as safe HTML in templates; the message may quote the author's text.
        object.__setattr__(self, "message", str(self.message))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """A course file (or several) could not be read; carries every problem found."""

    def __init__(
        self,
        problems: list[ContentProblem] | ContentProblem | str,
        line=None,
        message=None,
    ):
        if isinstance(problems, str):
            problems = [ContentProblem(problems, line, message or "")]
        elif isinstance(problems, ContentProblem):
            problems = [problems]
        self.problems: list[ContentProblem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def line(self) -> int | None:
        """Return the line of the first problem."""
        return self.problems[0].line if self.problems else None
