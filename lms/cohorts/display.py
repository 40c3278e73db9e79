"""The cohort page's member table as HTML, built with `markupsafe.escape`.

Rendering a hundred rows through Jinja (a dozen escaped expressions each) cost more than the rest
of the page, and Babel's date formatting more than the rest of a row: rows are built here, each
distinct date and number formatted once per page.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from flask_babel import format_date, get_timezone
from flask_babel import gettext as _
from markupsafe import Markup, escape

from lms.cohorts.report import MemberReport, UnitSummary
from lms.i18n import format_number


def status_labels() -> dict[str, str]:
    """Return the members' statuses in the interface language."""
    return {"not_started": _("Not started"), "in_progress": _("In progress"), "completed": _("Completed"),
            "overdue": _("Overdue")}  # fmt: skip


class _Memo(dict):
    """Remember `function(value)` for each value asked."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, value):
        result = self[value] = self.function(value)
        return result


def member_rows(members: list[MemberReport], quiz_ids: list[int], jp: dict[int, Decimal], jp_target: int,
                manage: bool, detail: tuple[str, str] = ("", "")) -> Markup:  # fmt: skip
    """Return the table rows of `members`: a score per quiz, the last active day, JP this year.

    `detail` is (the URL of a member's page up to their id, the query string after it): each name
    links there.
    """
    rows = _format(members, quiz_ids, jp, jp_target, manage, get_timezone(), detail)
    return Markup("".join([rows[m.user_id] for m in members]))


def _format(members, quiz_ids, jp, jp_target, manage, zone, detail) -> dict[int, str]:
    prefix, query = escape(detail[0]), escape(detail[1])
    numbers, days = (
        _Memo(lambda v: escape(format_number(v))),
        _Memo(lambda d: escape(format_date(d))),
    )
    statuses = {key: escape(label) for key, label in status_labels().items()}
    behind, below = escape(_("behind")), escape(_("below %(n)d", n=jp_target))
    behind, below = (
        f" · <strong>{behind}</strong>",
        f' <span class="badge">{below}</span>',
    )
    select = escape(_("Select %(name)s", name="%(name)s"))
    rows = {}
    for m in members:
        name, hours = escape(m.name), jp.get(m.user_id, 0)
        if prefix:
            name = f'<a href="{prefix}{m.user_id}{query}">{name}</a>'

        box = (f'<td><input type="checkbox" name="member" value="{m.user_id}" id="m-{m.user_id}" '
               f'aria-label="{select % {"name": m.name}}"></td>') if manage else ""  # fmt: skip
        scores = "".join(
            f"<td>{numbers[m.quiz_scores[q]] if q in m.quiz_scores else '—'}</td>"
            for q in quiz_ids
        )
        # the day in the user's time zone, as format_date(datetime) shows it
        last_active = (
            days[m.last_active.astimezone(zone).date()] if m.last_active else "—"
        )
        rows[m.user_id] = (
            f'\n    <tr class="status-{escape(m.status)}">\n      {box}\n'
            f'      <th scope="row" class="sticky">{name}</th>\n'
            f"      <td>{statuses[m.status]}{behind if m.behind else ''}</td>\n"
            f"      <td>{m.percent}%</td><td>{last_active}</td>\n"
            f"      <td>{numbers[hours]}{below if hours < jp_target else ''}</td>\n"
            f'      <td>{escape(m.nip or "—")}</td><td class="unit">{escape(m.unit_name)}</td>\n'
            f"      <td>{m.done}/{m.total}</td>\n      {scores}\n    </tr>\n  "
        )  # fmt: skip
    return rows


def unit_rows(units: list[UnitSummary], below: Counter) -> Markup:
    """Return the rows of the per-unit summary table (the same in every language)."""
    return Markup("".join(
        f'<tr><th scope="row">{escape(u.unit_name)}</th><td>{u.members}</td><td>{u.completed}</td>'
        f"<td>{u.overdue}</td><td>{u.average_percent}%</td><td>{below[u.unit_name]}</td></tr>"
        for u in units
    ))  # fmt: skip
