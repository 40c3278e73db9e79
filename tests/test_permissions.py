"""The rules of lms/permissions.py, asked of every kind of person about every kind of object.

The world: a published, a draft and an archived course, each with a published, a draft and an
archived activity; an admin; an instructor on each course's staff; an instructor of another
course; a demoted instructor (still on the staff, no longer an instructor); an enrolled learner;
a learner not enrolled; a supervisor and a facilitator and a coach of one cohort; anonymous.
"""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from lms.auth.accounts import get_roles
from lms.extensions import db
from lms.models import (
    Activity,
    ActivityProgress,
    Cohort,
    CohortStaff,
    Course,
    CourseStaff,
    Enrollment,
    Module,
    User,
)
from lms.permissions import (
    can,
    cohorts_visible_to,
    courses_taught_by,
    is_cohort_staff,
    is_course_staff,
    offers_approvals,
    offers_authoring,
    offers_cohorts,
    pretest_due,
    remember_cohort_roles,
    require,
    staff_roles_column,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _course(slug: str, published=True, archived=False) -> Course:
    course = Course(slug=slug, title=slug, jp=12, published=published,
                    archived_at=NOW if archived else None)  # fmt: skip
    db.session.add(course)
    db.session.flush()
    module = Module(course_id=course.id, key="m1", position=1, title="Modul 1")
    db.session.add(module)
    db.session.flush()
    for n, (key, live, gone) in enumerate(
        [("live", True, False), ("draft", False, False), ("gone", True, True)], 1
    ):
        db.session.add(Activity(course_id=course.id, module_id=module.id, key=f"m1/{key}",
                                type="lesson", title=key, position=n, published=live,
                                archived_at=NOW if gone else None))  # fmt: skip
    db.session.flush()
    return course


def _person(n: int, role: str) -> User:
    """Add an account without hashing a password (this file needs no sign-in)."""
    user = User(email=f"orang{n}@example.org", name=f"Orang {n}", password_hash="-",
                roles=get_roles((role,)))  # fmt: skip
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def world(app):
    """Build the courses, people, enrollments and cohort described above."""
    w = SimpleNamespace()
    w.courses = {
        "published": _course("terbit"),
        "draft": _course("draf", published=False),
        "archived": _course("arsip", archived=True),
    }
    w.other = _course("lain")
    w.anonymous = AnonymousUserMixin()
    w.admin = _person(1, "admin")
    w.teacher = _person(2, "instructor")
    w.stranger = _person(3, "instructor")  # teaches only the other course
    w.demoted = _person(4, "learner")  # kept a staff row after losing the role
    w.learner = _person(5, "learner")
    w.outsider = _person(6, "learner")
    w.supervisor = _person(7, "supervisor")
    w.facilitator = _person(8, "learner")
    w.coach = _person(9, "learner")
    for course in w.courses.values():
        db.session.add(CourseStaff(course_id=course.id, user_id=w.teacher.id))
        db.session.add(CourseStaff(course_id=course.id, user_id=w.demoted.id))
    db.session.add(CourseStaff(course_id=w.other.id, user_id=w.stranger.id))
    w.enrollments = {}
    for name, course in w.courses.items():
        enrollment = Enrollment(
            user_id=w.learner.id, course_id=course.id, enrolled_at=NOW
        )
        db.session.add(enrollment)
        w.enrollments[name] = enrollment
    w.cohort = Cohort(course_id=w.courses["published"].id, name="Angkatan I",
                      starts_on=NOW.date(), ends_on=NOW.date())  # fmt: skip
    w.other_cohort = Cohort(course_id=w.other.id, name="Angkatan II",
                            starts_on=NOW.date(), ends_on=NOW.date())  # fmt: skip
    db.session.add_all([w.cohort, w.other_cohort])
    db.session.flush()
    for user, role in [(w.supervisor, "supervisor"), (w.facilitator, "facilitator"),
                       (w.coach, "coach")]:  # fmt: skip
        db.session.add(CohortStaff(cohort_id=w.cohort.id, user_id=user.id, role=role))
    db.session.commit()
    return w


def activity(course: Course, key: str) -> Activity:
    return next(a for a in db.session.query(Activity).filter_by(course_id=course.id)
                if a.key == f"m1/{key}")  # fmt: skip


PEOPLE = ["anonymous", "admin", "teacher", "stranger", "demoted", "learner", "outsider"]


def _letter(answer) -> str:
    """Return y or n for a rule's answer, which is always a bool."""
    assert isinstance(answer, bool), answer
    return "y" if answer else "n"


def _row(world, action, obj, enrollment=None) -> str:
    """Return one letter per person of PEOPLE: y may, n may not."""
    return "".join(
        _letter(can(getattr(world, p), action, obj, enrollment)) for p in PEOPLE
    )


# (one test per rule family, looping over cases: each test builds the world anew)
COURSES = [
    # course: view, enroll, teach for anon admin teacher stranger demoted learner outsider
    ("published", "yyyyyyy", "nyyyyyy", "nyynnnn"),
    ("draft", "nyynnnn", "nnnnnnn", "nyynnnn"),
    ("archived", "nynnnnn", "nnnnnnn", "nyynnnn"),
]


def test_course_view_enroll_and_teach(world):
    for course, view, enroll, teach in COURSES:
        c = world.courses[course]
        assert _row(world, "course.view", c) == view, course
        assert _row(world, "course.enroll", c) == enroll, course
        assert _row(world, "course.teach", c) == teach, course
        assert _row(world, "course.edit", c) == teach, course


ACTIVITIES = [
    # people: anon admin teacher stranger demoted learner outsider (learner enrolled)
    ("published", "live", "nyynnyn"),
    ("published", "draft", "nyynnnn"),
    ("published", "gone", "nynnnyn"),
    ("draft", "live", "nyynnnn"),
    ("draft", "draft", "nyynnnn"),
    ("archived", "live", "nynnnnn"),
    ("archived", "gone", "nynnnnn"),
]


def test_activity_view(world):
    for course, key, view in ACTIVITIES:
        a = activity(world.courses[course], key)
        people = []
        for p in PEOPLE:
            user = getattr(world, p)
            enrollment = world.enrollments[course] if p == "learner" else None
            people.append(_letter(can(user, "activity.view", a, enrollment)))
        assert "".join(people) == view, (course, key)


SUBMISSIONS = [
    ("published", "live", True),
    ("published", "draft", False),
    ("published", "gone", False),
    ("draft", "live", False),
    ("archived", "live", False),
]


def test_only_the_enrolled_learner_submits_to_a_live_activity(world):
    for course, key, allowed in SUBMISSIONS:
        a = activity(world.courses[course], key)
        enrollment = world.enrollments[course]
        assert can(world.learner, "activity.submit", a, enrollment) is allowed
        # Someone else's enrollment, no enrollment, or no account: never.
        assert can(world.outsider, "activity.submit", a, enrollment) is False
        assert can(world.learner, "activity.submit", a, None) is False
        assert can(world.anonymous, "activity.submit", a, enrollment) is False
        assert can(world.admin, "activity.submit", a, None) is False


def test_an_archived_course_with_a_published_flag_off_is_still_refused(world):
    c = world.courses["archived"]
    c.published = False
    assert _row(world, "course.view", c) == "nynnnnn"


def test_creating_courses_and_cohorts(world):
    assert _row(world, "course.create", None) == "nyyynnn"
    assert _row(world, "cohort.create", None) == "nyyynnn"
    assert can(world.supervisor, "course.create") is False


def test_admin_only_actions(world):
    for action in ("admin.view", "xapi.export", "certificate.revoke"):
        assert _row(world, action, None) == "nynnnnn", action


def test_attempts_are_seen_by_their_learner_and_the_course_staff(world):
    live = activity(world.courses["published"], "live")
    attempt = SimpleNamespace(user_id=world.learner.id, activity=live)
    assert _row(world, "attempt.view", attempt) == "nyynnyn"
    other = SimpleNamespace(
        user_id=world.learner.id, activity=activity(world.other, "live")
    )
    assert _row(world, "attempt.view", other) == "nynynyn"


def test_certificates_are_seen_by_their_learner_the_course_staff_and_admins(world):
    certificate = SimpleNamespace(user_id=world.learner.id,
                                  course_id=world.courses["published"].id)  # fmt: skip
    assert _row(world, "certificate.view", certificate) == "nyynnyn"
    deleted = SimpleNamespace(user_id=world.learner.id, course_id=None)
    assert _row(world, "certificate.view", deleted) == "nynnnyn"
    missing = SimpleNamespace(user_id=world.learner.id, course_id=999_999)
    assert _row(world, "certificate.view", missing) == "nynnnyn"


def test_jp_records_are_seen_by_their_learner_and_admins(world):
    """A course's record (external ones are also seen by their approvers: test_jp_approval.py)."""
    record = SimpleNamespace(user_id=world.learner.id, source="course")
    assert _row(world, "jp_record.view", record) == "nynnnyn"


def test_external_jp_records_are_reviewed_by_their_units_approvers_and_admins(world):
    learner = SimpleNamespace(work_unit_id=7)
    record = SimpleNamespace(user_id=world.learner.id, user=learner, source="external")
    world.supervisor.work_unit_id = 7
    assert can(world.supervisor, "jp_record.review", record) is True
    assert can(world.supervisor, "jp_record.view", record) is True
    from_a_course = SimpleNamespace(
        user_id=world.learner.id, user=learner, source="course"
    )
    assert can(world.supervisor, "jp_record.view", from_a_course) is False
    assert (
        _row(world, "jp_record.review", record) == "nynnnnn"
    )  # the learner: not their own
    assert _row(world, "jp_record.view", record) == "nynnnyn"
    world.supervisor.work_unit_id = 8
    assert can(world.supervisor, "jp_record.review", record) is False


def test_a_cohort_only_course_takes_no_one_by_themselves(world):
    course = world.courses["published"]
    course.cohort_based = True
    assert _row(world, "course.enroll", course) == "nnnnnnn"


def test_quiz_exchange_is_for_the_courses_teachers_and_of_quizzes_only(world):
    course = world.courses["published"]
    lesson = activity(course, "live")
    quiz = Activity(course_id=course.id, module_id=lesson.module_id, key="m1/kuis", type="quiz",
                    title="Kuis", position=9, published=True)  # fmt: skip
    db.session.add(quiz)
    db.session.commit()
    assert _row(world, "quiz.export", quiz) == "nyynnnn"
    assert _row(world, "quiz.export", lesson) == "nnnnnnn"
    assert _row(world, "quiz.import", course) == "nyynnnn"
    assert _row(world, "quiz.import", world.other) == "nynynnn"


COHORT_RULES = [
    # person, view, manage, remind
    ("anonymous", False, False, False),
    ("admin", True, True, True),
    ("teacher", True, True, False),
    ("stranger", False, False, False),
    ("demoted", False, False, False),
    ("learner", False, False, False),
    ("supervisor", True, False, True),
    ("facilitator", True, False, True),
    ("coach", True, False, False),
]


def test_cohort_rules(world):
    for person, view, manage, remind in COHORT_RULES:
        user = getattr(world, person)
        assert can(user, "cohort.view", world.cohort) is view, person
        assert can(user, "cohort.manage", world.cohort) is manage, person
        assert can(user, "cohort.remind", world.cohort) is remind, person
        if person in ("supervisor", "facilitator", "coach", "teacher"):
            # Their cohort role or course does not reach another course's cohort.
            assert can(user, "cohort.view", world.other_cohort) is False, person
            assert can(user, "cohort.remind", world.other_cohort) is False, person


EVERYONE = [*PEOPLE, "supervisor", "facilitator", "coach"]
#: person: the courses they teach, the cohorts they see (all, then the other course's only),
#: and whether the header offers authoring, cohorts and approvals
LISTS = {
    "anonymous": ("", "", "", "nnn"),
    "admin": (
        "terbit draf arsip lain",
        "Angkatan I, Angkatan II",
        "Angkatan II",
        "yyy",
    ),
    "teacher": ("terbit draf arsip", "Angkatan I", "", "yyn"),
    "stranger": ("lain", "Angkatan II", "Angkatan II", "yyn"),
    "demoted": ("", "", "", "nnn"),
    "learner": ("", "", "", "nnn"),
    "outsider": ("", "", "", "nnn"),
    "supervisor": ("", "Angkatan I", "", "nyy"),
    "facilitator": ("", "Angkatan I", "", "nnn"),
    "coach": ("", "Angkatan I", "", "nnn"),
}


def test_lists_show_each_person_what_the_object_rules_allow(world):
    courses = [*world.courses.values(), world.other]
    cohorts = [world.cohort, world.other_cohort]
    for person in EVERYONE:
        user = getattr(world, person)
        taught = db.session.scalars(courses_taught_by(user).order_by(Course.id)).all()
        seen = db.session.scalars(cohorts_visible_to(user).order_by(Cohort.id)).all()
        seen_other = db.session.scalars(cohorts_visible_to(user, world.other.id)).all()
        offers = "".join(
            _letter(f(user))
            for f in (offers_authoring, offers_cohorts, offers_approvals)
        )
        assert (
            " ".join(c.slug for c in taught),
            ", ".join(c.name for c in seen),
            ", ".join(c.name for c in seen_other),
            offers,
        ) == LISTS[person], person
        assert taught == [c for c in courses if can(user, "course.teach", c)], person
        assert seen == [c for c in cohorts if can(user, "cohort.view", c)], person


def test_staff_lookups(world):
    published = world.courses["published"]
    assert is_course_staff(world.teacher.id, published.id) is True
    assert is_course_staff(world.stranger.id, published.id) is False
    assert is_course_staff(world.stranger.id, world.other.id) is True
    assert is_cohort_staff(world.coach.id, world.cohort.id) is True
    assert is_cohort_staff(world.coach.id, world.cohort.id, ("supervisor",)) is False
    assert (
        is_cohort_staff(world.supervisor.id, world.cohort.id, ("supervisor",)) is True
    )
    assert is_cohort_staff(world.learner.id, world.cohort.id) is False
    assert is_cohort_staff(world.supervisor.id, world.other_cohort.id) is False


def test_an_unknown_action_is_an_error(world):
    with pytest.raises(KeyError, match="course.destroy"):
        can(world.admin, "course.destroy")


def test_staff_roles_column_gives_each_cohorts_roles_in_one_query(world):
    from sqlalchemy import select

    query = select(Cohort.id, staff_roles_column()).order_by(Cohort.id)
    rows = db.session.execute(query, {"user_id": world.supervisor.id}).all()
    assert [tuple(r) for r in rows] == [
        (world.cohort.id, "supervisor"),
        (world.other_cohort.id, None),
    ]


def test_remembered_roles_answer_without_a_query(world, app, count_queries):
    with app.test_request_context():
        remember_cohort_roles(world.coach.id, world.cohort.id, "coach,supervisor")
        remember_cohort_roles(world.supervisor.id, world.cohort.id, None)
        with count_queries() as statements:
            assert is_cohort_staff(world.coach.id, world.cohort.id, ("supervisor",))
            assert not is_cohort_staff(world.supervisor.id, world.cohort.id)
        assert statements == []
        with count_queries() as statements:  # not remembered: read once, then kept
            assert is_cohort_staff(world.facilitator.id, world.cohort.id)
            assert is_cohort_staff(world.facilitator.id, world.cohort.id)
        assert len(statements) == 1
    # Outside a request nothing is remembered.
    remember_cohort_roles(world.learner.id, world.cohort.id, "supervisor")
    assert is_cohort_staff(world.learner.id, world.cohort.id) is False


def test_require_passes_refuses_or_sends_to_sign_in(world, app):
    from flask_login import login_user, logout_user
    from werkzeug.exceptions import Forbidden, HTTPException

    with app.test_request_context("/admin/"):
        login_user(world.admin)
        assert require("admin.view") is None
    with app.test_request_context("/admin/"):
        login_user(world.learner)
        with pytest.raises(Forbidden):
            require("admin.view")
    with app.test_request_context("/admin/"):
        logout_user()  # the test's app context (and its g) outlives each request context
        with pytest.raises(HTTPException) as caught:
            require("admin.view")
        response = caught.value.get_response()
        assert response.status_code == 302
        assert "/login" in response.location


def test_a_learner_takes_the_pretest_before_the_rest_of_the_course(world, app):
    course = world.courses["published"]
    module = db.session.query(Module).filter_by(course_id=course.id).one()
    pretest = Activity(course_id=course.id, module_id=module.id, key="m1/pretest", type="quiz",
                       title="Pretest", position=0, published=True,
                       spec={"settings": {"role": "pretest"}, "questions": []})  # fmt: skip
    db.session.add(pretest)
    db.session.commit()
    mine, theirs = world.enrollments["published"], Enrollment(user_id=world.outsider.id)
    lesson, gone = activity(course, "live"), activity(course, "gone")
    learner = world.learner
    taken = {pretest.id: SimpleNamespace(completed_at=NOW)}
    begun = {pretest.id: SimpleNamespace(completed_at=None)}
    assert pretest_due(learner, course, mine) == "m1/pretest"  # the course itself
    assert pretest_due(learner, course, mine, lesson) == "m1/pretest"
    assert pretest_due(learner, course, mine, lesson, begun) == "m1/pretest"
    assert pretest_due(learner, course, mine, lesson, {}) == "m1/pretest"  # no rows yet
    assert (
        pretest_due(learner, course, mine, lesson, taken) is None
    )  # from the caller's rows
    assert pretest_due(learner, course, mine, pretest) is None  # the pretest itself
    assert (
        pretest_due(learner, course, mine, gone) is None
    )  # archived: kept for who did it
    assert pretest_due(learner, course, None, lesson) is None  # staff previewing
    assert pretest_due(world.teacher, course, theirs, lesson) is None  # someone else's
    assert pretest_due(world.anonymous, course, mine, lesson) is None
    assert pretest_due(world.outsider, world.other, theirs) is None  # no pretest
    for action in ("activity.submit", "discussion.ask"):
        assert can(learner, action, lesson, mine) is False, action
        assert can(learner, action, pretest, mine) is True, action
    assert can(learner, "course.save_offline", course, mine) is False
    with app.test_request_context():  # taken once in a request: not asked again
        assert pretest_due(learner, course, mine, lesson, taken) is None
        assert pretest_due(learner, course, mine, lesson, begun) is None
    db.session.add(ActivityProgress(user_id=learner.id, activity_id=pretest.id,
                                    completed_at=NOW))  # fmt: skip
    db.session.commit()
    assert pretest_due(learner, course, mine, lesson) is None  # read from the database
    for action in ("activity.submit", "discussion.ask"):
        assert can(learner, action, lesson, mine) is True, action
    assert can(learner, "course.save_offline", course, mine) is True
    assert pretest_due(learner, course, mine, lesson, begun) == "m1/pretest"
