"""CSV and XLSX downloads: one writer for every report, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from werkzeug.http import dump_options_header

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
