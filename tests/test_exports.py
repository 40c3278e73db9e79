"""Downloads read as the viewer reads the page: moments in Jakarta, dates and numbers in their locale."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from lms.exports import to_csv, to_xlsx

#: 20:30 UTC on 1 March is 03:30 on 2 March in Jakarta.
ROW = [
    datetime(2026, 3, 1, 20, 30, tzinfo=UTC),
    date(2026, 3, 2),
    Decimal("2.25"),
    56.666,
    2026,
    None,
    "=1+1",
]


def csv_row(app, language):
    # a fresh app context: the locale and its decimal symbol are kept per context
    with (
        app.app_context(),
        app.test_request_context("/", headers={"Accept-Language": language}),
    ):
        text = to_csv(["a", "b", "c", "d", "e", "f", "g"], [ROW]).decode("utf-8")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1]


def test_csv_writes_moments_in_jakarta_and_numbers_in_the_viewers_locale(app):
    assert csv_row(app, "id") == [
        "2 Mar 2026 03.30",
        "2 Mar 2026",
        "2,25",
        "56,67",
        "2026",
        "",
        "'=1+1",
    ]
    english = csv_row(app, "en")
    assert english[0].replace("\u202f", " ") == "Mar 2, 2026, 3:30 AM"
    assert english[1:5] == ["Mar 2, 2026", "2.25", "56.67", "2026"]


def test_xlsx_keeps_dates_and_numbers_as_such_with_a_format(app):
    with app.test_request_context("/", headers={"Accept-Language": "id"}):
        data = to_xlsx("Lembar", ["a", "b", "c", "d", "e", "f", "g"], [ROW])
    (_header, cells) = load_workbook(io.BytesIO(data)).active.iter_rows()
    assert [c.value for c in cells] == [datetime(2026, 3, 2, 3, 30), datetime(2026, 3, 2), 2.25, 56.666, 2026,
                                        None, "'=1+1"]  # fmt: skip
    assert [c.number_format for c in cells[:4]] == [
        "d/m/yyyy hh:mm",
        "d/m/yyyy",
        "#,##0.0#",
        "#,##0.0#",
    ]
