"""The cohort page's member table as text: each distinct date and number is formatted once.

Babel's date formatting costs more than the rest of a table row, and a page shows hundreds of
cells with a few dozen distinct values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import format_date, get_timezone

from lms.cohorts.report import MemberReport
from lms.i18n import format_number


@dataclass(slots=True)
class MemberLine:
    """One member's row of the table, with its dates and numbers formatted."""

    member: MemberReport
    #: The best score on each quiz column, or "—".
    scores: list[str]
    last_active: str
    jp: str
    below_target: bool


class _Memo(dict):
    """Remember `function(value)` for each value asked."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, value):
        result = self[value] = self.function(value)
        return result


def member_lines(
    members: list[MemberReport],
    quiz_ids: list[int],
    jp: dict[int, Decimal],
    jp_target: int,
) -> list[MemberLine]:
    """Return the table rows of `members`: a score per quiz, the last active day, JP this year."""
    numbers, days, zone = _Memo(format_number), _Memo(format_date), get_timezone()
    lines = []
    for m in members:
        hours = jp.get(m.user_id, 0)
        scores = [
            numbers[m.quiz_scores[q]] if q in m.quiz_scores else "—" for q in quiz_ids
        ]
        # the day in the user's time zone, as format_date(datetime) shows it
        last_active = (
            days[m.last_active.astimezone(zone).date()] if m.last_active else "—"
        )
        lines.append(
            MemberLine(m, scores, last_active, numbers[hours], hours < jp_target)
        )
    return lines
