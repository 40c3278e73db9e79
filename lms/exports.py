"""CSV and XLSX downloads: one writer for every report, safe to open in a spreadsheet.

Cells are read as the viewer reads the page: in CSV, moments in the platform's time zone and dates
and numbers in the viewer's locale (Babel); in XLSX, dates stay dates and numbers stay numbers, with
a number format. Headers come translated from the callers.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from flask import Response
from flask_babel import format_date, get_locale, to_user_timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from werkzeug.http import dump_options_header

from lms.i18n import format_number, format_when

#: Text starting with these would run as a formula in a spreadsheet; such cells get a leading '.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


#: Numbers a report holds (bool is an int, but none of our cells is one).
NUMBERS = (int, float, Decimal)


def safe_cell(value):
    """Return `value` ready for a spreadsheet: text that looks like a formula is neutralised, a
    moment is shown in the platform's time zone (spreadsheets have no time zones)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime):
        return to_user_timezone(value).replace(tzinfo=None)
    return value


def csv_cell(value) -> str:
    """Return a cell as text in the viewer's locale: "7 Des 2026", "7 Des 2026 12.44", "56,67"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_when(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, NUMBERS):
        return format_number(value)
    return safe_cell(str(value))


def to_csv(header: list[str], rows: list[list]) -> bytes:
    """Write a CSV that Excel opens correctly (UTF-8 with a byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(str(h)) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


#: Media types of the download formats (text/csv gets its charset from Flask).
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(data: bytes, fmt: str, filename: str) -> Response:
    """Return `data` as an attachment named `filename` (any characters, safely encoded)."""
    response = Response(data, mimetype=MEDIA_TYPES[fmt])
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    options = {"filename": ascii_name}
    if ascii_name != filename:
        options["filename*"] = "UTF-8''" + quote(filename, safe="")
    response.headers["Content-Disposition"] = dump_options_header("attachment", options)
    return response


def to_xlsx(sheet_title: str, header: list[str], rows: list[list]) -> bytes:
    """Write a one-sheet workbook with a bold, frozen header row; dates and numbers formatted."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append([safe_cell(str(h)) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    day = excel_date_format()
    formats = {
        datetime: day + " hh:mm",
        date: day,
        float: "#,##0.0#",
        Decimal: "#,##0.0#",
    }
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row):
            if type(value) in formats:
                cell.number_format = formats[type(value)]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def excel_date_format() -> str:
    """Return the viewer's short date as an Excel number format ("dd/mm/yyyy" in Indonesian)."""
    pattern = get_locale().date_formats["short"].pattern
    return re.sub("y+", "yyyy", pattern).replace("M", "m")
