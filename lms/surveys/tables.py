"""A survey report's tables, as its page shows them: for the CSV and XLSX downloads."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.surveys.results import SurveyResults


def figures_table(results: SurveyResults) -> tuple[list[str], list[list]]:
    """Return (header, rows): one row per answer of each question, with its count and percent."""
    header = [_("Question key"), _("Question"), _("Facilitator"), _("Answer"), _("Count"), _("Percent"),
              _("Answered"), _("Mean")]  # fmt: skip
    rows: list[list] = []
    if not results.shown:
        return header, rows
    for item in results.questions:
        about = item.facilitator[1] if item.facilitator else ""
        base = [item.question["key"], item.question["text"], about]
        if not item.shown:
            continue
        if not item.distribution:
            rows.append(base + ["", None, None, item.count, None])
        for label, count in item.distribution:
            percent = round(100 * count / item.count, 1) if item.count else None
            rows.append(base + [label, count, percent, item.count, item.mean])
    return header, rows


def texts_table(results: SurveyResults) -> tuple[list[str], list[list]]:
    """Return (header, rows): each distinct free-text answer with how many gave it, by question
    (alphabetical within one)."""
    header = [
        _("Question key"),
        _("Question"),
        _("Facilitator"),
        _("Answer"),
        _("Count"),
    ]
    rows = [
        [item.question["key"], item.question["text"], item.facilitator[1] if item.facilitator else "", text, count]
        for item in (results.questions if results.shown else [])
        if item.shown
        for text, count in item.texts
    ]  # fmt: skip
    return header, rows
