"""LTI Names and Role Provisioning: a platform course's learners become a cohort's members."""

import pytest
from sqlalchemy import func, select

from lms.auth.accounts import assign_instructor
from lms.cohorts.members import add_member, add_staff
from lms.extensions import db
from lms.lti.roster import NRPS_SCOPE
from lms.models import AuditEvent, Course, Enrollment, LtiContext, LtiIdentity, User
from tests.cohort_world import add_cohort
from tests.test_lti import launch

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def member(sub, name, email=None, roles=(LEARNER,), status="Active"):
    found = {"user_id": sub, "name": name, "roles": list(roles), "status": status}
    if email:
        found["email"] = email
    return found


@pytest.fixture
def organiser_and_cohort(client, platform, quiz, make_user):
    """A learner launched the quiz from the platform's course; its organiser here is signed in."""
    assert launch(client, platform).status_code == 302
    client.post("/logout")
    course = db.session.scalar(select(Course).where(Course.slug == "kursus-kuis"))
    cohort = add_cohort(course.id, "Angkatan SPBE")
    make_user(role="instructor", email="guru@example.go.id")
    assign_instructor("guru@example.go.id", "kursus-kuis")
    client.post(
        "/login",
        data={"login": "guru@example.go.id", "password": "kata-sandi-yang-panjang"},
    )
    return cohort


def members_of(cohort_id) -> set[str]:
    return set(db.session.scalars(
        select(User.name).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == cohort_id)))  # fmt: skip


def import_from(client, cohort, context_id=None, **form):
    """Import through the cohort page's form (`remove_departed="1"` ticks its box)."""
    context_id = context_id or db.session.scalar(select(LtiContext.id))
    response = client.post(
        f"/cohorts/{cohort.id}/members/import-lti", data={"context": context_id, **form}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.location).get_data(as_text=True)


def test_the_platform_courses_learners_join_the_cohort(
    client, platform, organiser_and_cohort, make_user
):
    cohort = organiser_and_cohort
    make_user(email="dewi@example.go.id", name="Dewi")  # has an account here already
    platform.members = [
        member("m-ani", "Ani", "ani@example.go.id"),
        member("m-budi", "Budi"),  # shares no email
        member("m-guru", "Pak Guru", "pak.guru@example.go.id", roles=(INSTRUCTOR,)),
        member("m-cici", "Cici", "cici@example.go.id", status="Inactive"),
        member("m-dewi", "Dewi", "dewi@example.go.id"),
    ]
    context = db.session.scalar(select(LtiContext))
    assert (context.title, context.context_id) == (
        "Pelatihan SPBE Kota",
        "moodle-course-9",
    )
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "Pelatihan SPBE Kota" in page  # offered on the cohort page
    page = import_from(client, cohort)
    assert "3 peserta ditambahkan dari Pelatihan SPBE Kota; 2 akun baru" in page
    assert members_of(cohort.id) == {"Ani", "Budi", "Dewi"}
    assert len(platform.member_requests) == 3  # five members, two to a page
    assert platform.token_requests[-1]["scope"] == NRPS_SCOPE
    budi = db.session.scalar(select(User).where(User.name == "Budi"))
    assert budi.email.endswith("@lti.invalid") and budi.role_names == {"learner"}
    assert not budi.check_password("")  # they sign in through the platform
    subs = set(db.session.scalars(select(LtiIdentity.sub)))
    assert {"m-ani", "m-budi"} <= subs and "m-guru" not in subs
    # Dewi's account joined, but only she links it to the platform (her email proves nothing).
    assert "m-dewi" not in subs
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "cohort.import_members")
    )
    assert event.details["added"] == 3 and event.details["source"].startswith("lti:")
    # Again: nobody is added twice, nobody made twice.
    assert "0 peserta ditambahkan" in import_from(client, cohort)
    assert (
        db.session.scalar(select(func.count(User.id)).where(User.name == "Budi")) == 1
    )


def test_one_member_in_another_cohort_stops_the_import(
    client, platform, organiser_and_cohort, make_user
):
    cohort = organiser_and_cohort
    other = add_cohort(cohort.course_id, "Angkatan Lain")
    eko = make_user(email="eko@example.go.id", name="Eko")
    add_member(other, eko)
    platform.members = [
        member("m-ani", "Ani", "ani@example.go.id"),
        member("m-eko", "Eko", "eko@example.go.id"),
    ]
    users = db.session.scalar(select(func.count(User.id)))
    page = import_from(client, cohort)
    assert "Tidak ada yang diimpor" in page and "Eko" in page
    assert members_of(cohort.id) == set()
    assert (
        db.session.scalar(select(func.count(User.id))) == users
    )  # no account made either


def test_a_platform_that_does_not_answer_changes_nothing(
    client, platform, organiser_and_cohort
):
    cohort = organiser_and_cohort
    platform.members = [member("m-ani", "Ani", "ani@example.go.id")]
    platform.failing = True
    page = import_from(client, cohort)
    assert "Platform pembelajaran tidak menjawab" in page
    assert members_of(cohort.id) == set()


def test_only_the_cohorts_managers_import_and_from_their_course(
    client, platform, organiser_and_cohort, make_user, auth, import_courses
):
    cohort = organiser_and_cohort
    context = db.session.scalar(select(LtiContext))
    import_courses()  # another course, which another platform course launches
    elsewhere = LtiContext(platform_id=context.platform_id, context_id="moodle-course-10",
                           memberships_url=context.memberships_url,
                           course_id=db.session.scalar(select(Course.id).where(Course.slug == "contoh-kursus")))  # fmt: skip
    db.session.add(elsewhere)
    db.session.commit()
    platform.members = [member("m-ani", "Ani", "ani@example.go.id")]
    url = f"/cohorts/{cohort.id}/members/import-lti"
    assert client.post(url, data={"context": elsewhere.id}).status_code == 404
    client.post("/logout")
    supervisor = make_user(role="supervisor", email="sup@example.go.id")
    add_staff(cohort, supervisor, "supervisor")
    auth.login("sup@example.go.id")
    assert client.post(url, data={"context": context.id}).status_code == 403
    assert members_of(cohort.id) == set() and platform.member_requests == []


def test_a_member_sharing_anothers_email_is_not_linked_to_their_account(
    client, platform, organiser_and_cohort
):
    cohort = organiser_and_cohort
    platform.members = [
        member("m-fajar", "Fajar", "keluarga@example.go.id"),
        member("m-fajar-2", "Fajar", "keluarga@example.go.id"),
    ]
    assert "1 peserta ditambahkan dari Pelatihan SPBE Kota; 1 akun baru" in import_from(
        client, cohort
    )
    fajar = db.session.scalar(
        select(User).where(User.email == "keluarga@example.go.id")
    )
    linked = db.session.scalars(
        select(LtiIdentity.sub).where(LtiIdentity.user_id == fajar.id)
    )
    # The other proves the account is theirs at a launch, or gets one of their own.
    assert set(linked) == {"m-fajar"}


def test_the_command_lists_the_platform_courses_and_imports(
    runner, platform, organiser_and_cohort
):
    cohort = organiser_and_cohort
    platform.members = [member("m-ani", "Ani", "ani@example.go.id")]
    listed = runner.invoke(args=["lms", "lti-import-members", str(cohort.id)])
    assert listed.exit_code == 0 and "Pelatihan SPBE Kota" in listed.output
    context_id = db.session.scalar(select(LtiContext.id))
    args = ["lms", "lti-import-members", str(cohort.id), "--context", str(context_id)]
    done = runner.invoke(args=args)
    assert done.exit_code == 0, done.output
    assert "1 added, 1 accounts made, 0 left out" in done.output
    assert members_of(cohort.id) == {"Ani"}
    assert "0 added" in runner.invoke(args=args).output  # nightly: nothing twice
    platform.failing = True
    failed = runner.invoke(args=args)
    assert (
        failed.exit_code != 0 and "tidak menjawab" in failed.output
    )  # the default language
    missing = runner.invoke(args=["lms", "lti-import-members", "999"])
    assert missing.exit_code != 0 and "no cohort 999" in missing.output


def test_members_who_left_the_platform_course_are_taken_out_when_asked(
    client, platform, organiser_and_cohort, make_user
):
    cohort = organiser_and_cohort
    add_member(cohort, make_user(name="Eka"))  # joined here, not through the platform
    platform.members = [member("m-ani", "Ani"), member("m-budi", "Budi")]
    import_from(client, cohort)
    assert members_of(cohort.id) == {"Ani", "Budi", "Eka"}
    # Ani is suspended on the platform, Budi unenrolled, Cici new
    platform.members = [
        member("m-ani", "Ani", status="Inactive"),
        member("m-cici", "Cici"),
    ]
    import_from(client, cohort)  # without the box ticked: nobody goes
    assert members_of(cohort.id) == {"Ani", "Budi", "Cici", "Eka"}
    page = import_from(client, cohort, remove_departed="1")
    assert "2 anggota yang keluar dari kursus platform" in page
    assert members_of(cohort.id) == {"Cici", "Eka"}
    # they keep their enrollment (and progress) in the course
    budi = db.session.scalar(select(User).where(User.name == "Budi"))
    enrollment = db.session.scalar(
        select(Enrollment).where(Enrollment.user_id == budi.id)
    )
    assert enrollment is not None and enrollment.cohort_id is None
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "cohort.import_members")
        .order_by(AuditEvent.id.desc())).first()  # fmt: skip
    assert event.details["removed"] == 2


def test_those_who_left_cannot_be_told_apart_in_a_list_too_long_to_read(
    client, platform, organiser_and_cohort, monkeypatch
):
    from lms.lti import roster

    cohort = organiser_and_cohort
    platform.members = [member(f"m-{n}", f"Peserta {n}") for n in range(3)]
    monkeypatch.setattr(
        roster, "MAX_PAGES", 1
    )  # two members a page: the third is unread
    page = import_from(client, cohort, remove_departed="1")
    assert "Tidak ada yang diubah" in page
    assert members_of(cohort.id) == set()


def test_the_nightly_command_takes_out_those_who_left(
    runner, platform, organiser_and_cohort
):
    cohort = organiser_and_cohort
    platform.members = [member("m-ani", "Ani"), member("m-budi", "Budi")]
    context_id = db.session.scalar(select(LtiContext.id))
    args = ["lms", "lti-import-members", str(cohort.id), "--context", str(context_id)]
    assert runner.invoke(args=args).exit_code == 0
    platform.members = [member("m-ani", "Ani")]
    done = runner.invoke(args=[*args, "--remove-departed"])
    assert done.exit_code == 0, done.output
    assert "0 added, 0 accounts made, 0 left out, 1 removed" in done.output
    assert members_of(cohort.id) == {"Ani"}
