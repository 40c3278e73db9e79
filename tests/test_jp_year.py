"""'My JP this year' counts the year in the platform's time zone (Asia/Jakarta), not the server's."""

from datetime import UTC, date, datetime
from decimal import Decimal

from lms.extensions import db
from lms.models import JpRecord


def test_my_courses_shows_the_jakarta_year_at_new_year(
    client, auth, make_user, monkeypatch
):
    ani = make_user(email="ani@example.org")
    for year, hours in [(2026, "12"), (2027, "3.5")]:
        db.session.add(JpRecord(user_id=ani.id, year=year, hours=Decimal(hours),
                                earned_on=date(year, 1, 1), source="manual", title="Pelatihan"))  # fmt: skip
    db.session.commit()
    auth.login("ani@example.org")
    # 31 December 23:59 UTC is 1 January 06:59 in Jakarta: the new JP year has begun.
    monkeypatch.setattr("lms.ledger.records.utcnow",
                        lambda: datetime(2026, 12, 31, 23, 59, tzinfo=UTC))  # fmt: skip
    page = client.get("/my/").get_data(as_text=True)
    assert "2027" in page and "3,5" in page
    assert "2026" not in page
    monkeypatch.setattr("lms.ledger.records.utcnow",
                        lambda: datetime(2026, 12, 31, 16, 59, tzinfo=UTC))  # fmt: skip
    page = client.get("/my/").get_data(as_text=True)
    assert "2026" in page and "12" in page and "3,5" not in page
