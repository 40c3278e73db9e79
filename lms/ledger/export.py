"""A learner's ledger as CSV and XLSX, with the same numbers as the page."""

from __future__ import annotations

from flask_babel import gettext as _

from lms.exports import to_csv, to_xlsx
from lms.ledger.forms import KINDS
from lms.ledger.records import APPROVED, Ledger


def ledger_table(ledger: Ledger) -> tuple[list[str], list[list]]:
    """Return the header and the rows of the ledger, ending with the year's total and target."""
    header = [
        _("Year"),
        _("Date"),
        _("Source"),
        _("Type"),
        _("Title"),
        _("Provider"),
        _("Start date"),
        _("End date"),
        _("JP"),
    ]
    rows = []
    for record in ledger.records:
        if record.status != APPROVED:
            continue  # pending and rejected training does not count
        external = record.source == "external"
        rows.append(
            [
                record.year,
                record.earned_on,
                _("External") if external else _("Course"),
                str(KINDS.get(record.kind, record.kind)) if external else "",
                record.title,
                record.provider,
                record.starts_on,
                record.ends_on,
                record.hours,
            ]
        )
    rows.append([ledger.year, None, _("Total"), "", "", "", None, None, ledger.total])
    rows.append(
        [ledger.year, None, _("Yearly target"), "", "", "", None, None, ledger.target]
    )
    return header, rows


def ledger_csv(ledger: Ledger) -> str:
    """Return the ledger as CSV text (with a byte-order mark, so spreadsheets read UTF-8)."""
    header, rows = ledger_table(ledger)
    return to_csv(header, rows).decode("utf-8")


def ledger_xlsx(ledger: Ledger) -> bytes:
    """Return the ledger as an XLSX workbook."""
    header, rows = ledger_table(ledger)
    return to_xlsx(f"JP {ledger.year}", header, rows)
