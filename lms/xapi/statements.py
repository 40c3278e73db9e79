"""Building xAPI statements for learning events and queueing them in the event's own transaction.

Verbs (ADL vocabulary): an activity or course is `completed`; a graded quiz attempt is `passed` or
`failed` with its score (a course's pretest or posttest says so in the `test-role` extension, and
a posttest gives the learner's normalised gain, `normalised-gain`); a survey is `completed` with
none of its answers; a certificate is `satisfied` (https://w3id.org/xapi/adl/verbs/satisfied:
the LMS determined the learner fulfilled the course's criteria) with the certificate as the object
(activity type http://id.tincanapi.com/activitytype/certificate, its id the public verification URL);
a post in a discussion is `commented`, its thread the object and its text the result's response.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import current_app, has_request_context, request

from lms.extensions import db
from lms.models import Activity, Course, QuizAttempt, User, XapiStatement

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
FAILED = "http://adlnet.gov/expapi/verbs/failed"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
COMMENTED = "http://adlnet.gov/expapi/verbs/commented"

#: How each verb reads, in the languages of the interface.
VERB_DISPLAY = {
    COMPLETED: {"en-US": "completed", "id": "menyelesaikan"},
    PASSED: {"en-US": "passed", "id": "lulus"},
    FAILED: {"en-US": "failed", "id": "tidak lulus"},
    SATISFIED: {"en-US": "satisfied", "id": "memenuhi"},
    COMMENTED: {"en-US": "commented", "id": "berkomentar"},
}

COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
CERTIFICATE_TYPE = "http://id.tincanapi.com/activitytype/certificate"
#: The ADL activity type of each of our activity types (others get none).
ACTIVITY_TYPES = {
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
    "assignment": "http://adlnet.gov/expapi/activities/performance",
    "survey": "http://id.tincanapi.com/activitytype/survey",
}


def base_url() -> str:
    """Return the site's public address: LMS_BASE_URL, else the request's, else localhost."""
    base = current_app.config.get("LMS_BASE_URL")
    if not base and has_request_context():
        base = request.host_url
    return (base or "http://localhost").rstrip("/")


def extension(name: str) -> str:
    """Return the IRI of one of our statement extensions."""
    return f"{base_url()}/xapi/extensions/{name}"


def actor(user: User) -> dict[str, Any]:
    """Return the learner as an xAPI Agent identified by an account (never the email)."""
    config = current_app.config
    home = (config.get("LMS_XAPI_HOMEPAGE") or base_url()).rstrip("/")
    if config.get("LMS_XAPI_ACCOUNT_NAME") == "nip":
        name = user.nip or f"id:{user.id}"
    else:
        name = str(user.id)
    return {"objectType": "Agent", "account": {"homePage": home, "name": name}}


def course_object(course: Course) -> dict[str, Any]:
    """Return the course as an xAPI Activity."""
    return {
        "objectType": "Activity",
        "id": f"{base_url()}/courses/{course.slug}/",
        "definition": {
            "type": COURSE_TYPE,
            "name": {course.language or "id": course.title},
        },
    }


def activity_object(activity: Activity) -> dict[str, Any]:
    """Return a lesson, quiz or other activity as an xAPI Activity."""
    course = activity.course
    definition: dict[str, Any] = {"name": {course.language or "id": activity.title}}
    if activity.type in ACTIVITY_TYPES:
        definition["type"] = ACTIVITY_TYPES[activity.type]
    return {
        "objectType": "Activity",
        "id": f"{base_url()}/courses/{course.slug}/{activity.key}/",
        "definition": definition,
    }


def _context(course: Course | None, extensions: dict[str, Any] | None = None) -> dict:
    context: dict[str, Any] = {"platform": "Kelas ASN"}
    if course is not None:
        context["language"] = course.language or "id"
        context["contextActivities"] = {"parent": [course_object(course)]}
    if extensions:
        context["extensions"] = extensions
    return context


def record(
    user_id: int,
    verb: str,
    obj: dict,
    when: datetime,
    result: dict | None = None,
    context: dict | None = None,
) -> XapiStatement:
    """Queue a statement in the current transaction (it commits or rolls back with the event)."""
    user = db.session.get(User, user_id)
    statement_id = str(uuid.uuid4())
    payload: dict[str, Any] = {
        "id": statement_id,
        "actor": actor(user),
        "verb": {"id": verb, "display": VERB_DISPLAY[verb]},
        "object": obj,
        "timestamp": when.isoformat(),
    }
    if result:
        payload["result"] = result
    if context:
        payload["context"] = context
    row = XapiStatement(
        uuid=statement_id,
        user_id=user_id,
        verb=verb,
        payload=payload,
        created_at=when,
        next_attempt_at=when,
        attempts=0,
        last_error="",
    )
    db.session.add(row)
    return row


def score_result(score: Decimal | None) -> dict[str, Any]:
    """Return an xAPI score from a percent score (0-100)."""
    if score is None:
        return {}
    raw = float(score)
    return {"score": {"scaled": round(raw / 100, 4), "raw": raw, "min": 0, "max": 100}}


def activity_completed(
    user_id: int, activity: Activity, when: datetime, score: Decimal | None = None
) -> XapiStatement:
    """Record that the learner completed an activity."""
    result = {"completion": True, **score_result(score)}
    return record(user_id, COMPLETED, activity_object(activity), when, result,
                  _context(activity.course, _test_extensions(user_id, activity)))  # fmt: skip


def course_completed(user_id: int, course: Course, when: datetime) -> XapiStatement:
    """Record that the learner completed a whole course (with its JP)."""
    context = {"platform": "Kelas ASN", "language": course.language or "id",
               "extensions": {extension("jp"): course.jp}}  # fmt: skip
    return record(user_id, COMPLETED, course_object(course), when,
                  {"completion": True}, context)  # fmt: skip


def quiz_graded(attempt: QuizAttempt, when: datetime) -> XapiStatement:
    """Record a graded quiz attempt: passed or failed, with its score."""
    result: dict[str, Any] = {
        **score_result(attempt.score),
        "success": bool(attempt.passed),
        "completion": True,
    }
    if attempt.submitted_at and attempt.started_at:
        seconds = max(
            0, int((attempt.submitted_at - attempt.started_at).total_seconds())
        )
        result["duration"] = f"PT{seconds}S"
    activity = attempt.activity
    extensions = {
        extension("attempt"): attempt.number,
        **_test_extensions(attempt.user_id, activity, attempt.score),
    }
    context = _context(activity.course, extensions)
    return record(attempt.user_id, PASSED if attempt.passed else FAILED,
                  activity_object(activity), when, result, context)  # fmt: skip


def _test_extensions(
    user_id: int, activity: Activity, score: Decimal | None = None
) -> dict[str, Any]:
    """Say that a quiz is the course's pretest or posttest; a posttest score comes with the gain.

    A survey's statement carries nothing of its answers (an anonymous survey's are no one's).
    """
    role = (
        (activity.spec or {}).get("settings", {}).get("role")
        if activity.type == "quiz"
        else None
    )
    if role is None:
        return {}
    extensions: dict[str, Any] = {extension("test-role"): role}
    if role == "posttest" and score is not None:
        from lms.gain.course_tests import course_tests
        from lms.models import ActivityProgress

        pretest = course_tests(activity.course).pretest
        before = pretest and db.session.scalar(db.select(ActivityProgress.score).where(
            ActivityProgress.user_id == user_id, ActivityProgress.activity_id == pretest[0]))  # fmt: skip
        if before is not None and before < 100:
            gain = (Decimal(score) - before) / (100 - before)
            extensions[extension("normalised-gain")] = round(float(gain), 4)
    return extensions


def certificate_issued(
    user_id: int, course: Course, code: str, jp: Decimal, when: datetime
) -> XapiStatement:
    """Record that the learner earned the course's certificate."""
    obj = {
        "objectType": "Activity",
        "id": f"{base_url()}/verify/{code}",
        "definition": {
            "type": CERTIFICATE_TYPE,
            "name": {course.language or "id": course.title},
        },
    }
    context = _context(course, {extension("jp"): float(jp)})
    return record(user_id, SATISFIED, obj, when, {"completion": True}, context)


DISCUSSION_TYPE = "http://id.tincanapi.com/activitytype/discussion"


def post_commented(user_id: int, thread, post) -> XapiStatement:
    """Record that the member wrote a post in a discussion (the thread is the object)."""
    name = {thread.course.language or "id": thread.title}
    obj = {
        "objectType": "Activity",
        "id": f"{base_url()}/discussions/{thread.id}/",
        "definition": {"type": DISCUSSION_TYPE, "name": name},
    }
    context = _context(thread.course)
    if thread.activity_id is not None:  # the lesson it is about, within its course
        context["contextActivities"] = {"parent": [activity_object(thread.activity)],
                                        "grouping": [course_object(thread.course)]}  # fmt: skip
    return record(user_id, COMMENTED, obj, post.created_at,
                  {"response": post.body[:1000]}, context)  # fmt: skip
