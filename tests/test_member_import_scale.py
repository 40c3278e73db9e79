"""A whole OPD's staff imports in seconds: the member import works in bulk, not row by row."""

import random
import time

from sqlalchemy import func, select

from lms.cohorts.synthetic import synthetic_nip
from lms.extensions import db
from lms.models import Enrollment, OutgoingEmail, PasswordToken, User
from tests.test_cohorts import csv_file


def member_rows(count: int, start: int = 0) -> list[tuple]:
    rng = random.Random(start)
    nips, rows = set(), []
    for n in range(start, start + count):
        nip = synthetic_nip(rng, n)
        while nip in nips:
            nip = synthetic_nip(rng, n)
        nips.add(nip)
        rows.append((nip, f"Pegawai {n}", f"pegawai{n}@example.org", "diskominfo"))
    return rows


def upload(client, cohort, rows):
    return client.post(f"/cohorts/{cohort.id}/members/import", data={"file": csv_file(rows)},
                       content_type="multipart/form-data")  # fmt: skip


def test_the_statements_of_an_import_do_not_grow_with_its_rows(
    client, auth, organiser, cohort, count_queries
):
    auth.login("pengajar@example.org")
    with count_queries() as small:
        assert upload(client, cohort, member_rows(20)).status_code == 302
    with count_queries() as large:
        assert upload(client, cohort, member_rows(400, start=1000)).status_code == 302
    assert len(large) <= len(small) + 4, (len(small), len(large))
    members = select(func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort.id)
    assert db.session.scalar(members) == 420
    assert db.session.scalar(select(func.count(PasswordToken.id))) == 420
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) == 420


def test_six_thousand_members_import_well_within_a_request(
    client, auth, organiser, cohort, make_user
):
    """The probe's file: 6,000 rows took over 30 s (the worker's limit) before."""
    rows = member_rows(6000)
    existing = make_user(email=rows[10][2], nip=rows[10][0], name="Sudah Ada")
    auth.login("pengajar@example.org")
    started = time.perf_counter()
    response = upload(client, cohort, rows)
    seconds = time.perf_counter() - started
    assert response.status_code == 302
    assert seconds < 15, f"{seconds:.1f} s"
    assert (
        db.session.scalar(
            select(func.count(User.id)).where(User.email.like("pegawai%"))
        )
        == 6000
    )
    members = select(func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort.id)
    assert db.session.scalar(members) == 6000
    db.session.refresh(existing)
    assert existing.name == "Sudah Ada" and existing.check_password(
        "kata-sandi-yang-panjang"
    )
    new = db.session.scalar(select(User).where(User.email == rows[11][2]))
    assert (
        new.nip == rows[11][0]
        and new.role_names == {"learner"}
        and new.work_unit.code == "diskominfo"
    )


def test_a_row_with_a_nul_byte_is_named_and_nothing_is_written(
    app, client, auth, organiser, cohort
):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    rows = member_rows(3)
    rows[1] = (rows[1][0], "Budi\x00", rows[1][2], rows[1][3])
    auth.login("pengajar@example.org")
    response = upload(client, cohort, rows)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<th scope="row">3</th>' in page and "control character" in page
    assert db.session.scalar(select(func.count(Enrollment.id))) == 0
