"""The discussion, survey and offline rules of lms/permissions.py, for every kind of person.

The world of tests/test_permissions.py, plus: two members of its cohort A (one with a mentor), a
member of cohort B of the same course with B's coach, and threads of each kind and scope.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, CohortStaff, DiscussionPost, DiscussionThread, Enrollment
from lms.permissions import (
    can,
    forum_standing,
    member_scope,
    questions_visible_to,
    threads_moderated_by,
    topics_visible_to,
)
from tests.test_permissions import NOW, _person, activity, world  # noqa: F401


@pytest.fixture
def forum(world):  # noqa: F811
    """Add cohort members, a mentor, cohort B and its coach, and threads, to the world."""
    w = world
    course = w.courses["published"]
    w.course, w.lesson = course, activity(course, "live")
    w.cohort_b = Cohort(course_id=course.id, name="Angkatan B", starts_on=NOW.date(),
                        ends_on=NOW.date())  # fmt: skip
    db.session.add(w.cohort_b)
    db.session.flush()
    w.mentor, w.ani, w.budi = (
        _person(10, "learner"),
        _person(11, "learner"),
        _person(12, "learner"),
    )
    w.citra, w.coach_b = _person(13, "learner"), _person(14, "learner")
    w.member = {}
    for user, cohort, mentor in [(w.ani, w.cohort, w.mentor), (w.budi, w.cohort, None),
                                 (w.citra, w.cohort_b, None)]:  # fmt: skip
        w.member[user.id] = Enrollment(user_id=user.id, course_id=course.id, enrolled_at=NOW,
                                       cohort_id=cohort.id, mentor_id=mentor and mentor.id)  # fmt: skip
        db.session.add(w.member[user.id])
    db.session.add(
        CohortStaff(cohort_id=w.cohort_b.id, user_id=w.coach_b.id, role="coach")
    )

    def thread(kind="question", cohort=None, learner=None, **flags):
        t = DiscussionThread(course_id=course.id, kind=kind, title=f"{kind} {len(w.threads)}",
                             activity_id=w.lesson.id if kind == "question" else None,
                             cohort_id=cohort and cohort.id, learner_id=learner and learner.id,
                             author_id=w.ani.id, **flags)  # fmt: skip
        db.session.add(t)
        w.threads.append(t)
        return t

    w.threads = []
    w.q_course = thread()  # a self-paced learner's question: no cohort
    w.q_a = thread(cohort=w.cohort)
    w.q_b = thread(cohort=w.cohort_b)
    w.q_hidden = thread(cohort=w.cohort, hidden=True)
    w.q_locked = thread(cohort=w.cohort, locked=True)
    w.t_open = thread("topic", w.cohort)
    w.t_ani = thread("topic", w.cohort, w.ani)
    w.t_budi = thread("topic", w.cohort, w.budi)
    w.t_hidden = thread("topic", w.cohort, hidden=True)
    db.session.commit()
    return w


def enrollment_of(w, user):
    """Return the user's enrollment in the published course, or None."""
    if user is w.learner:
        return w.enrollments["published"]
    return w.member.get(getattr(user, "id", None))


def allowed(w, action, obj, names):
    """Return the names among `names` that may do `action` on `obj` (each with their enrollment)."""
    found = []
    for name in names:
        user = getattr(w, name)
        answer = can(user, action, obj, enrollment_of(w, user))
        assert isinstance(answer, bool), (name, answer)
        if answer:
            found.append(name)
    return found


EVERYONE = ["anonymous", "admin", "teacher", "stranger", "demoted", "learner", "outsider",
            "supervisor", "facilitator", "coach", "mentor", "ani", "budi", "citra", "coach_b"]  # fmt: skip
ORGANISERS = ["admin", "teacher", "facilitator"]


def test_who_organises_and_moderates_cohort_a(forum):
    w = forum
    assert allowed(w, "forum.organise", w.cohort, EVERYONE) == ORGANISERS
    moderators = ["admin", "teacher", "facilitator", "coach"]
    assert allowed(w, "discussion.moderate", w.q_a, EVERYONE) == moderators
    assert allowed(w, "discussion.moderate", w.q_b, EVERYONE) == [
        "admin",
        "teacher",
        "coach_b",
    ]
    assert allowed(w, "discussion.moderate", w.q_course, EVERYONE) == [
        "admin",
        "teacher",
    ]


def test_who_reads_cohort_a_forum(forum):
    w = forum
    readers = [
        "admin",
        "teacher",
        "supervisor",
        "facilitator",
        "coach",
        "mentor",
        "ani",
        "budi",
    ]
    assert allowed(w, "forum.view", w.cohort, EVERYONE) == readers


def test_forum_standing_is_membership_and_mentees(forum):
    w = forum
    assert forum_standing(w.ani.id, w.cohort.id) == (True, frozenset())
    assert forum_standing(w.mentor.id, w.cohort.id) == (False, frozenset({w.ani.id}))
    assert forum_standing(w.citra.id, w.cohort.id) == (False, frozenset())
    assert forum_standing(w.mentor.id, w.cohort_b.id) == (False, frozenset())


def test_who_reads_each_forum_topic(forum):
    w = forum
    moderators = ["admin", "teacher", "facilitator", "coach"]
    open_topic = [
        "admin",
        "teacher",
        "supervisor",
        "facilitator",
        "coach",
        "mentor",
        "ani",
        "budi",
    ]
    assert allowed(w, "discussion.view", w.t_open, EVERYONE) == open_topic
    assert allowed(w, "discussion.view", w.t_ani, EVERYONE) == [
        *moderators,
        "mentor",
        "ani",
    ]
    assert allowed(w, "discussion.view", w.t_budi, EVERYONE) == [*moderators, "budi"]
    assert allowed(w, "discussion.view", w.t_hidden, EVERYONE) == moderators


def test_who_reads_each_question(forum):
    w = forum
    # by cohort (the default): members of the question's cohort, its staff, and moderators
    assert allowed(w, "discussion.view", w.q_a, EVERYONE) == [
        "admin", "teacher", "supervisor", "facilitator", "coach", "ani", "budi"]  # fmt: skip
    assert allowed(w, "discussion.view", w.q_b, EVERYONE) == [
        "admin",
        "teacher",
        "citra",
        "coach_b",
    ]
    assert allowed(w, "discussion.view", w.q_course, EVERYONE) == [
        "admin",
        "teacher",
        "learner",
    ]
    assert allowed(w, "discussion.view", w.q_hidden, EVERYONE) == [
        "admin", "teacher", "facilitator", "coach"]  # fmt: skip
    w.course.discussions_by_cohort = False  # then every member reads every question
    assert allowed(w, "discussion.view", w.q_b, EVERYONE) == [
        "admin", "teacher", "learner", "ani", "budi", "citra", "coach_b"]  # fmt: skip
    # an enrollment in another course opens nothing here
    other = Enrollment(user_id=w.outsider.id, course_id=w.other.id, enrolled_at=NOW)
    assert can(w.outsider, "discussion.view", w.q_course, other) is False


def test_who_replies_and_accepts(forum):
    w = forum
    assert allowed(w, "discussion.reply", w.q_a, EVERYONE) == [
        "admin", "teacher", "supervisor", "facilitator", "coach", "ani", "budi"]  # fmt: skip
    moderators = ["admin", "teacher", "facilitator", "coach"]
    assert allowed(w, "discussion.reply", w.q_locked, EVERYONE) == moderators
    assert allowed(w, "discussion.reply", w.q_hidden, EVERYONE) == moderators
    assert allowed(w, "discussion.accept", w.q_a, EVERYONE) == ["admin", "teacher"]
    assert allowed(w, "discussion.accept", w.t_open, EVERYONE) == []


def test_who_asks_and_opens_a_lessons_questions(forum):
    w = forum
    askers = ["admin", "teacher", "learner", "ani", "budi", "citra"]
    assert allowed(w, "discussion.ask", w.lesson, EVERYONE) == askers
    listers = [
        *askers[:3],
        "supervisor",
        "facilitator",
        "coach",
        *askers[3:],
        "coach_b",
    ]
    assert allowed(w, "discussion.list", w.lesson, EVERYONE) == listers
    for key in (
        "draft",
        "gone",
    ):  # nobody asks about these; cohort staff do not open them
        a = activity(w.course, key)
        assert allowed(w, "discussion.ask", a, EVERYONE) == []
        assert "coach" not in allowed(w, "discussion.list", a, EVERYONE)
    # the staff of another course's cohort see nothing of this course
    db.session.add(
        CohortStaff(cohort_id=w.other_cohort.id, user_id=w.outsider.id, role="coach")
    )
    assert can(w.outsider, "discussion.list", w.lesson, None) is False


def _post(w, author, thread, **fields):
    post = DiscussionPost(thread_id=thread.id, number=1, author_id=author.id, body="x",
                          html="<p>x</p>", **fields)  # fmt: skip
    db.session.add(post)
    db.session.flush()
    return post


def test_who_edits_deletes_and_reports_a_post(forum, monkeypatch):
    w = forum
    now = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    monkeypatch.setattr("lms.models.types.utcnow", lambda: now)
    window = timedelta(minutes=current_app.config["LMS_DISCUSSION_EDIT_MINUTES"])
    post = _post(w, w.ani, w.q_a, created_at=now - window)
    assert allowed(w, "post.edit", post, EVERYONE) == [
        "ani"
    ]  # the last minute of the window
    post.created_at = now - window - timedelta(seconds=1)
    assert allowed(w, "post.edit", post, EVERYONE) == []
    post.created_at = now
    moderators = ["admin", "teacher", "facilitator", "coach"]
    assert allowed(w, "post.delete", post, EVERYONE) == [*moderators, "ani"]
    assert allowed(w, "post.report", post, EVERYONE) == [
        "admin", "teacher", "supervisor", "facilitator", "coach", "budi"]  # fmt: skip
    w.member[
        w.ani.id
    ].cohort_id = w.cohort_b.id  # Ani moved to cohort B: no longer a reader
    assert allowed(w, "post.delete", post, ["ani"]) == []
    w.member[w.ani.id].cohort_id = w.cohort.id
    w.q_a.locked = True
    assert allowed(w, "post.edit", post, ["ani"]) == []
    w.q_a.locked = False
    post.hidden_at = now
    assert allowed(w, "post.edit", post, ["ani"]) == []
    post.hidden_at, post.deleted_at = None, now
    assert allowed(w, "post.edit", post, ["ani"]) == []
    assert allowed(w, "post.delete", post, EVERYONE) == []


def test_who_reads_survey_results(forum):
    w = forum
    teachers = ["admin", "teacher"]
    for action in ("survey.report", "gain.report"):
        assert allowed(w, action, w.course, EVERYONE) == teachers
    for action in ("survey.cohort_report", "gain.cohort_report"):
        assert allowed(w, action, w.cohort, EVERYONE) == [*teachers, "supervisor"]
        assert allowed(w, action, w.cohort_b, EVERYONE) == teachers
    # what learners said about them: the course's staff, cohort facilitators and coaches, mentors
    own = ["teacher", "demoted", "facilitator", "coach", "mentor", "coach_b"]
    assert allowed(w, "survey.own_results", w.course, EVERYONE) == own
    assert allowed(w, "survey.own_results", w.other, EVERYONE) == ["stranger"]


def test_only_an_enrolled_learner_saves_a_live_course_offline(world):  # noqa: F811
    w = world
    for name, expected in [("published", True), ("draft", False), ("archived", False)]:
        course, mine = w.courses[name], w.enrollments[name]
        assert can(w.learner, "course.save_offline", course, mine) is expected, name
        assert can(w.outsider, "course.save_offline", course, mine) is False
        assert can(w.anonymous, "course.save_offline", course, mine) is False
        assert can(w.admin, "course.save_offline", course, None) is False
    other = w.courses["draft"]
    assert can(w.learner, "course.save_offline", w.courses["published"],
               w.enrollments["draft"]) is False  # fmt: skip
    assert other.published is False


def _visible(condition):
    return set(db.session.scalars(select(DiscussionThread.title).where(condition)))


def test_thread_lists_show_what_each_person_reads(forum):
    """The SQL conditions of the lists agree with discussion.view, thread by thread."""
    w = forum
    questions = [t for t in w.threads if t.kind == "question"]
    topics = [t for t in w.threads if t.kind == "topic"]
    for name in EVERYONE[1:]:
        user = getattr(w, name)
        mine = enrollment_of(w, user)
        reads = {t.title for t in questions if can(user, "discussion.view", t, mine)}
        shown = _visible(
            questions_visible_to(user, w.course, mine)
            & (DiscussionThread.kind == "question")
        )
        assert shown == reads, name
        reads = {t.title for t in topics if can(user, "discussion.view", t, mine)}
        shown = _visible(
            topics_visible_to(user, w.cohort) & (DiscussionThread.kind == "topic")
        )
        assert shown == reads, name
    w.course.discussions_by_cohort = False
    assert _visible(member_scope(w.course, w.cohort.id)) == {t.title for t in w.threads}
    w.course.discussions_by_cohort = True
    scoped = {w.q_course.title}
    assert _visible(member_scope(w.course, None)) == scoped | {
        t.title for t in topics if not t.cohort_id
    }


def test_a_member_of_another_course_sees_no_question_here(forum):
    w = forum
    other = SimpleNamespace(course_id=w.other.id, cohort_id=None)
    assert _visible(questions_visible_to(w.outsider, w.course, other)) == set()


def test_the_staff_of_a_courses_only_cohort_read_its_questions(forum):
    w = forum
    w.cohort_b.course_id = w.other.id  # cohort A is now the course's only cohort
    db.session.flush()
    question = DiscussionThread.kind == "question"
    for name in ("coach", "supervisor"):
        user = getattr(w, name)
        shown = _visible(questions_visible_to(user, w.course, None) & question)
        assert w.q_a.title in shown, name


def test_who_reads_the_reports_and_of_which_threads(forum):
    """The course's teachers and admins see every thread's reports; a coach or facilitator those
    of their cohort; a supervisor (who does not moderate) none."""
    w = forum
    readers = ["admin", "teacher", "facilitator", "coach", "coach_b"]
    assert allowed(w, "discussion.reports", w.course, EVERYONE) == readers
    everything = {t.title for t in w.threads}
    of_a = {t.title for t in w.threads if t.cohort_id == w.cohort.id}
    of_b = {t.title for t in w.threads if t.cohort_id == w.cohort_b.id}
    for name, expected in [("admin", everything), ("teacher", everything), ("coach", of_a),
                           ("facilitator", of_a), ("coach_b", of_b)]:  # fmt: skip
        assert _visible(threads_moderated_by(getattr(w, name), w.course)) == expected, (
            name
        )
        # and nothing of another course
        assert _visible(threads_moderated_by(getattr(w, name), w.other)) == set(), name
    archived = w.courses["archived"]
    assert allowed(w, "discussion.reports", archived, EVERYONE) == ["admin"]
    # A coach of another course's cohort only: nothing here.
    elsewhere = _person(15, "learner")
    db.session.add(
        CohortStaff(cohort_id=w.other_cohort.id, user_id=elsewhere.id, role="coach")
    )
    db.session.commit()
    assert can(elsewhere, "discussion.reports", w.course) is False
    assert can(elsewhere, "discussion.reports", w.other) is True
