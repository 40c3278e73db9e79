"""Every route and API operation, asked by every kind of person, answers as it should.

Personas: A anonymous, L the learner who owns the objects, O another learner, I an instructor of
another course, S a supervisor of another cohort, M an admin. Outcomes: o 2xx, r a redirect that is
not to sign-in, l sent to sign in (302 to /login, or 401 from the API), d denied (403 or 404),
x anything but a server error, - not requested (a POST the persona may do: its effect is tested
elsewhere). A route missing from EXPECTED fails the test, so new routes get a line here.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Activity, ApiToken, Certificate, Cohort, Course, CourseStaff

DATA = Path(__file__).parent / "data"
PERSONAS = "ALOISM"
QUIZ_API = "/api/v1/courses/<slug>/quizzes/<module_key>/<activity_key>"
THREADS_API = "/api/v1/courses/<slug>/activities/<module_key>/<activity_key>/threads"
ASSIGNMENT_API = "/api/v1/courses/<slug>/assignments/<module_key>/<activity_key>"

# endpoint: (method, expectations for A L O I S M)
EXPECTED = {
    "static": ("GET", "oooooo"),
    "health.healthz": ("GET", "oooooo"),
    "learn.catalog": ("GET", "oooooo"),
    "learn.course": ("GET", "oooooo"),
    "learn.activity": ("GET", "loorro"),
    "learn.resume": ("GET", "lrrrrr"),
    "learn.my_courses": ("GET", "looooo"),
    "learn.enroll": ("POST", "l-----"),
    "calendar.feed": ("GET", "dddddd"),
    "calendar.reset": ("POST", "l-----"),
    "learn.complete": ("POST", "l--ddd"),
    "auth.login": ("GET", "oooooo"),
    "auth.register": ("GET", "oooooo"),
    "auth.logout": ("POST", "l-----"),
    "account.index": ("GET", "looooo"),
    "account.change_password": ("POST", "l-----"),
    "account.end_other_sessions": ("POST", "l-----"),
    "auth.set_language": ("POST", "------"),
    "auth.forgot_password": ("GET", "oooooo"),
    "auth.set_password": ("GET", "xxxxxx"),
    "auth.confirm_email": ("GET", "oooooo"),
    "assessment.start": ("POST", "l-dddd"),
    "assessment.attempt": ("GET", "lodddd"),
    "assessment.confirm": ("GET", "lrdddd"),
    "assessment.save": ("POST", "l-dddd"),
    "teaching.quiz_results": ("GET", "lddddo"),
    "teaching.attempt_detail": ("GET", "lddddo"),
    "teaching.grade": ("POST", "ldddd-"),
    "teaching.regrade": ("POST", "ldddd-"),
    "assignments.submit": ("POST", "l-dddd"),
    "assignments.submissions": ("GET", "lddddo"),
    "assignments.download": ("GET", "lodddo"),
    "assignments.grade": ("POST", "ldddd-"),
    "certificates.mine": ("GET", "looooo"),
    "certificates.for_course": ("GET", "lrdddd"),
    "certificates.show": ("GET", "lodddo"),
    "certificates.pdf": ("GET", "lodddo"),
    "certificates.revoke": ("POST", "ldddd-"),
    "certificates.verify": ("GET", "oooooo"),
    "certificates.verify_form": ("GET", "oooooo"),
    "certificates.logo": ("GET", "xxxxxx"),
    "admin_certificates.edit": ("GET", "lddddo"),
    "ledger.mine": ("GET", "looooo"),
    "ledger.add": ("POST", "l-----"),
    "ledger.delete": ("POST", "l-dddd"),
    "ledger.export_csv": ("GET", "looooo"),
    "ledger.export_xlsx": ("GET", "looooo"),
    "ledger.proof": ("GET", "lodddo"),
    "ledger.approvals_list": ("GET", "ldddoo"),
    "ledger.approve": ("POST", "ldddd-"),
    "ledger.reject": ("POST", "ldddd-"),
    "cohorts.index": ("GET", "looooo"),
    "cohorts.cohort": ("GET", "lddddo"),
    "cohorts.matrix": ("GET", "lddddo"),
    "cohorts.member": ("GET", "lddddo"),
    "cohorts.export": ("GET", "lddddo"),
    "cohorts.remind": ("POST", "ldddd-"),
    "cohort_admin.create": ("GET", "lddodo"),
    "cohort_admin.dues": ("GET", "lddddo"),
    "cohort_admin.add_member": ("POST", "ldddd-"),
    "cohort_admin.import_members": ("POST", "ldddd-"),
    "cohort_admin.import_lti_members": ("POST", "ldddd-"),
    "cohort_admin.bulk": ("POST", "ldddd-"),
    "cohort_admin.close": ("POST", "ldddd-"),
    "cohort_admin.add_staff": ("POST", "ldddd-"),
    "authoring.index": ("GET", "lddodo"),
    "authoring.new_course": ("GET", "lddodo"),
    "authoring.course": ("GET", "lddddo"),
    "authoring.settings": ("GET", "lddddo"),
    "authoring.publish_course": ("POST", "ldddd-"),
    "authoring.discard_course_draft": ("POST", "lddddr"),
    "authoring.discard_module_draft": ("POST", "lddddr"),
    "authoring.new_module": ("GET", "lddddo"),
    "authoring.edit_module": ("GET", "lddddo"),
    "authoring.move_module": ("POST", "ldddd-"),
    "authoring.new_activity": ("GET", "lddddo"),
    "authoring.edit_activity": ("GET", "lddddo"),
    "authoring.preview_activity": ("POST", "ldddd-"),
    "authoring.publish_activity": ("POST", "ldddd-"),
    "authoring.move_activity": ("POST", "ldddd-"),
    "authoring.archive_activity": ("POST", "ldddd-"),
    "authoring.history": ("GET", "lddddo"),
    "authoring.revision": ("GET", "lddddo"),
    "authoring.restore": ("POST", "ldddd-"),
    "authoring.images": ("GET", "lddddo"),
    "authoring.export_zip": ("GET", "lddddo"),
    "authoring.export_quiz": ("GET", "lddddo"),
    "authoring.import_quiz": ("GET", "lddddo"),
    "authoring.image": ("GET", "oooooo"),
    "admin.audit": ("GET", "lddddo"),
    "admin.users": ("GET", "lddddo"),
    "mail_admin.index": ("GET", "lddddo"),
    "admin.unlock_user": ("POST", "ldddd-"),
    "admin.end_sessions": ("POST", "ldddd-"),
    "admin.set_active": ("POST", "ldddd-"),
    "admin.index": ("GET", "lddddo"),
    "admin.set_role": ("POST", "ldddd-"),
    "admin.send_reset": ("POST", "ldddd-"),
    "admin_units.index": ("GET", "lddddo"),
    "admin_units.add": ("POST", "ldddd-"),
    "admin_units.change": ("POST", "ldddd-"),
    "admin_units.retire": ("POST", "ldddd-"),
    "admin_outboxes.index": ("GET", "lddddo"),
    "admin_outboxes.retry": ("POST", "ldddd-"),
    "xapi.all_statements": ("GET", "lddddo"),
    "xapi.my_statements": ("GET", "looooo"),
    "api_tokens.index": ("GET", "looooo"),
    "api_tokens.create": ("POST", "l-----"),
    "api_tokens.revoke": ("POST", "l-dddd"),
    "lti.jwks": ("GET", "oooooo"),
    "lti.login": ("GET", "xxxxxx"),
    "lti.launch": ("POST", "xxxxxx"),
    # Authenticated by the signed ticket of a deep linking launch, not by the session: without
    # one it is 400 for everyone (tests/test_lti.py).
    "lti.deep_link": ("POST", "xxxxxx"),
    # Only for a browser whose session holds a launch waiting to be linked: 400 for everyone else
    # (tests/test_lti_linking.py).
    "lti_link.link": ("GET", "xxxxxx"),
    "lti_link.separate": ("POST", "xxxxxx"),
    # L asked a question (seen by her cohort C); O takes the course outside any cohort. S, on the
    # staff of the course's cohort D, opens the list (D's questions only) but not L's question.
    "discussions.threads": ("GET", "loodoo"),
    "discussions.ask": ("POST", "l--dd-"),
    "discussions.thread": ("GET", "lodddo"),
    "discussions.reply": ("POST", "l-ddd-"),
    "discussions.follow": ("POST", "lrdddr"),
    "discussions.edit_post": ("GET", "lodddd"),
    "discussions.delete_post": ("POST", "l-ddd-"),
    "discussions.post_history": ("GET", "lodddo"),
    # L's question has no attachment: 404 for those who read it (tests/test_discussions.py).
    "discussions.attachment": ("GET", "lddddd"),
    "discussions.email_settings": ("GET", "looooo"),
    "discussions.notifications": ("GET", "looooo"),
    # A link from an email, signed in or not: an unsigned token is refused for everyone.
    "discussions.unsubscribe": ("GET", "dddddd"),
    "discussion_moderation.moderate": ("POST", "ldddd-"),
    "discussion_moderation.move": ("POST", "ldddd-"),
    "discussion_moderation.accept": ("POST", "ldddd-"),
    "discussion_moderation.hide_post": ("POST", "ldddd-"),
    "discussion_moderation.report": ("POST", "lddddr"),
    "discussion_moderation.resolve": ("POST", "ldddd-"),
    "discussion_moderation.reports": ("GET", "lddddo"),
    "discussion_moderation.course_settings": ("POST", "ldddd-"),
    "forum.index": ("GET", "lodddo"),
    "forum.new_topic": ("POST", "ldddd-"),
    # A survey's results: its course's instructors (T) and admins; per cohort also the cohort's
    # supervisors; a facilitator's own results to them only (tests/test_survey_reports.py).
    "surveys.report": ("GET", "lddddo"),
    "surveys.export": ("GET", "lddddo"),
    "surveys.mine": ("GET", "lddddd"),
    # The learning gain of a course (pretest and posttest): the same people as its survey results.
    "gain.report": ("GET", "lddddo"),
    "gain.export": ("GET", "lddddo"),
    "offline.web_manifest": ("GET", "oooooo"),
    "offline.service_worker": ("GET", "oooooo"),
    "offline.fallback": ("GET", "oooooo"),
    # Only the learners enrolled in the course (L through her cohort, O by herself).
    "offline.course_manifest": ("GET", "looddd"),
    "offline.token": ("GET", "looooo"),
    "offline.sync_progress": ("POST", "l-----"),
    "offline.data_saver": ("POST", "l-----"),
    "forum.questions": ("GET", "lodddo"),
}


@pytest.fixture
def world(app, import_courses, course_dir, quiz_dir, tmp_path, make_user):
    """Courses, a cohort with a member, her quiz attempt, submission, certificate, record and token."""
    from lms.assessment import attempts as engine
    from lms.assignments.service import submit
    from lms.auth.accounts import assign_instructor
    from lms.authoring.uploads import add_image
    from lms.cohorts.members import add_member, add_staff
    from lms.learn import progress
    from lms.ledger.records import add_external

    shutil.copytree(DATA / "cohort", tmp_path / "cohort")
    shutil.copytree(DATA / "survey", tmp_path / "survey")
    for folder in (course_dir, quiz_dir, tmp_path / "cohort", tmp_path / "survey"):
        import_courses(folder)
    courses = {c.slug: c for c in db.session.scalars(select(Course))}
    people = {
        "L": make_user(email="l@example.org"),
        "O": make_user(email="o@example.org"),
        "I": make_user(email="i@example.org", role="instructor"),
        "S": make_user(email="s@example.org", role="supervisor"),
        "M": make_user(email="m@example.org", role="admin"),
        "T": make_user(email="t@example.org", role="instructor"),
    }
    for slug in courses:
        assign_instructor("t@example.org", slug)
    other_course = Course(slug="kursus-lain", title="Lain", summary="", jp=1)
    db.session.add(other_course)
    db.session.flush()
    db.session.add(
        CourseStaff(
            course_id=other_course.id, user_id=people["I"].id, role="instructor"
        )
    )
    db.session.commit()
    a, q, g = (
        courses["contoh-kursus"],
        courses["kursus-kuis"],
        courses["kursus-angkatan"],
    )
    cohort = Cohort(
        course_id=a.id, name="C", starts_on=date.today(), ends_on=date.today()
    )
    other = Cohort(
        course_id=a.id, name="D", starts_on=date.today(), ends_on=date.today()
    )
    db.session.add_all([cohort, other])
    db.session.commit()
    add_member(cohort, people["L"])
    add_staff(other, people["S"], "supervisor")
    for course in (q, g):
        progress.enroll(people["L"], course)
    progress.enroll(people["O"], a)
    lessons = db.session.scalars(
        select(Activity).where(Activity.course_id == a.id).order_by(Activity.position)
    ).all()
    for lesson in lessons:
        progress.complete_activity(people["L"].id, lesson)
    quiz = db.session.scalar(select(Activity).where(Activity.key == "modul/kuis"))
    attempt = engine.submit_attempt(engine.start_attempt(people["L"].id, quiz))
    assignment = db.session.scalar(
        select(Activity).where(Activity.type == "assignment")
    )
    submission = submit(
        people["L"].id, assignment, "Rancangan", b"%PDF-1.4\n%%EOF\n", "r.pdf"
    )
    from lms.files import sniff, store

    proof = store(b"%PDF-1.4\n%%EOF\n", "jp", sniff(b"%PDF-1.4\n%%EOF\n"))
    record = add_external(people["L"].id, kind="pelatihan", title="Pelatihan", provider="BPSDM",
                          starts_on=date.today(), ends_on=date.today(), hours=Decimal(2), proof_path=proof)  # fmt: skip
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.user_id == people["L"].id)
    )
    image = add_image(
        a,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        "x.png",
        None,
        app.config["LMS_UPLOADS_DIR"],
    )
    from lms.api.tokens import create_token
    from lms.authoring.drafts import save_draft

    revision = save_draft(
        lessons[0],
        lessons[0].source + "\nLagi.\n",
        people["T"].id,
        lessons[0].version,
        "x",
    )
    from lms.discussions import writing

    question = writing.ask(people["L"], lessons[0], progress.get_enrollment(people["L"].id, a.id),
                           "Pertanyaan", "Isi")  # fmt: skip
    db.session.commit()
    tokens = {key: create_token(people[key], "matrix", "write")[1] for key in "LOISM"}
    db.session.commit()
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.user_id == people["L"].id)
    )
    values = {
        "slug": a.slug, "module_key": "pengantar", "activity_key": "selamat-datang", "cohort_id": cohort.id,
        "number": 1, "attempt_id": attempt.id, "submission_id": submission.id, "record_id": record.id,
        "code": certificate.code, "token_id": token.id, "user_id": people["L"].id, "activity_id": lessons[0].id,
        "revision": revision.number, "key": "pengantar", "name": image.stored_name, "view": "members", "unit_id": 1,
        "fmt": "csv", "token": "bukan-token", "filename": "style.css", "question_key": "ibukota",
        "thread_id": question.id, "post_id": writing.first_post(question).id,
    }  # fmt: skip
    quiz_values = {"slug": q.slug, "module_key": "modul", "activity_key": "kuis"}
    assignment_values = {
        "slug": g.slug,
        "module_key": "aksi",
        "activity_key": "rancangan",
    }
    survey_values = {
        "slug": "kursus-survei",
        "module_key": "modul",
        "activity_key": "evaluasi",
        "view": "figures",
    }
    progress.enroll(people["L"], courses["kursus-survei"])
    return {
        "survey": survey_values,
        "values": values,
        "quiz": quiz_values,
        "assignment": assignment_values,
        "quiz_export": {"slug": q.slug, "activity_id": quiz.id, "fmt": "moodle-xml"},
        "tokens": tokens,
    }


def url_for_rule(rule, endpoint, world):
    values = dict(world["values"])
    if endpoint.startswith(("assessment.", "teaching.")) or "quizzes" in rule.rule:
        values.update(world["quiz"])
    if (
        endpoint.startswith("assignments.") or "/assignments/" in rule.rule
    ) and "slug" in rule.arguments:
        values.update(world["assignment"])
    if endpoint == "authoring.export_quiz":
        values.update(world["quiz_export"])
    if (
        endpoint.startswith(("surveys.", "gain."))
        or "/surveys/" in rule.rule
        or "learning-gain" in rule.rule
    ):
        values.update(world["survey"])
    if endpoint == "authoring.revision" or endpoint == "authoring.restore":
        values["number"] = values["revision"]
    missing = rule.arguments - set(values)
    assert not missing, f"{rule.rule}: no test value for {missing}"
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[a-z]+:)?{name}>", str(values[name]), path)
    return path


def outcome(response) -> str:
    status = response.status_code
    if status >= 500:
        return "5"
    if status == 401 or (status in (301, 302, 303) and "/login" in response.location):
        return "l"
    if status in (301, 302, 303, 307, 308):
        return "r"
    if status in (403, 404):
        return "d"
    if status < 300:
        return "o"
    return str(status)


def signed_in_clients(app, personas) -> dict:
    """Return a client per persona, each signed in (A, the anonymous one, is not)."""
    clients = {persona: app.test_client() for persona in personas}
    for persona, client in clients.items():
        if persona != "A":
            data = {
                "login": f"{persona.lower()}@example.org",
                "password": "kata-sandi-yang-panjang",
            }
            assert client.post("/login", data=data).status_code == 302, persona
    return clients


def test_every_route_answers_every_persona_as_expected(app, world):
    rules = [r for r in app.url_map.iter_rules() if not r.endpoint.startswith("api")]
    assert sorted({r.endpoint for r in rules} - set(EXPECTED)) == [], (
        "add the new routes to EXPECTED"
    )
    clients = signed_in_clients(app, PERSONAS)
    wrong = []
    for rule in sorted(rules, key=lambda r: r.rule):
        method, expected = EXPECTED[rule.endpoint]
        path = url_for_rule(rule, rule.endpoint, world)
        for persona, want in zip(PERSONAS, expected, strict=True):
            if want == "-" or rule.endpoint == "auth.logout" and persona != "A":
                continue
            with clients[persona].open(
                path, method=method
            ) as response:  # closes streamed files
                got = outcome(response)
            if got == "5" or (want != "x" and got != want):
                wrong.append(
                    f"{method} {path} as {persona}: expected {want}, got {got} ({response.status_code})"
                )
    assert wrong == [], "\n".join(wrong)


# (method, rule): expectations for A L O I S M, each calling with their own write token.
EXPECTED_API = {
    ("GET", "/api/v1/openapi.json"): "oooooo",
    ("GET", "/api/v1/docs"): "oooooo",
    ("GET", "/api/v1/docs/assets/<name>"): "xxxxxx",
    ("GET", "/api/v1/courses"): "oooooo",
    ("GET", "/api/v1/courses/<slug>"): "oooooo",
    ("GET", "/api/v1/certificates/<code>"): "oooooo",
    ("GET", "/api/v1/me"): "looooo",
    ("GET", "/api/v1/me/jp"): "looooo",
    ("GET", "/api/v1/enrollments"): "looooo",
    ("POST", "/api/v1/enrollments"): "l-----",
    # O is enrolled in the course too: her own progress is hers to read and write.
    ("GET", "/api/v1/courses/<slug>/progress"): "looddd",
    (
        "POST",
        "/api/v1/courses/<slug>/activities/<module_key>/<activity_key>/complete",
    ): "looddd",
    ("GET", "/api/v1/cohorts"): "looooo",
    ("GET", "/api/v1/cohorts/<int:cohort_id>/members"): "lddddo",
    # Everyone lists their own attempts only (the others have none); tests/api checks the lists.
    ("GET", f"{QUIZ_API}/attempts"): "looooo",
    ("POST", f"{QUIZ_API}/attempts"): "l-dddd",
    ("GET", f"{QUIZ_API}/attempts/<int:number>"): "lodddd",
    ("PUT", f"{QUIZ_API}/attempts/<int:number>/answers/<question_key>"): "l-dddd",
    ("POST", f"{QUIZ_API}/attempts/<int:number>/submit"): "l-dddd",
    ("GET", f"{QUIZ_API}/attempts/<int:number>/review"): "lodddd",
    # A quiz's results are its course's instructors' (and admins'); I teaches another course.
    ("GET", f"{QUIZ_API}/results"): "lddddo",
    ("GET", f"{QUIZ_API}/statistics"): "lddddo",
    ("POST", f"{QUIZ_API}/results/<int:attempt_id>/grade"): "ldddd-",
    ("GET", f"{QUIZ_API}/regrades"): "lddddo",
    ("POST", f"{QUIZ_API}/regrades"): "ldddd-",
    # L handed the assignment in; its graders here are the course's instructors and admins.
    ("GET", f"{ASSIGNMENT_API}/submission"): "lodddd",
    # Only L takes the course: she may hand in (tests/api/test_assignments.py hands in).
    ("PUT", f"{ASSIGNMENT_API}/submission"): "l-dddd",
    ("GET", f"{ASSIGNMENT_API}/submissions"): "lddddo",
    ("POST", f"{ASSIGNMENT_API}/submissions/<int:submission_id>/grade"): "ldddd-",
    # L's question is seen by her cohort C; O takes the course outside cohorts (the web's rules).
    ("GET", f"{THREADS_API}"): "looddo",
    ("POST", f"{THREADS_API}"): "looddo",
    ("GET", "/api/v1/threads/<int:thread_id>"): "lodddo",
    ("POST", "/api/v1/threads/<int:thread_id>/posts"): "lodddo",
    (
        "GET",
        "/api/v1/courses/<slug>/surveys/<module_key>/<activity_key>/results",
    ): "lddddo",
    ("GET", "/api/v1/courses/<slug>/learning-gain"): "lddddo",
}


def test_every_api_operation_answers_every_persona_as_expected(app, world):
    """The same people, by bearer token: nobody reaches another's attempts, progress or cohort."""
    operations = {
        (method, rule.rule): rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(set(operations) - set(EXPECTED_API)) == [], (
        "add the new API operations to EXPECTED_API"
    )
    client = app.test_client()
    bodies = {
        "/api/v1/enrollments": {"course": world["values"]["slug"]},
        f"{QUIZ_API}/attempts/<int:number>/answers/<question_key>": {"answer": "x"},
        f"{ASSIGNMENT_API}/submissions/<int:submission_id>/grade": {
            "outcome": "passed"
        },
        f"{QUIZ_API}/results/<int:attempt_id>/grade": {
            "question": "ibukota",
            "percent": 50,
        },
        f"{QUIZ_API}/regrades": {"question": "ibukota", "option": "full_credit"},
        THREADS_API: {"title": "Pertanyaan", "body": "Isi"},
        "/api/v1/threads/<int:thread_id>/posts": {"body": "Jawaban"},
    }
    wrong = []
    for (method, rule_text), expected in sorted(EXPECTED_API.items()):
        rule = operations[(method, rule_text)]
        path = url_for_rule(rule, rule.endpoint, world)
        for persona, want in zip(PERSONAS, expected, strict=True):
            if want == "-":
                continue
            headers = {}
            if persona != "A":
                headers["Authorization"] = f"Bearer {world['tokens'][persona]}"
            json = bodies.get(rule_text, {}) if method != "GET" else None
            with client.open(
                path, method=method, headers=headers, json=json
            ) as response:
                got = outcome(response)
            if got == "5" or (want != "x" and got != want):
                wrong.append(
                    f"{method} {path} as {persona}: expected {want}, got {got} ({response.status_code})"
                )
    assert wrong == [], "\n".join(wrong)


# Course A (contoh-kursus) published, then a draft, then archived, asked by the personas above and
# two more: T its instructor and D a demoted instructor (still on every course's staff, no longer
# an instructor). The pages are those of EXPECTED with a GET that name course A or its objects.
# L keeps her certificate whatever the course's state; she also keeps reading her question and her
# cohort's forum, since the discussion rules do not look at the course's state (to be decided).
COURSE_ARGUMENTS = {"slug", "cohort_id", "thread_id", "post_id", "activity_id", "key",
                    "revision", "name", "code", "user_id"}  # fmt: skip
STATE_PERSONAS = "ALOISMTD"
BY_STATE = {
    "authoring.course": ("lddddood", "lddddood", "lddddood"),
    "authoring.edit_activity": ("lddddood", "lddddood", "lddddood"),
    "authoring.edit_module": ("lddddood", "lddddood", "lddddood"),
    "authoring.export_zip": ("lddddood", "lddddood", "lddddood"),
    "authoring.history": ("lddddood", "lddddood", "lddddood"),
    "authoring.image": ("oooooooo", "lddddood", "lddddodd"),
    "authoring.images": ("lddddood", "lddddood", "lddddood"),
    "authoring.import_quiz": ("lddddood", "lddddood", "lddddood"),
    "authoring.new_activity": ("lddddood", "lddddood", "lddddood"),
    "authoring.new_module": ("lddddood", "lddddood", "lddddood"),
    "authoring.revision": ("lddddood", "lddddood", "lddddood"),
    "authoring.settings": ("lddddood", "lddddood", "lddddood"),
    "certificates.for_course": ("lrdddddd", "lrdddddd", "lrdddddd"),
    "certificates.logo": ("dddddddd", "dddddddd", "dddddddd"),
    "certificates.pdf": ("lodddood", "lodddood", "lodddood"),
    "certificates.show": ("lodddood", "lodddood", "lodddood"),
    "certificates.verify": ("oooooooo", "oooooooo", "oooooooo"),
    "cohort_admin.dues": ("lddddood", "lddddood", "lddddood"),
    "cohorts.cohort": ("lddddood", "lddddood", "lddddood"),
    "cohorts.export": ("lddddood", "lddddood", "lddddood"),
    "cohorts.matrix": ("lddddood", "lddddood", "lddddood"),
    "cohorts.member": ("lddddood", "lddddood", "lddddood"),
    "discussion_moderation.reports": ("lddddood", "lddddood", "lddddodd"),
    "discussions.attachment": ("lddddddd", "lddddddd", "lddddddd"),
    "discussions.edit_post": ("lodddddd", "lodddddd", "lodddddd"),
    "discussions.post_history": ("lodddood", "lodddood", "lodddood"),
    "discussions.thread": ("lodddood", "lodddood", "lodddood"),
    "discussions.threads": ("loodoood", "lddddood", "lddddodd"),
    "forum.index": ("lodddood", "lodddood", "lodddood"),
    "forum.questions": ("lodddood", "lodddood", "lodddood"),
    "learn.activity": ("loorroor", "lddddood", "lddddodd"),
    "learn.course": ("oooooooo", "lddddood", "lddddodd"),
    "learn.resume": ("lrrrrrrr", "lddddrrd", "lddddrdd"),
    "offline.course_manifest": ("looddddd", "lddddddd", "lddddddd"),
}


def course_a_pages(app, world):
    """Return (endpoint, path) for every page (GET) of course A or of its objects."""
    found = []
    for rule in app.url_map.iter_rules():
        if EXPECTED.get(rule.endpoint, ("",))[0] != "GET":
            continue
        if not rule.arguments & COURSE_ARGUMENTS:
            continue
        path = url_for_rule(rule, rule.endpoint, world)
        if "slug" in rule.arguments and world["values"]["slug"] not in path:
            continue  # the quiz, assignment and survey courses stay published
        found.append((rule.endpoint, path))
    return sorted(found)


def test_course_pages_by_state_for_its_instructor_and_a_demoted_one(
    app, world, make_user
):
    from datetime import UTC, datetime

    slug = world["values"]["slug"]
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    demoted = make_user(email="d@example.org")  # a learner now
    for course_id in db.session.scalars(select(Course.id)):
        db.session.add(
            CourseStaff(course_id=course_id, user_id=demoted.id, role="instructor")
        )
    db.session.commit()
    clients = signed_in_clients(app, STATE_PERSONAS)
    pages = course_a_pages(app, world)
    assert sorted(BY_STATE) == [endpoint for endpoint, _path in pages], (
        "add the page to BY_STATE"
    )
    wrong = []
    for n, state in enumerate(["published", "draft", "archived"]):
        course.published = state != "draft"
        course.archived_at = (
            datetime(2026, 6, 1, tzinfo=UTC) if state == "archived" else None
        )
        db.session.commit()
        for endpoint, path in pages:
            expected = BY_STATE[endpoint][n]
            if state == "published":  # the same as the table above for its personas
                table = EXPECTED[endpoint][1]
                assert all(t in (e, "x") for t, e in zip(table, expected)), endpoint
            for persona, want in zip(STATE_PERSONAS, expected, strict=True):
                with clients[persona].get(path) as response:
                    got = outcome(response)
                if got != want:
                    wrong.append(
                        f"{state} {path} as {persona}: expected {want}, got {got}"
                    )
    assert wrong == [], "\n".join(wrong)
