"""CSV and XLSX downloads: one writer for every report, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

#: Text starting with these would run as a formula in a spreadsheet; such cells get a leading '.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return `value` ready for a spreadsheet: text that looks like a formula is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)  # spreadsheets have no time zones
    return value


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """Write a CSV that Excel opens correctly (UTF-8 with a byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if v is None else safe_cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(
    sheet_title: str,
    header: list[str],
    rows: list[list],
    date_columns: tuple[str, ...] = (),
) -> bytes:
    """Write a one-sheet workbook with a bold, frozen header row."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for column in date_columns:
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
