"""Cohorts: members one by one and from CSV, statuses and deadlines, visibility, exports, reminders."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.cohorts.report import cohort_reports
from lms.extensions import db
from lms.learn import progress
from lms.models import (
    Activity,
    Cohort,
    CohortModuleDue,
    Enrollment,
    Module,
    OutgoingEmail,
    Reminder,
    User,
)
from tests.cohort_world import add_cohort

NIPS = [
    "199001012015031001",
    "198505052010012002",
    "199212122019031003",
    "198807072014022004",
]


def another_cohort(course, name: str) -> Cohort:
    """Add a second cohort of the course, running today."""
    return add_cohort(course.id, name, starts=0, ends=0)


def due_yesterday(cohort, module_key: str) -> None:
    """Make the cohort's module `module_key` due yesterday."""
    module = db.session.scalar(select(Module).where(Module.key == module_key))
    db.session.add(
        CohortModuleDue(cohort_id=cohort.id, module_id=module.id, due_on=date.today() - timedelta(days=1))
    )  # fmt: skip
    db.session.commit()


def csv_file(rows, header=("NIP", "Nama", "Email", "Unit Kerja")):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return (io.BytesIO(out.getvalue().encode()), "anggota.csv")


GOOD = [
    (NIPS[0], "Siti Aminah", "siti@example.org", "diskominfo"),
    (NIPS[1], "Budi Santoso", "budi@example.org", "Dinas Kesehatan"),
    (NIPS[2], "Rina Wati", "rina@example.org", "dpmptsp"),
]


def upload(client, cohort, rows, **kw):
    return client.post(f"/cohorts/{cohort.id}/members/import", data={"file": csv_file(rows, **kw)},
                       content_type="multipart/form-data")  # fmt: skip


def test_csv_import_creates_accounts_and_members(client, auth, organiser, cohort):
    auth.login("pengajar@example.org")
    response = upload(client, cohort, GOOD)
    assert response.status_code == 302
    members = db.session.scalars(
        select(Enrollment).where(Enrollment.cohort_id == cohort.id)
    ).all()
    assert len(members) == 3
    siti = db.session.scalar(select(User).where(User.nip == NIPS[0]))
    assert siti.email == "siti@example.org" and siti.work_unit.code == "diskominfo"
    assert not siti.check_password(
        "!"
    )  # no usable password until the first-login link is used
    mails = db.session.scalars(select(OutgoingEmail)).all()
    assert len(mails) == 3 and all("/password/set/" in m.body for m in mails)


def test_csv_header_in_english_and_semicolons(client, auth, organiser, cohort):
    auth.login("pengajar@example.org")
    out = "NIP;Name;Email;Work unit\n" + "\n".join(";".join(r) for r in GOOD) + "\n"
    client.post(f"/cohorts/{cohort.id}/members/import", data={"file": (io.BytesIO(out.encode()), "a.csv")},
                content_type="multipart/form-data")  # fmt: skip
    assert (
        db.session.scalar(
            select(func.count(Enrollment.id)).where(Enrollment.cohort_id == cohort.id)
        )
        == 3
    )


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (("19900101201503100", "A", "a@example.org", "diskominfo"), "18"),
        (("199002302015031001", "A", "a@example.org", "diskominfo"), "1-8"),
        ((NIPS[3], "", "a@example.org", "diskominfo"), "name"),
        ((NIPS[3], "A", "bukan-email", "diskominfo"), "bukan-email"),
        (
            (NIPS[3], "A", "a@example.org", "Dinas Antah Berantah"),
            "Dinas Antah Berantah",
        ),
        (
            (NIPS[0], "A", "a@example.org", "diskominfo"),
            "line 2",
        ),  # duplicate NIP in the file
        (
            (NIPS[3], "A", "siti@example.org", "diskominfo"),
            "line 2",
        ),  # duplicate email in the file
    ],
)
def test_csv_with_one_bad_row_writes_nothing(
    client, auth, organiser, cohort, bad_row, reason, app
):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    auth.login("pengajar@example.org")
    response = upload(client, cohort, GOOD + [bad_row])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert '<th scope="row">5</th>' in page and reason in page
    assert db.session.scalar(select(func.count(User.id))) == 1  # only the organiser
    assert db.session.scalar(select(func.count(Enrollment.id))) == 0


def test_csv_reports_every_bad_row(client, auth, organiser, cohort, app):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    auth.login("pengajar@example.org")
    rows = [
        GOOD[0],
        ("123", "X", "x@example.org", "diskominfo"),
        GOOD[1],
        (NIPS[3], "Y", "y", "nowhere"),
    ]
    page = upload(client, cohort, rows).get_data(as_text=True)
    assert '<th scope="row">3</th>' in page and '<th scope="row">5</th>' in page
    assert '<th scope="row">2</th>' not in page


def test_csv_missing_column(client, auth, organiser, cohort):
    auth.login("pengajar@example.org")
    response = upload(
        client, cohort, [("1", "2", "3")], header=("NIP", "Nama", "Email")
    )
    assert response.status_code == 422


def test_one_cohort_per_course(client, auth, organiser, cohort, course, make_user):
    other = another_cohort(course, "Angkatan II")
    make_user(email="ani@example.org", nip=NIPS[3])
    auth.login("pengajar@example.org")
    client.post(f"/cohorts/{cohort.id}/members", data={"person": NIPS[3]})
    client.post(f"/cohorts/{other.id}/members", data={"person": "ani@example.org"})
    enrollment = db.session.scalar(select(Enrollment))
    assert enrollment.cohort_id == cohort.id
    page = upload(
        client, other, [(NIPS[3], "Ani", "ani@example.org", "diskominfo")]
    ).get_data(as_text=True)
    assert cohort.name in page


def test_remove_move_and_close(client, auth, organiser, cohort, course):
    other = another_cohort(course, "Angkatan II")
    auth.login("pengajar@example.org")
    upload(client, cohort, GOOD)
    ids = [
        u.id
        for u in db.session.scalars(
            select(User).where(User.nip.in_(NIPS[:3])).order_by(User.nip)
        )
    ]
    client.post(
        f"/cohorts/{cohort.id}/members/bulk",
        data={"action": "move", "target": other.id, "member": ids[:2]},
    )
    client.post(
        f"/cohorts/{cohort.id}/members/bulk",
        data={"action": "remove", "member": ids[2:]},
    )
    by_cohort = dict(
        db.session.execute(select(Enrollment.user_id, Enrollment.cohort_id)).all()
    )
    assert by_cohort == {ids[0]: other.id, ids[1]: other.id, ids[2]: None}
    client.post(f"/cohorts/{other.id}/close")
    db.session.refresh(other)
    assert other.closed_at is not None
    client.post(f"/cohorts/{other.id}/members", data={"person": NIPS[2]})
    assert (
        db.session.scalar(
            select(Enrollment.cohort_id).where(Enrollment.user_id == ids[2])
        )
        is None
    )


def member(make_user, cohort, nip, name):
    user = make_user(nip=nip, name=name)
    from lms.cohorts.members import add_member

    add_member(cohort, user)
    return user


def activity(key):
    return db.session.scalar(select(Activity).where(Activity.key == key))


def test_statuses_and_deadlines(make_user, cohort):
    done = member(make_user, cohort, NIPS[0], "Selesai")
    started = member(make_user, cohort, NIPS[1], "Mulai")
    idle = member(make_user, cohort, NIPS[2], "Diam")
    for key in (
        "pengantar/selamat-datang",
        "pengantar/cara-belajar",
        "praktik/latihan",
    ):
        progress.complete_activity(done.id, activity(key))
    progress.complete_activity(started.id, activity("pengantar/selamat-datang"))
    (report,) = cohort_reports([cohort], date.today())
    status = {m.name: m.status for m in report.members}
    assert status == {
        "Selesai": "completed",
        "Mulai": "in_progress",
        "Diam": "not_started",
    }
    # a module due yesterday that Mulai has not finished makes them overdue; Diam too
    due_yesterday(cohort, "pengantar")
    (report,) = cohort_reports([cohort], date.today())
    assert {m.name: m.status for m in report.members} == {
        "Selesai": "completed",
        "Mulai": "overdue",
        "Diam": "overdue",
    }
    assert report.counts() == {"on_track": 0, "behind": 0, "overdue": 2, "completed": 1}
    # after the cohort's end everyone unfinished is overdue, even without module dates
    (report,) = cohort_reports([cohort], cohort.ends_on + timedelta(days=1))
    assert [m.status for m in report.members if m.name != "Selesai"] == [
        "overdue",
        "overdue",
    ]
    _ = idle


def test_behind_schedule(make_user, cohort):
    slow = member(make_user, cohort, NIPS[1], "Lambat")
    progress.complete_activity(slow.id, activity("pengantar/selamat-datang"))  # 33%
    late_day = (
        cohort.starts_on + (cohort.ends_on - cohort.starts_on) * 9 // 10
    )  # calendar expects 90%
    (report,) = cohort_reports([cohort], late_day)
    assert report.members[0].status == "in_progress" and report.members[0].behind
    (report,) = cohort_reports([cohort], cohort.starts_on + timedelta(days=1))
    assert not report.members[0].behind


def test_supervisor_sees_only_their_cohorts(client, auth, make_user, cohort, course):
    from lms.cohorts.members import add_staff

    other = another_cohort(course, "Angkatan Lain")
    sup = make_user(email="sup@example.org", role="supervisor")
    add_staff(cohort, sup, "supervisor")
    make_user(email="sup2@example.org", role="supervisor")
    make_user(email="ani@example.org")
    make_user(email="admin@example.org", role="admin")
    auth.login("sup@example.org")
    page = client.get("/cohorts/").get_data(as_text=True)
    assert cohort.name in page and "Angkatan Lain" not in page
    assert client.get(f"/cohorts/{cohort.id}/").status_code == 200
    assert client.get(f"/cohorts/{other.id}/").status_code == 403
    assert client.get(f"/cohorts/{other.id}/export/members.csv").status_code == 403
    assert (
        client.post(f"/cohorts/{cohort.id}/members", data={"person": "x"}).status_code
        == 403
    )  # supervise, not manage
    auth.logout()
    for email, code in (
        ("sup2@example.org", 403),
        ("ani@example.org", 403),
        ("admin@example.org", 200),
    ):
        auth.login(email)
        assert client.get(f"/cohorts/{cohort.id}/").status_code == code, email
        assert client.get(f"/cohorts/{cohort.id}/matrix").status_code == code, email
        auth.logout()
    assert (
        client.get(f"/cohorts/{cohort.id}/").status_code == 302
    )  # anonymous: to sign in


def test_filters_and_exports_match_the_page(client, auth, make_user, organiser, cohort):
    a = member(make_user, cohort, NIPS[0], "Anwar")
    b = member(make_user, cohort, NIPS[1], "Bunga")
    progress.complete_activity(a.id, activity("pengantar/selamat-datang"))
    from lms.models import WorkUnit

    unit = db.session.scalar(select(WorkUnit).where(WorkUnit.code == "dinkes"))
    b.work_unit_id = unit.id
    db.session.commit()
    auth.login("pengajar@example.org")
    page = client.get(f"/cohorts/{cohort.id}/?unit={unit.id}").get_data(as_text=True)
    assert "Bunga" in page and "Anwar" not in page
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/cohorts/{cohort.id}/export/members.csv?unit={unit.id}")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert len(rows) == 2 and rows[1][0] == "Bunga" and rows[1][3] == "0"
    book = load_workbook(
        io.BytesIO(client.get(f"/cohorts/{cohort.id}/export/members.xlsx").data)
    )
    sheet = [[c.value for c in r] for r in book.active.iter_rows()]
    assert [r[0] for r in sheet[1:]] == ["Anwar", "Bunga"] and sheet[1][3] == 33
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "33%" in page
    matrix = list(
        csv.reader(
            io.StringIO(
                client.get(f"/cohorts/{cohort.id}/export/matrix.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert matrix[1][2:] == ["1", "0", "0"] and matrix[2][2:] == ["0", "0", "0"]
    units = list(
        csv.reader(
            io.StringIO(
                client.get(f"/cohorts/{cohort.id}/export/units.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert len(units) == 3


def test_cohort_page_query_count_is_fixed(
    client, auth, make_user, organiser, cohort, count_queries
):
    auth.login("pengajar@example.org")
    member(make_user, cohort, NIPS[0], "Satu")
    url = f"/cohorts/{cohort.id}/?refresh=1"  # a recount each time, not the shared figures
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for n in range(25):
        user = make_user()
        from lms.cohorts.members import add_member

        add_member(cohort, user)
        progress.complete_activity(user.id, activity("pengantar/selamat-datang"))
    with count_queries() as big:
        assert client.get(url).status_code == 200
    import difflib

    short = lambda qs: [" ".join(q.split())[:120] for q in qs]
    assert len(big) == len(small), "\n".join(
        difflib.unified_diff(short(small), short(big), lineterm="")
    )


def test_remind_behind_and_overdue_once(client, auth, make_user, cohort, app):
    from lms.cohorts.members import add_staff

    app.config["LMS_MAIL_BACKGROUND"] = False
    sup = make_user(email="sup@example.org", role="supervisor")
    add_staff(cohort, sup, "supervisor")
    late = member(make_user, cohort, NIPS[0], "Telat")
    due_yesterday(cohort, "pengantar")
    auth.login("sup@example.org")
    client.post(f"/cohorts/{cohort.id}/remind")
    client.post(f"/cohorts/{cohort.id}/remind")
    assert db.session.scalar(select(func.count(Reminder.id))) == 1
    mail = db.session.scalar(select(OutgoingEmail))
    assert mail.to == late.email and mail.sent_at is None


def test_members_are_paginated_but_exports_hold_everyone(
    client, auth, make_user, organiser, cohort
):
    from lms.cohorts.members import add_member
    from lms.cohorts.views import MEMBERS_PER_PAGE

    for n in range(MEMBERS_PER_PAGE + 5):
        user = User(
            email=f"m{n}@example.org", name=f"Anggota {n:03d}", password_hash="!"
        )
        db.session.add(user)
        db.session.flush()
        add_member(cohort, user)
    auth.login("pengajar@example.org")
    first = client.get(f"/cohorts/{cohort.id}/?sort=name").get_data(as_text=True)
    second = client.get(f"/cohorts/{cohort.id}/?sort=name&page=2").get_data(
        as_text=True
    )
    assert first.count('class="sticky"><a href="/cohorts/') == MEMBERS_PER_PAGE
    assert (
        second.count('class="sticky"><a href="/cohorts/') == 5
        and "Anggota 104" in second
    )
    rows = (
        client.get(f"/cohorts/{cohort.id}/export/members.csv")
        .get_data(as_text=True)
        .strip()
        .splitlines()
    )
    assert len(rows) == MEMBERS_PER_PAGE + 6
