"""The admin's and organisers' pages, and the forms no other journey opens, pass axe on phone and desktop."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.auth.accounts import assign_instructor
from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.models import Cohort, Course
from lms.seed import seed_work_units

DATA = Path(__file__).resolve().parents[1] / "data"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(import_courses, make_user, tmp_path):
    """Three courses, a cohort course with an assignment, an admin, an organiser, a coach and a learner."""
    seed_work_units()
    shutil.copytree(DATA / "cohort", tmp_path / "cohort")
    import_courses()
    import_courses(tmp_path / "cohort")
    make_user(role="admin", email="admin@example.org")
    make_user(role="instructor", email="pengajar@example.org")
    for slug in ("contoh-kursus", "kursus-angkatan"):
        assign_instructor("pengajar@example.org", slug)
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-angkatan"))
    cohort = Cohort(course_id=course.id, name="PKP Angkatan II", starts_on=date.today(),
                    ends_on=date.today() + timedelta(days=60))  # fmt: skip
    db.session.add(cohort)
    db.session.commit()
    learner = make_user(email="peserta@example.org", nip="199001012015031001")
    coach = make_user(email="coach@example.org")
    add_member(cohort, learner)
    add_staff(cohort, coach, "coach")
    return cohort


def test_admin_pages_and_organiser_forms(pages, world, tmp_path):
    page = pages.person()
    pages.sign_in(page, "admin@example.org")
    for path, name in (("/admin/audit", "audit-log"), ("/admin/users?q=peserta", "accounts"),
                       ("/admin/mail/", "admin-mail"), ("/account/tokens/", "api-tokens")):  # fmt: skip
        page.goto(path)
        pages.check(page, name)
    page.fill("#name", "Sinkronisasi kepegawaian")
    pages.follow(page, "main form button[type=submit]")
    pages.check(page, "api-token-created")
    pages.sign_out(page)

    pages.sign_in(page, "pengajar@example.org")
    for path, name in (
        ("/cohorts/new", "cohort-new"),
        (f"/cohorts/{world.id}/", "cohort-manage"),
        (f"/cohorts/{world.id}/dues", "cohort-dues"),
        ("/author/new", "course-new"),
        ("/author/contoh-kursus/settings", "course-settings"),
        ("/author/contoh-kursus/modules/new", "module-new"),
        ("/author/contoh-kursus/modules/pengantar/activities/new", "activity-new"),
        ("/author/contoh-kursus/images", "images"),
    ):
        page.goto(path)
        pages.check(page, name)
    page.goto(f"/cohorts/{world.id}/")
    bad_csv = tmp_path / "anggota.csv"
    bad_csv.write_text(
        "NIP,Nama,Email,Unit Kerja\n123,Tanpa NIP,x@example.org,diskominfo\n"
    )
    page.set_input_files("#file", str(bad_csv))
    pages.follow(page, "form[action$='/members/import'] button[type=submit]")
    assert "123" in page.content()
    pages.check(page, "csv-import-refused")
    pages.sign_out(page)

    pages.sign_in(page, "peserta@example.org")
    page.goto("/courses/kursus-angkatan/aksi/rancangan/")
    pages.check(page, "assignment")
    upload = tmp_path / "rancangan.pdf"
    upload.write_bytes(PDF)
    page.fill("#text", "Rancangan aksi perubahan: antrean daring di kelurahan.")
    page.set_input_files("#file", str(upload))
    pages.follow(page, "main form[action$='/submission'] button[type=submit]")
    pages.check(page, "assignment-handed-in")
    page.goto("/my/jp")
    pages.check(page, "my-jp-form")
    pages.sign_out(page)

    pages.sign_in(page, "coach@example.org")
    page.goto("/courses/kursus-angkatan/aksi/rancangan/submissions")
    assert "antrean daring" in page.content()
    pages.check(page, "assignment-grading")
    page.check("input[name=outcome][value=passed]")
    pages.follow(page, "main form[action$='/grade'] button[type=submit]")
    pages.check(page, "assignment-graded")
