"""Who may do what to which object: decided here, for web views and API alike."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, bindparam, false, func, select

from lms.extensions import db
from lms.models import Activity, Cohort, CohortStaff, Course, CourseStaff, Enrollment


def can(
    user, action: str, obj: Any = None, enrollment: Enrollment | None = None
) -> bool:
    """Tell whether `user` may perform `action` on `obj`."""
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"unknown permission action {action!r}")
    return rule(user, obj, enrollment)


def _view_course(user, course: Course, _enrollment) -> bool:
    if course.archived_at is not None:
        return user.is_authenticated and user.has_role("admin")
    return course.published or _teach(user, course, None)


def _enroll(user, course: Course, _enrollment) -> bool:
    # A cohort-only course takes members through its angkatan, never by themselves.
    return (
        user.is_authenticated
        and course.archived_at is None
        and course.published
        and not course.cohort_based
    )


def _view_activity(user, activity: Activity, enrollment) -> bool:
    if not user.is_authenticated or not _view_course(user, activity.course, None):
        return False
    if activity.archived_at is not None:
        return enrollment is not None or user.has_role("admin")
    if not activity.published:  # a draft: only its course's staff may preview it
        return _teach(user, activity.course, None)
    return enrollment is not None or _teach(user, activity.course, None)


def _submit_activity(user, activity: Activity, enrollment) -> bool:
    return (
        user.is_authenticated
        and enrollment is not None
        and enrollment.user_id == user.id
        and activity.archived_at is None
        and activity.published
        and activity.course.published
        and activity.course.archived_at is None
        and pretest_due(user, activity.course, enrollment, activity) is None
    )


def pretest_due(
    user, course: Course, enrollment, activity: Activity | None = None, progress=None
) -> str | None:
    """Return the key of the course's pretest the learner must take before `activity` (before
    any of the course's content when no activity is given), or None.

    Only a learner's own enrollment is held back: staff previewing, the pretest itself and an
    archived activity (kept for those who did it) go on. `progress` (the learner's rows by
    activity id, if the caller has them) spares a query.
    """
    from lms.gain.course_tests import course_tests

    if enrollment is None or not user.is_authenticated or enrollment.user_id != user.id:
        return None
    pretest = course_tests(course).pretest
    if pretest is None:
        return None
    if activity is not None and (activity.id == pretest[0] or activity.archived_at):
        return None
    key = ("pretest", user.id, pretest[0])
    known = _roles_memo()  # only "taken" is kept: it never turns back within a request
    if not known.get(key) and progress is not None:
        row = progress.get(pretest[0])
        known[key] = row is not None and row.completed_at is not None
    elif not known.get(key):
        known[key] = _completed(user.id, pretest[0])
    return None if known[key] else pretest[1]


def _completed(user_id: int, activity_id: int) -> bool:
    from lms.models import ActivityProgress

    return db.session.scalar(select(ActivityProgress.completed_at).where(
        ActivityProgress.user_id == user_id, ActivityProgress.activity_id == activity_id
    )) is not None  # fmt: skip


def _teach(user, course: Course, _enrollment) -> bool:
    """Instructors assigned to the course, and admins."""
    if not user.is_authenticated:
        return False
    if user.has_role("admin"):
        return True
    return user.has_role("instructor") and is_course_staff(user.id, course.id)


def _create_course(user, _obj, _enrollment) -> bool:
    """Instructors and admins may start a new course (and become its staff)."""
    return user.is_authenticated and bool(user.role_names & {"admin", "instructor"})


def is_course_staff(user_id: int, course_id: int) -> bool:
    """Tell whether the user is on the course's teaching staff."""
    return (
        db.session.scalar(
            select(CourseStaff.id).where(
                CourseStaff.user_id == user_id, CourseStaff.course_id == course_id
            )
        )
        is not None
    )


def _view_attempt(user, attempt, _enrollment) -> bool:
    if not user.is_authenticated:
        return False
    return attempt.user_id == user.id or _teach(user, attempt.activity.course, None)


def _view_certificate(user, certificate, _enrollment) -> bool:
    """The learner it was issued to, the course's staff, and admins."""
    if not user.is_authenticated:
        return False
    if certificate.user_id == user.id or user.has_role("admin"):
        return True
    course = _course_by_id(certificate.course_id)
    return course is not None and _teach(user, course, None)


def _revoke_certificate(user, _certificate, _enrollment) -> bool:
    return user.is_authenticated and user.has_role("admin")


def _view_jp_record(user, record, _enrollment) -> bool:
    """The learner whose record it is, admins, and (external training) its approvers."""
    return user.is_authenticated and (
        record.user_id == user.id
        or user.has_role("admin")
        or (record.source == "external" and _review_jp_record(user, record, None))
    )


def _course_by_id(course_id: int | None) -> Course | None:
    """Return the course by id, or None (also for a certificate whose course was deleted)."""
    return db.session.get(Course, course_id) if course_id is not None else None


def is_cohort_staff(user_id: int, cohort_id: int, roles=None) -> bool:
    """Tell whether the user is on the cohort's staff (in one of `roles`, if given)."""
    held = _cohort_roles(user_id, cohort_id)
    return bool(held and (not roles or held & set(roles)))


def staff_roles_column():
    """Return, as a column of a query over cohorts, the roles on each cohort's staff of the user
    given as the parameter `user_id` ("supervisor,coach", or None); pass it to
    `remember_cohort_roles`, so that a view that loads a cohort checks it with no more queries."""
    return (
        select(func.aggregate_strings(CohortStaff.role, ","))
        .where(
            CohortStaff.cohort_id == Cohort.id,
            CohortStaff.user_id == bindparam("user_id"),
        )
        .scalar_subquery()
    )


def remember_cohort_roles(user_id: int, cohort_id: int, roles: str | None) -> None:
    """Tell this request the user's staff roles on the cohort, as `staff_roles_column` read them."""
    _roles_memo()[(user_id, cohort_id)] = (
        frozenset(roles.split(",")) if roles else frozenset()
    )


def _roles_memo() -> dict:
    """Return this request's memo of staff roles by (user, cohort) (a fresh one outside requests)."""
    from flask import g, has_request_context

    return g.setdefault("_lms_cohort_roles", {}) if has_request_context() else {}


def _cohort_roles(user_id: int, cohort_id: int) -> frozenset[str]:
    """Return the user's roles on the cohort's staff, read once per request (a page asks several times)."""
    known = _roles_memo()
    if (user_id, cohort_id) not in known:
        known[(user_id, cohort_id)] = frozenset(db.session.scalars(select(CohortStaff.role).where(
            CohortStaff.user_id == user_id, CohortStaff.cohort_id == cohort_id)))  # fmt: skip
    return known[(user_id, cohort_id)]


def _view_cohort(user, cohort, _enrollment) -> bool:
    """Admins, the cohort's staff, and the instructors of its course."""
    if not user.is_authenticated:
        return False
    return (
        user.has_role("admin")
        or is_cohort_staff(user.id, cohort.id)
        or _teach(user, cohort.course, None)
    )


def _manage_cohort(user, cohort, _enrollment) -> bool:
    """Admins and the instructors of the cohort's course."""
    return user.is_authenticated and _teach(user, cohort.course, None)


def _remind_cohort(user, cohort, _enrollment) -> bool:
    """Admins and the cohort's supervisors and facilitators."""
    if not user.is_authenticated:
        return False
    return user.has_role("admin") or is_cohort_staff(
        user.id, cohort.id, ("supervisor", "facilitator")
    )


def _create_cohort(user, _obj, _enrollment) -> bool:
    return user.is_authenticated and bool(user.role_names & {"admin", "instructor"})


def _export_learning_records(user, _obj, _enrollment) -> bool:
    """Admins export everyone's xAPI statements (each learner reads their own)."""
    return user.is_authenticated and user.has_role("admin")


def _admin(user, _obj, _enrollment) -> bool:
    return user.is_authenticated and user.has_role("admin")


RULES = {
    "admin.view": _admin,
    "xapi.export": _export_learning_records,
    "cohort.view": _view_cohort,
    "cohort.manage": _manage_cohort,
    "cohort.remind": _remind_cohort,
    "cohort.create": _create_cohort,
    "course.teach": _teach,
    "course.edit": _teach,
    "course.create": _create_course,
    "attempt.view": _view_attempt,
    "course.view": _view_course,
    "course.enroll": _enroll,
    "activity.view": _view_activity,
    "activity.submit": _submit_activity,
    "certificate.view": _view_certificate,
    "certificate.revoke": _revoke_certificate,
    "jp_record.view": _view_jp_record,
}


# Lists: what a user sees in a list obeys the same rules as the object checks above.


def courses_taught_by(user) -> Select:
    """Return a statement selecting the courses `user` may teach: all for admins (see `_teach`)."""
    query = select(Course)
    if not user.is_authenticated:
        return query.where(false())
    if user.has_role("admin"):
        return query
    if not user.has_role("instructor"):
        return query.where(false())
    return query.where(Course.id.in_(_staffed_courses(user.id)))


def cohorts_visible_to(user, course_id: int | None = None) -> Select:
    """Return a statement selecting the cohorts `user` may view (see `_view_cohort`), of one course if given."""
    query = select(Cohort)
    if course_id is not None:
        query = query.where(Cohort.course_id == course_id)
    if not user.is_authenticated:
        return query.where(false())
    if user.has_role("admin"):
        return query
    staffed = Cohort.id.in_(
        select(CohortStaff.cohort_id).where(CohortStaff.user_id == user.id)
    )
    if user.has_role("instructor"):
        return query.where(staffed | Cohort.course_id.in_(_staffed_courses(user.id)))
    return query.where(staffed)


def _staffed_courses(user_id: int) -> Select:
    return select(CourseStaff.course_id).where(CourseStaff.user_id == user_id)


def offers_authoring(user) -> bool:
    """Tell whether the header links to authoring: for those who may create courses."""
    return can(user, "course.create")


def offers_cohorts(user) -> bool:
    """Tell whether the header links to cohorts: for the site roles that run or watch them.

    Cohort staff without such a role reach their cohorts from the links they are sent;
    the list itself shows each user exactly `cohorts_visible_to`.
    """
    return user.is_authenticated and bool(
        user.role_names & {"supervisor", "instructor", "admin"}
    )


def offers_approvals(user) -> bool:
    """Tell whether the header links to approvals of external training (see `jp_record.review`)."""
    return user.is_authenticated and bool(
        user.role_names & {"jp_approver", "supervisor", "admin"}
    )


def require(action: str, obj: Any = None, enrollment: Enrollment | None = None) -> None:
    """Abort with 403 (or send an anonymous user to sign in) unless the current user may do `action` on `obj`."""
    if can(current_user, action, obj, enrollment):
        return
    if not current_user.is_authenticated:
        from lms.extensions import login_manager

        abort(login_manager.unauthorized())
    abort(403)


def _exchange_quiz(user, activity: Activity, _enrollment) -> bool:
    """The course's instructors and admins: an export holds the right answers."""
    return activity.type == "quiz" and _teach(user, activity.course, None)


def _import_questions(user, course: Course, _enrollment) -> bool:
    """Those who edit the course may bring questions into it."""
    return _teach(user, course, None)


RULES.update({"quiz.export": _exchange_quiz, "quiz.import": _import_questions})


def _review_jp_record(user, record, _enrollment) -> bool:
    """Approvers of the learner's work unit (its jp_approver or supervisor), and admins."""
    from lms.ledger.approvals import may_approve

    return may_approve(user, record)


RULES["jp_record.review"] = _review_jp_record


# --- Discussions (issue 27): lesson questions and cohort forums ---

#: Cohort staff roles that moderate their cohort's discussions (with the course's instructors).
MODERATING_ROLES = ("coach", "facilitator")


def _teaches(user, course) -> bool:
    """`course.teach`, asked once per request (a thread page asks it for every post)."""
    if not user.is_authenticated:
        return False
    key = ("teach", user.id, course.id)
    known = _roles_memo()
    if key not in known:
        known[key] = _teach(user, course, None)
    return known[key]


def _organise_forum(user, cohort, _enrollment=None) -> bool:
    """The cohort's organisers: its course's instructors, admins and its facilitators."""
    return user.is_authenticated and (
        _teaches(user, cohort.course)
        or is_cohort_staff(user.id, cohort.id, ("facilitator",))
    )


def _moderate_thread(user, thread, _enrollment=None) -> bool:
    """Instructors of the course and admins; coaches and facilitators of the thread's cohort."""
    if not user.is_authenticated:
        return False
    if _teaches(user, thread.course):
        return True
    return thread.cohort_id is not None and is_cohort_staff(
        user.id, thread.cohort_id, MODERATING_ROLES
    )


def _read_reports(user, course, _enrollment=None) -> bool:
    """The course's instructors and admins; coaches and facilitators of one of its cohorts (as
    long as the course itself is open to them)."""
    return (user.is_authenticated and _view_course(user, course, None)) and (
        _teaches(user, course)
        or db.session.scalar(select(_moderated_cohorts(user, course).exists()))
    )


def threads_moderated_by(user, course):
    """Return the SQL condition on DiscussionThread for the course's threads `user` moderates."""
    from lms.models import DiscussionThread

    in_course = DiscussionThread.course_id == course.id
    if _teaches(user, course):
        return in_course
    return in_course & DiscussionThread.cohort_id.in_(_moderated_cohorts(user, course))


def _moderated_cohorts(user, course) -> Select:
    return select(CohortStaff.cohort_id).join(Cohort, Cohort.id == CohortStaff.cohort_id).where(
        CohortStaff.user_id == user.id, Cohort.course_id == course.id,
        CohortStaff.role.in_(MODERATING_ROLES))  # fmt: skip


def forum_standing(user_id: int, cohort_id: int) -> tuple[bool, frozenset[int]]:
    """Return whether the user is a member of the cohort, and the members they mentor there."""
    from sqlalchemy import or_, select

    from lms.extensions import db

    key = ("forum", user_id, cohort_id)
    known = _roles_memo()
    if key not in known:
        rows = db.session.execute(
            select(Enrollment.user_id, Enrollment.mentor_id).where(
                Enrollment.cohort_id == cohort_id,
                or_(Enrollment.user_id == user_id, Enrollment.mentor_id == user_id),
            )
        ).all()
        member = any(row.user_id == user_id for row in rows)
        mentored = frozenset(r.user_id for r in rows if r.mentor_id == user_id)
        known[key] = (member, mentored)
    return known[key]


def _view_forum(user, cohort, _enrollment=None) -> bool:
    """The cohort's members, staff, organisers, and the mentors of its members."""
    if not user.is_authenticated:
        return False
    if _organise_forum(user, cohort) or is_cohort_staff(user.id, cohort.id):
        return True
    member, mentored = forum_standing(user.id, cohort.id)
    return member or bool(mentored)


def _view_topic(user, thread) -> bool:
    cohort = thread.cohort
    if _moderate_thread(user, thread) or _organise_forum(user, cohort):
        return True
    if thread.hidden:
        return False
    member, mentored = forum_standing(user.id, cohort.id)
    if thread.learner_id is None:  # open to the whole angkatan
        return member or bool(mentored) or is_cohort_staff(user.id, cohort.id)
    return thread.learner_id == user.id or thread.learner_id in mentored


def _view_thread(user, thread, enrollment) -> bool:
    """Who reads a thread: its moderators; for a question, the members its scope shows it to."""
    if not user.is_authenticated:
        return False
    if thread.kind == "topic":
        return _view_topic(user, thread)
    if _moderate_thread(user, thread):
        return True
    if thread.hidden:
        return False
    if thread.cohort_id is not None and is_cohort_staff(user.id, thread.cohort_id):
        return True
    if enrollment is None or enrollment.course_id != thread.course_id:
        return False
    return (
        not thread.course.discussions_by_cohort
        or thread.cohort_id == enrollment.cohort_id
    )


def _ask(user, activity, enrollment) -> bool:
    """Members of the course (after its pre-test) and its staff ask about a current lesson or quiz."""
    return (
        _view_activity(user, activity, enrollment)
        and activity.archived_at is None
        and activity.published
        and pretest_due(user, activity.course, enrollment, activity) is None
    )


def _reply(user, thread, enrollment) -> bool:
    """Anyone who reads an open thread answers; in a locked one only its moderators."""
    if not _view_thread(user, thread, enrollment):
        return False
    return not (thread.locked or thread.hidden) or _moderate_thread(user, thread)


def _accept_answer(user, thread, _enrollment) -> bool:
    """The course's instructors (and admins) accept an answer to a question."""
    return thread.kind == "question" and _teaches(user, thread.course)


def _edit_post(user, post, enrollment) -> bool:
    """The author, within the editing window, while the post stands and the thread is open."""
    from datetime import timedelta

    from flask import current_app

    from lms.models.types import utcnow

    if not user.is_authenticated or post.author_id != user.id:
        return False
    if post.deleted_at or post.hidden_at or not _reply(user, post.thread, enrollment):
        return False
    window = timedelta(minutes=current_app.config["LMS_DISCUSSION_EDIT_MINUTES"])
    return utcnow() - post.created_at <= window


def _delete_post(user, post, enrollment) -> bool:
    """The author (while they read the thread), or a moderator."""
    if not user.is_authenticated or post.deleted_at is not None:
        return False
    if _moderate_thread(user, post.thread):
        return True
    return post.author_id == user.id and _view_thread(user, post.thread, enrollment)


def _report_post(user, post, enrollment) -> bool:
    """Any reader reports someone else's post."""
    return (
        user.is_authenticated
        and post.author_id != user.id
        and _view_thread(user, post.thread, enrollment)
    )


def _report_survey(user, course, _enrollment) -> bool:
    """A survey's whole results: the course's instructors and admins."""
    return _teach(user, course, None)


def _report_survey_cohort(user, cohort, _enrollment) -> bool:
    """A survey's results for one cohort: also the cohort's supervisors."""
    if not user.is_authenticated:
        return False
    return _teach(user, cohort.course, None) or is_cohort_staff(
        user.id, cohort.id, ("supervisor",)
    )


def _own_survey_results(user, course, _enrollment) -> bool:
    """What learners said about a facilitator, to that facilitator: the course's instructors,
    its cohorts' facilitators and coaches, and its members' mentors."""
    from sqlalchemy import exists, or_, select

    from lms.extensions import db
    from lms.models import Cohort, CohortStaff, CourseStaff, Enrollment

    if not user.is_authenticated:
        return False
    staff = exists().where(
        CourseStaff.course_id == course.id, CourseStaff.user_id == user.id
    )
    cohort_staff = exists().where(
        CohortStaff.user_id == user.id, CohortStaff.role.in_(("facilitator", "coach")),
        CohortStaff.cohort_id == Cohort.id, Cohort.course_id == course.id,
    )  # fmt: skip
    mentor = exists().where(
        Enrollment.course_id == course.id, Enrollment.mentor_id == user.id
    )
    return bool(db.session.scalar(select(or_(staff, cohort_staff, mentor))))


def _list_questions(user, activity, enrollment) -> bool:
    """Who opens a lesson's questions: its readers (after the pre-test), and the staff of the course's cohorts."""
    if _view_activity(user, activity, enrollment):
        return pretest_due(user, activity.course, enrollment, activity) is None
    if not user.is_authenticated or activity.archived_at or not activity.published:
        return False
    from sqlalchemy import select

    from lms.extensions import db
    from lms.models import Cohort, CohortStaff

    return db.session.scalar(select(select(CohortStaff.id).join(
        Cohort, Cohort.id == CohortStaff.cohort_id).where(
        CohortStaff.user_id == user.id, Cohort.course_id == activity.course_id).exists()))  # fmt: skip


RULES.update(
    {
        "forum.view": _view_forum,
        "forum.organise": _organise_forum,
        "discussion.view": _view_thread,
        "discussion.list": _list_questions,
        "discussion.ask": _ask,
        "discussion.reply": _reply,
        "discussion.accept": _accept_answer,
        "discussion.moderate": _moderate_thread,
        "discussion.reports": _read_reports,
        "post.edit": _edit_post,
        "post.delete": _delete_post,
        "post.report": _report_post,
        "survey.report": _report_survey,
        "survey.cohort_report": _report_survey_cohort,
        "survey.own_results": _own_survey_results,
    }
)


def questions_visible_to(user, course: Course, enrollment: Enrollment | None):
    """Return the SQL condition on DiscussionThread for the course's questions the user reads."""
    from sqlalchemy import and_, false, or_, select, true

    from lms.models import Cohort, CohortStaff, DiscussionThread

    if _teaches(user, course):
        return true()
    staff = select(CohortStaff.cohort_id).join(
        Cohort, Cohort.id == CohortStaff.cohort_id
    )
    staff = staff.where(CohortStaff.user_id == user.id, Cohort.course_id == course.id)
    moderating = staff.where(CohortStaff.role.in_(MODERATING_ROLES))
    shown = DiscussionThread.hidden.is_(False)
    parts = [DiscussionThread.cohort_id.in_(moderating),
             and_(shown, DiscussionThread.cohort_id.in_(staff))]  # fmt: skip
    if enrollment is not None and enrollment.course_id == course.id:
        parts.append(and_(shown, member_scope(course, enrollment.cohort_id)))
    return or_(*parts) if parts else false()


def member_scope(course: Course, cohort_id: int | None):
    """Return the SQL condition: a question a member in `cohort_id` (or in none) sees."""
    from sqlalchemy import true

    from lms.models import DiscussionThread

    if not course.discussions_by_cohort:
        return true()
    return DiscussionThread.cohort_id.is_not_distinct_from(cohort_id)


def topics_visible_to(user, cohort):
    """Return the SQL condition on DiscussionThread for the cohort's forum topics the user reads."""
    from sqlalchemy import and_, or_, true

    from lms.models import DiscussionThread as T

    if _organise_forum(user, cohort) or is_cohort_staff(
        user.id, cohort.id, MODERATING_ROLES
    ):
        return true()
    member, mentored = forum_standing(user.id, cohort.id)
    open_ok = member or bool(mentored) or is_cohort_staff(user.id, cohort.id)
    mine = or_(T.learner_id == user.id, T.learner_id.in_(mentored or [-1]))
    reach = or_(T.learner_id.is_(None), mine) if open_ok else mine
    return and_(T.hidden.is_(False), reach)


RULES.update(
    {
        "gain.report": _report_survey,
        "gain.cohort_report": _report_survey_cohort,
    }
)


def _save_offline(user, course: Course, enrollment) -> bool:
    """Learners enrolled in a published course may keep its lessons on their device."""
    return (
        user.is_authenticated
        and enrollment is not None
        and enrollment.user_id == user.id
        and enrollment.course_id == course.id
        and course.published
        and course.archived_at is None
        and pretest_due(user, course, enrollment) is None
    )


RULES["course.save_offline"] = _save_offline
