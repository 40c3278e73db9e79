"""The assignment activity: hand in text and a file, graded by a coach or mentor, complete when passed."""

import gc
import io
import shutil
import warnings
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.files import sniff
from lms.models import ActivityProgress, AssignmentSubmission, Cohort, Course

DATA = Path(__file__).parent / "data" / "cohort"
URL = "/courses/kursus-angkatan/aksi/rancangan"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def cohort_with_people(import_courses, tmp_path, make_user):
    """Import the cohort course; a cohort with Ani (mentored), her mentor, a coach and another."""
    shutil.copytree(DATA, tmp_path / "cohort")
    import_courses(tmp_path / "cohort")
    course = db.session.scalar(select(Course))
    cohort = Cohort(
        course_id=course.id,
        name="Angkatan I",
        starts_on=date.today(),
        ends_on=date.today(),
    )
    db.session.add(cohort)
    db.session.commit()
    learner = make_user(email="ani@example.org")
    mentor = make_user(email="mentor@example.org")
    coach = make_user(email="coach@example.org")
    make_user(email="lain@example.org")
    add_member(cohort, learner, mentor)
    add_staff(cohort, coach, "coach")
    return learner


@pytest.fixture
def setup(import_courses, tmp_path, make_user):
    return cohort_with_people(import_courses, tmp_path, make_user)


def hand_in(client, text="Rancangan saya", data=PDF, name="rancangan.pdf"):
    form = {"text": text}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return client.post(
        f"{URL}/submission", data=form, content_type="multipart/form-data"
    )


def test_files_are_judged_by_content():
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("word/document.xml", "<x/>")
    assert sniff(PDF).extension == "pdf" and sniff(docx.getvalue()).extension == "docx"
    assert sniff(b"MZ\x90\x00 this is a windows executable") is None


def test_hand_in_and_grade_by_coach(client, auth, setup):
    auth.login("ani@example.org")
    assert hand_in(client).status_code == 302
    submission = db.session.scalar(select(AssignmentSubmission))
    assert (
        submission.file_type == "application/pdf"
        and submission.text == "Rancangan saya"
    )
    assert client.get(f"/submissions/{submission.id}/file").data == PDF
    auth.logout()
    auth.login("coach@example.org")
    page = client.get(f"{URL}/submissions").get_data(as_text=True)
    assert "Rancangan saya" in page
    client.post(
        f"/submissions/{submission.id}/grade",
        data={"outcome": "revise", "comment": "Perjelas tonggak."},
    )
    progress_row = db.session.scalar(select(ActivityProgress))
    assert progress_row is None or progress_row.completed_at is None
    auth.logout()
    auth.login("ani@example.org")
    assert "Perjelas tonggak." in client.get(f"{URL}/").get_data(as_text=True)
    hand_in(client, text="Rancangan perbaikan", data=None)
    auth.logout()
    auth.login("mentor@example.org")
    client.post(
        f"/submissions/{submission.id}/grade",
        data={"outcome": "passed", "comment": "Bagus."},
    )
    db.session.expire_all()
    submission = db.session.scalar(select(AssignmentSubmission))
    assert (
        submission.outcome == "passed"
        and submission.text == "Rancangan perbaikan"
        and len(submission.history) == 1
    )
    assert db.session.scalar(select(ActivityProgress.completed_at)) is not None


def test_renamed_executable_and_oversized_files_are_refused(client, auth, setup):
    auth.login("ani@example.org")
    hand_in(client, data=b"MZ\x90\x00" + b"\x00" * 100, name="rancangan.pdf")
    with warnings.catch_warnings():
        # the test client spools a large request body to a temporary file it never closes
        warnings.simplefilter("ignore", ResourceWarning)
        hand_in(client, data=b"%PDF-" + b"0" * (1024 * 1024 + 10), name="besar.pdf")
        gc.collect()
    hand_in(
        client, data=b"\x89PNG\r\n\x1a\n" + b"0" * 10, name="gambar.png"
    )  # not an accepted type here
    assert db.session.scalar(select(AssignmentSubmission)) is None


def test_only_graders_grade_and_see_files(client, auth, setup):
    auth.login("ani@example.org")
    hand_in(client)
    submission = db.session.scalar(select(AssignmentSubmission))
    auth.logout()
    auth.login("lain@example.org")
    assert client.get(f"/submissions/{submission.id}/file").status_code == 403
    assert client.get(f"{URL}/submissions").status_code == 403
    assert (
        client.post(
            f"/submissions/{submission.id}/grade", data={"outcome": "passed"}
        ).status_code
        == 403
    )
    auth.logout()
    auth.login("ani@example.org")
    assert (
        client.post(
            f"/submissions/{submission.id}/grade", data={"outcome": "passed"}
        ).status_code
        == 403
    )
    db.session.expire_all()
    assert db.session.scalar(select(AssignmentSubmission.outcome)) is None
