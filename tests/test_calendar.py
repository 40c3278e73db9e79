"""The learner's due dates as a private calendar feed, at an address they can reset."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.cohorts.members import add_member
from lms.extensions import db
from lms.learn.calendar import _fold
from lms.models import CohortModuleDue, Module, User
from tests.cohort_world import TODAY


@pytest.fixture
def member(make_user, auth, cohort):
    user = make_user(email="ani@example.org")
    add_member(cohort, user)
    module = db.session.scalar(select(Module).where(Module.key == "pengantar"))
    db.session.add(
        CohortModuleDue(
            cohort_id=cohort.id, module_id=module.id, due_on=TODAY + timedelta(days=3)
        )
    )
    db.session.commit()
    auth.login("ani@example.org")
    return user


def calendar_address(client) -> str:
    page = client.get("/my/").get_data(as_text=True)
    return re.search(
        r'id="calendar-url" class="calendar-url" value="([^"]+)"', page
    ).group(1)


def test_learner_gets_a_feed_of_due_dates(client, member, cohort):
    assert 'id="calendar-url"' not in client.get("/my/").get_data(as_text=True)
    client.post("/my/calendar")
    url = calendar_address(client)
    assert url.startswith("http://localhost/calendar/") and url.endswith(".ics")
    client.post("/logout")
    response = client.get(
        url.removeprefix("http://localhost")
    )  # a calendar app: no session
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART;VALUE=DATE:{TODAY + timedelta(days=3):%Y%m%d}" in text
    assert (
        "SUMMARY:Tenggat: Pengantar" in text
        and "X-WR-CALNAME:Tenggat Kelas ASN" in text
    )
    assert "http://localhost/courses/contoh-kursus/" in text.replace("\r\n ", "")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_reset_makes_the_old_address_stop_working(client, member):
    client.post("/my/calendar")
    old = calendar_address(client).removeprefix("http://localhost")
    client.post("/my/calendar")
    new = calendar_address(client).removeprefix("http://localhost")
    assert old != new
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_unknown_or_inactive_address_is_404(client, member):
    assert client.get("/calendar/tebakan.ics").status_code == 404
    client.post("/my/calendar")
    url = calendar_address(client).removeprefix("http://localhost")
    member_row = db.session.scalar(select(User).where(User.email == "ani@example.org"))
    member_row.active = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_long_lines_fold_without_splitting_a_character():
    line = "SUMMARY:" + "é" * 60
    folded = _fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_the_calendar_section_is_shown_once_in_the_page_body(client, member):
    client.post("/my/calendar")
    page = client.get("/my/").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1)
    assert "<" not in title and "calendar" not in title
    assert page.count('id="calendar-title"') == 1
