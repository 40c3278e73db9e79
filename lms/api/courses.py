"""Courses and their outline, the caller's enrollments and progress, marking lessons done."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from lms.activities.registry import activity_types
from lms.api.auth import api_user, public
from lms.api.docs_helpers import problems_documented
from lms.api.lookup import activity_for, authorize, course_for, pretest_taken
from lms.api.pagination import page_of
from lms.api.problems import ApiProblem
from lms.api.schemas import (
    CompletionOut,
    CourseDetail,
    CourseList,
    EnrollArgs,
    EnrollmentList,
    EnrollmentOut,
    PageArgs,
    ProgressOut,
)
from lms.extensions import db
from lms.learn import progress
from lms.learn.outline import catalog, course_outline
from lms.models import Activity, ActivityProgress, Course, Enrollment

bp = Blueprint(
    "api_courses",
    __name__,
    url_prefix="/api/v1",
    description="The catalogue, your enrollments and your progress.",
)


def _percent(done: int, total: int) -> int:
    return min(100, 100 * done // total) if total else 0


def course_summary(course: Course, activities: int, enrollment: Enrollment | None):
    """Return a course as lists show it."""
    return {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "category": course.category,
        "audience": course.audience,
        "language": course.language,
        "jp": course.jp,
        "minutes": course.minutes,
        "cohort_based": course.cohort_based,
        "activities": activities,
        "enrolled": enrollment is not None,
        "percent": _percent(enrollment.completed_activities, activities)
        if enrollment
        else 0,
    }


def enrollment_out(enrollment: Enrollment, course: Course, activities: int):
    """Return an enrollment as the API shows it."""
    return {
        "course": course.slug,
        "title": course.title,
        "enrolled_at": enrollment.enrolled_at,
        "completed_activities": enrollment.completed_activities,
        "activities": activities,
        "percent": _percent(enrollment.completed_activities, activities),
        "last_activity_at": enrollment.last_activity_at,
        "completed_at": enrollment.completed_at,
    }


def _user_id():
    user = api_user()
    return user.id if user.is_authenticated else None


@bp.route("/courses")
class Courses(MethodView):
    @public
    @bp.doc(security=[{}, {"bearerToken": []}])
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, CourseList)
    @problems_documented(bp, 401, 429)
    @bp.doc(operationId="listCourses")
    def get(self, args):
        """List the published courses (with your progress when you send a token).

        Open to everyone, without a token. With a token, each course also carries your
        enrollment and percent done.
        """
        entries = catalog(_user_id())
        page = page_of(entries, args)
        page["items"] = [
            course_summary(e.course, e.activities, e.enrollment) for e in page["items"]
        ]
        return page


@bp.route("/courses/<slug>")
class CourseView(MethodView):
    @public
    @bp.doc(security=[{}, {"bearerToken": []}])
    @bp.response(200, CourseDetail)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="getCourse")
    def get(self, slug):
        """Show a course with its modules and activities (and your status on each).

        A course in the catalogue is open to everyone; one that is not, only to its instructors
        and admins. With a token, each activity also carries your status.
        """
        user = api_user()
        course = course_for(slug, user)
        enrollment = (
            progress.get_enrollment(user.id, course.id)
            if user.is_authenticated
            else None
        )
        outline = course_outline(course, user.id if enrollment else None)
        detail = course_summary(course, outline.total, enrollment)
        detail.update(
            description_html=course.description_html,
            objectives=list(course.objectives or []),
            modules=[
                {
                    "key": m.key,
                    "title": m.title,
                    "summary": m.summary,
                    "activities": [vars(item) for item in m.items],
                }
                for m in outline.modules
            ],
        )
        return detail


@bp.route("/enrollments")
class Enrollments(MethodView):
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, EnrollmentList)
    @problems_documented(bp, 401, 429)
    @bp.doc(operationId="listEnrollments")
    def get(self, args):
        """List the courses you are enrolled in.

        Needs a token. Each enrollment carries its course and your percent done.
        """
        entries = catalog(api_user().id, enrolled_only=True)
        page = page_of(entries, args)
        page["items"] = [
            enrollment_out(e.enrollment, e.course, e.activities) for e in page["items"]
        ]
        return page

    @bp.arguments(EnrollArgs)
    @bp.response(201, EnrollmentOut, description="Enrolled now")
    @bp.alt_response(
        200, schema=EnrollmentOut, description="Already enrolled", success=True
    )
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="enroll")
    def post(self, args):
        """Enroll in a course; enrolling again changes nothing and answers 200.

        Needs a `write` token. Only courses in the catalogue take enrollments: 201 with the new
        enrollment, 200 with the one you already had.
        """
        user = api_user()
        course = course_for(args["course"], user)
        existed = (
            user.is_authenticated
            and progress.get_enrollment(user.id, course.id) is not None
        )
        if course.cohort_based and user.is_authenticated and not existed:
            raise ApiProblem(
                "forbidden",
                "This course is open only to members of its cohorts (angkatan): "
                "ask its organiser to add you to one.",
            )
        if not (course.cohort_based and existed):  # a member is already in
            authorize(
                user,
                "course.enroll",
                course,
                detail="This course takes no enrollments.",
            )
        enrollment = progress.enroll(user, course)
        outline = course_outline(course, None)
        return enrollment_out(enrollment, course, outline.total), (
            200 if existed else 201
        )


@bp.route("/courses/<slug>/progress")
class CourseProgress(MethodView):
    @bp.response(200, ProgressOut)
    @problems_documented(bp, 401, 403, 404, 429)
    @bp.doc(operationId="getCourseProgress")
    def get(self, slug):
        """Show your progress on a course: each activity's completion and score.

        Needs a token and an enrollment in the course (404 without one). Activities come in
        course order.
        """
        user = api_user()
        course = course_for(slug, user)
        enrollment = progress.get_enrollment(user.id, course.id)
        if enrollment is None:
            raise ApiProblem("not-found", "You are not enrolled in this course.")
        outline = course_outline(course, user.id)
        scores = dict(
            db.session.execute(
                select(ActivityProgress.activity_id, ActivityProgress.score)
                .join(Activity, Activity.id == ActivityProgress.activity_id)
                .where(
                    ActivityProgress.user_id == user.id,
                    Activity.course_id == course.id,
                )
            ).all()
        )
        out = enrollment_out(enrollment, course, outline.total)
        return {
            **{k: out[k] for k in ("course", "enrolled_at", "completed_activities")},
            "activities": out["activities"],
            "percent": out["percent"],
            "completed_at": enrollment.completed_at,
            "items": [
                {**vars(item), "score": scores.get(item.id)} for item in outline.items
            ],
        }


@bp.route("/courses/<slug>/activities/<module_key>/<activity_key>/complete")
class ActivityCompletion(MethodView):
    @bp.response(200, CompletionOut)
    @problems_documented(bp, 400, 401, 403, 404, 429)
    @bp.doc(operationId="completeActivity")
    def post(self, slug, module_key, activity_key):
        """Mark a lesson (an activity completed by marking it) as done; again changes nothing.

        Needs a `write` token and an enrollment. Quizzes and assignments are completed through
        their own endpoints, not here (400).
        """
        user = api_user()
        course = course_for(slug, user)
        activity = activity_for(course, module_key, activity_key)
        enrollment = progress.get_enrollment(user.id, course.id)
        pretest_taken(user, course, enrollment, activity)
        authorize(
            user,
            "activity.submit",
            activity,
            enrollment,
            detail="Enroll in the course before completing its activities.",
        )
        kind = activity_types()[activity.type]
        if not kind.completes_by_marking:
            raise ApiProblem(
                "not-completable",
                f"A {activity.type} is completed by doing it, not by marking it.",
            )
        row = db.session.scalar(
            select(ActivityProgress).where(
                ActivityProgress.user_id == user.id,
                ActivityProgress.activity_id == activity.id,
            )
        )
        result = kind.submit(activity, row, {})
        newly = (
            progress.complete_activity(user.id, activity) if result.completed else False
        )
        enrollment = progress.get_enrollment(user.id, course.id)
        total = course_outline(course, None).total
        return {
            "activity": activity.key,
            "completed": result.completed,
            "newly_completed": newly,
            "course_percent": _percent(enrollment.completed_activities, total),
            "course_completed_at": enrollment.completed_at,
        }
