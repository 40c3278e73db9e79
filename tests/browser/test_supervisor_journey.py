"""A supervisor opens their cohort, filters it by work unit and downloads the XLSX."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.auth.accounts import create_user
from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.learn import progress
from lms.models import Activity, Cohort, Course, WorkUnit
from lms.seed import seed_work_units

PEOPLE = [
    ("199001012015031001", "Siti Aminah", "diskominfo"),
    ("198505052010012002", "Budi Santoso", "diskominfo"),
    ("199212122019031003", "Rina Wati", "dinkes"),
]


@pytest.fixture
def cohort(import_courses, make_user):
    """A running cohort of three learners in two work units, and its supervisor."""
    import_courses()
    seed_work_units()
    course = db.session.scalar(select(Course).where(Course.slug == "contoh-kursus"))
    cohort = Cohort(
        course_id=course.id,
        name="PKP Angkatan I",
        starts_on=date.today() - timedelta(days=10),
        ends_on=date.today() + timedelta(days=20),
    )
    db.session.add(cohort)
    db.session.commit()
    first = db.session.scalar(select(Activity).where(Activity.course_id == course.id))
    for nip, name, code in PEOPLE:
        unit = db.session.scalar(select(WorkUnit).where(WorkUnit.code == code))
        user = create_user(f"{nip}@example.org", name, "kata-sandi-yang-panjang",
                           nip=nip, work_unit=unit)  # fmt: skip
        add_member(cohort, user)
        if name == "Siti Aminah":
            progress.complete_activity(user.id, first)
    supervisor = make_user(role="supervisor", email="pengawas@example.org")
    add_staff(cohort, supervisor, "supervisor")
    return cohort


def test_supervisor_filters_a_cohort_and_downloads_it(pages, cohort):
    page = pages.person()
    pages.sign_in(page, "pengawas@example.org")
    page.goto("/cohorts/")
    pages.check(page, "cohorts")
    pages.follow(page, f"main a[href='/cohorts/{cohort.id}/']")
    pages.check(page, "cohort")
    assert page.locator("table.members tbody tr").count() == 3

    page.select_option("#f-unit", label="Dinas Komunikasi dan Informatika")
    pages.follow(page, "form.filters button[type=submit]")
    page.wait_for_url("**unit=*")
    names = page.locator("table.members tbody th").all_inner_texts()
    assert sorted(names) == ["Budi Santoso", "Siti Aminah"]
    pages.check(page, "cohort-filtered")

    with page.expect_download() as download:
        page.click("p.downloads a[href*='/export/members.xlsx']")
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [[str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    body = "\n".join(" ".join(row) for row in rows)
    assert "Siti Aminah" in body and "Budi Santoso" in body
    assert "Rina Wati" not in body  # the download keeps the page's filter

    pages.follow(page, f"main a[href^='/cohorts/{cohort.id}/matrix']")
    pages.check(page, "matrix")
