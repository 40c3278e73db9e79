"""Supervisors drill down from the cohort table to one member, and back with their filters."""

import csv
import io
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.assessment import attempts as engine
from lms.assignments.service import submit
from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.learn import progress
from lms.ledger.records import local_today
from lms.models import Activity, Course, Enrollment
from tests.cohort_world import add_cohort

DATA = Path(__file__).parent / "data"


@pytest.fixture
def world(import_courses, quiz_dir, make_user, auth):
    """A quiz course with an assignment, a cohort with two members and its supervisor, signed in."""
    shutil.copy(DATA / "cohort/kursus-angkatan/01-aksi/01-rancangan.assignment",
                quiz_dir / "kursus-kuis/01-modul/04-rancangan.assignment")  # fmt: skip
    import_courses(quiz_dir)
    course = db.session.scalar(select(Course))
    cohort = add_cohort(course.id, "Kepemimpinan Pengawas Angkatan I")
    ani = make_user(
        email="ani@example.org", name="Ani Wulandari", nip="199001012015031001"
    )
    budi = make_user(email="budi@example.org", name="Budi Santoso")
    mentor = make_user(email="mentor@example.org", name="Ibu Lestari")
    add_member(cohort, ani, mentor=mentor)
    add_member(cohort, budi)
    supervisor = make_user(email="sup@example.org", role="supervisor")
    add_staff(cohort, supervisor, "supervisor")
    activities = {a.key: a for a in db.session.scalars(select(Activity))}
    progress.complete_activity(ani.id, activities["modul/bacaan"])
    quiz = activities["modul/kuis"]
    engine.submit_attempt(engine.start_attempt(ani.id, quiz))
    engine.submit_attempt(engine.start_attempt(ani.id, quiz))
    submit(
        ani.id,
        activities["modul/rancangan"],
        "Rancangan",
        b"%PDF-1.4\n%%EOF\n",
        "r.pdf",
    )
    auth.login("sup@example.org")
    return cohort, ani, budi


def test_table_links_each_member_keeping_the_filters(client, world):
    cohort, ani, _ = world
    page = client.get(f"/cohorts/{cohort.id}/?status=in_progress&sort=name").get_data(
        as_text=True
    )
    assert (
        f'href="/cohorts/{cohort.id}/members/{ani.id}?status=in_progress&amp;sort=name"'
        in page
    )


def test_member_page_shows_every_activity_with_its_state(client, world):
    cohort, ani, _ = world
    response = client.get(
        f"/cohorts/{cohort.id}/members/{ani.id}?status=in_progress&sort=name"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "Ani Wulandari" in page
        and "199001012015031001" in page
        and "Ibu Lestari" in page
    )
    rows = {
        row.split("</th>")[0].rsplit(">", 1)[-1]: row
        for row in page.split('<tr class="activity-')[1:]
    }
    assert rows["Bacaan"].startswith("done")
    quiz_row = next(
        r
        for t, r in rows.items()
        if t not in ("Bacaan", "Rancangan Aksi Perubahan") and "<td>2</td>" in r
    )
    assert quiz_row.startswith(("done", "started"))
    assert "Menunggu dinilai" in rows["Rancangan Aksi Perubahan"]
    assert "JP" in page
    back = f'href="/cohorts/{cohort.id}/?status=in_progress&amp;sort=name"'
    assert back in page


def test_member_page_is_for_the_cohorts_staff_and_its_members_only(
    client, auth, make_user, world
):
    cohort, ani, _ = world
    outsider = make_user(email="out@example.org")
    assert client.get(f"/cohorts/{cohort.id}/members/{outsider.id}").status_code == 404
    other = add_cohort(cohort.course_id, "Angkatan II")
    add_staff(
        other, make_user(email="sup2@example.org", role="supervisor"), "supervisor"
    )
    auth.logout()
    auth.login("sup2@example.org")
    assert client.get(f"/cohorts/{cohort.id}/members/{ani.id}").status_code == 403
    auth.logout()
    auth.login("ani@example.org")
    assert client.get(f"/cohorts/{cohort.id}/members/{ani.id}").status_code == 403


def test_member_table_fits_a_laptop(client, world):
    cohort, _, _ = world
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert 'class="table-scroll members-scroll"' in page
    assert '<th scope="row" class="sticky">' in page
    # what a supervisor looks for comes first, before NIP, unit and scores
    header = re.findall(
        r'<th scope="col"[^>]*>(.*?)</th>',
        page.split("<thead>")[1].split("</thead>")[0],
    )
    assert header[:5] == [
        "Nama",
        "Status",
        "Selesai",
        "Terakhir aktif",
        f"JP {local_today().year}",
    ], header
    # quiz headers are short, the full title in the abbreviation's title
    quiz = db.session.scalar(select(Activity).where(Activity.type == "quiz"))
    assert f'<abbr title="{quiz.title}">' in page


def test_export_writes_the_local_day_as_the_page_does(client, world):
    cohort, ani, _ = world
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == ani.id)
    )
    # 20:30 UTC on 1 March is 2 March in Jakarta
    enrollment.last_activity_at = datetime(2026, 3, 1, 20, 30, 15, 123456, tzinfo=UTC)
    db.session.commit()
    text = client.get(f"/cohorts/{cohort.id}/export/members.csv").get_data(as_text=True)
    rows = {row[0]: row for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    header = rows["Nama"]
    last_active = rows["Ani Wulandari"][header.index("Terakhir aktif")]
    assert last_active == "2 Mar 2026", last_active
    page = client.get(f"/cohorts/{cohort.id}/?refresh=1").get_data(as_text=True)
    assert "2 Mar 2026" in page  # the day, not the moment: no time or microseconds
