"""xAPI learning records: written with the event, delivered to the LRS once, retried while it is down."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.jobs import outbox as outbox_loop
from lms.learn import progress
from lms.models import Activity, Course, XapiStatement
from lms.models.types import utcnow
from lms.xapi import outbox
from lms.xapi import statements as xapi
from tests.test_quiz_attempts import RIGHT, form_for
from tests.xapi_helpers import LoopbackLrs, statement_problems

BASE = "https://kelas.example.go.id"
LESSONS = ("pengantar/selamat-datang", "pengantar/cara-belajar", "praktik/latihan")
NIP = "199001012015031001"
SPEC_EXAMPLES = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "testdata"
    / "xapi"
    / "xapi_spec_appendix_A_B_C_examples.json"
)


@pytest.fixture(autouse=True)
def base_url(app):
    app.config["LMS_BASE_URL"] = BASE


@pytest.fixture
def course(import_courses, course_dir):
    import_courses(course_dir)
    return db.session.scalar(select(Course).where(Course.slug == "contoh-kursus"))


@pytest.fixture
def learner(make_user, auth):
    user = make_user(email="ani@example.org", name="Ani Suryani", nip=NIP)
    auth.login("ani@example.org")
    return user


@pytest.fixture
def lrs(app):
    with LoopbackLrs() as server:
        app.config.update(
            LMS_XAPI_ENDPOINT=server.endpoint,
            LMS_XAPI_USERNAME="lrs-user",
            LMS_XAPI_PASSWORD="lrs-secret",
        )
        yield server


def statements(verb=None) -> list[dict]:
    query = select(XapiStatement).order_by(XapiStatement.id)
    if verb:
        query = query.where(XapiStatement.verb == verb)
    return [row.payload for row in db.session.scalars(query)]


def complete_course(client):
    client.post("/courses/contoh-kursus/enroll")
    for key in LESSONS:
        client.post(f"/courses/contoh-kursus/{key}/complete")


def lesson(key="pengantar/selamat-datang") -> Activity:
    return db.session.scalar(select(Activity).where(Activity.key == key))


def test_completing_a_lesson_records_who_did_what(client, course, learner):
    client.post("/courses/contoh-kursus/enroll")
    client.post(f"/courses/contoh-kursus/{LESSONS[0]}/complete")
    [statement] = statements()
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert statement["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": BASE, "name": str(learner.id)},
    }
    assert statement["object"]["id"] == f"{BASE}/courses/contoh-kursus/{LESSONS[0]}/"
    assert statement["object"]["definition"]["type"].endswith("/activities/lesson")
    assert statement["result"] == {"completion": True}
    parent = statement["context"]["contextActivities"]["parent"][0]
    assert parent["id"] == f"{BASE}/courses/contoh-kursus/"
    assert "ani@example.org" not in json.dumps(statement)


def test_the_account_name_can_be_the_nip(app, client, course, learner):
    app.config["LMS_XAPI_ACCOUNT_NAME"] = "nip"
    app.config["LMS_XAPI_HOMEPAGE"] = "https://bkpsdm.example.go.id"
    client.post("/courses/contoh-kursus/enroll")
    client.post(f"/courses/contoh-kursus/{LESSONS[0]}/complete")
    account = statements()[0]["actor"]["account"]
    assert account == {"homePage": "https://bkpsdm.example.go.id", "name": NIP}


def test_completing_a_course_records_it_and_its_certificate_once(
    client, course, learner
):
    complete_course(client)
    complete_course(client)  # again: nothing new happened
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements()]
    assert verbs == ["completed"] * 4 + ["satisfied"]
    course_statement, certificate = statements()[3:]
    assert course_statement["object"]["id"] == f"{BASE}/courses/contoh-kursus/"
    assert course_statement["object"]["definition"]["type"].endswith(
        "/activities/course"
    )
    assert certificate["verb"]["id"] == "https://w3id.org/xapi/adl/verbs/satisfied"
    assert certificate["object"]["definition"]["type"] == xapi.CERTIFICATE_TYPE
    assert certificate["object"]["id"].startswith(f"{BASE}/verify/")
    assert certificate["context"]["extensions"][f"{BASE}/xapi/extensions/jp"] == 1


def test_a_quiz_submission_is_failed_or_passed_with_its_score(
    client, make_user, auth, quiz
):
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    client.post("/courses/kursus-kuis/enroll")
    url = "/courses/kursus-kuis/modul/kuis/attempts"
    client.post(url)
    client.post(f"{url}/1/answers", data={"submit": "1"})
    [failed] = statements(xapi.FAILED)
    assert failed["result"]["success"] is False
    assert failed["result"]["score"] == {
        "scaled": 0.0,
        "raw": 0.0,
        "min": 0,
        "max": 100,
    }
    assert failed["object"]["definition"]["type"].endswith("/activities/assessment")
    client.post(url)
    client.post(f"{url}/2/answers", data={**form_for(quiz, RIGHT), "submit": "1"})
    [passed] = statements(xapi.PASSED)
    assert passed["result"]["success"] is True and passed["result"]["completion"]
    assert passed["result"]["score"]["scaled"] == 1.0
    assert passed["result"]["score"]["raw"] == 100.0
    assert passed["context"]["extensions"][f"{BASE}/xapi/extensions/attempt"] == 2
    [completed] = statements(xapi.COMPLETED)  # passing completed the quiz
    assert completed["object"]["id"] == passed["object"]["id"]


def test_statement_is_written_in_the_events_transaction(course, learner):
    progress.enroll(learner, course)
    progress.complete_activity(learner.id, lesson(), commit=False)
    assert db.session.scalar(select(func.count(XapiStatement.id))) == 1
    db.session.rollback()  # the event did not happen: neither did its statement
    assert db.session.scalar(select(func.count(XapiStatement.id))) == 0
    assert progress.complete_activity(learner.id, lesson()) is True
    db.session.rollback()
    assert db.session.scalar(select(func.count(XapiStatement.id))) == 1


def test_backoff_doubles_up_to_an_hour():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [
        30,
        60,
        120,
        3600,
        3600,
    ]


def test_lrs_down_then_back_delivers_each_statement_exactly_once(
    client, course, learner, lrs
):
    complete_course(client)
    uuids = {row.uuid for row in db.session.scalars(select(XapiStatement))}
    assert len(uuids) == 5
    lrs.failing = True
    t0 = utcnow()
    for _ in range(5):  # each worker round stops at the first failure
        assert outbox.send_pending(now=t0) == (0, 1)
    assert outbox.send_pending(now=t0) == (
        0,
        0,
    )  # nothing due until the back-off passes
    rows = list(db.session.scalars(select(XapiStatement)))
    assert all(r.sent_at is None and r.attempts == 1 for r in rows)
    assert all(r.next_attempt_at == t0 + timedelta(seconds=30) for r in rows)
    assert "503" in rows[0].last_error
    requests = lrs.requests
    assert outbox.send_pending(now=t0 + timedelta(seconds=10)) == (0, 0)
    assert lrs.requests == requests  # no request before the back-off passes

    t1 = t0 + timedelta(seconds=31)
    assert outbox.send_pending(now=t1) == (0, 1)
    first = db.session.scalars(select(XapiStatement).order_by(XapiStatement.id)).first()
    assert first.attempts == 2 and first.next_attempt_at == t1 + timedelta(seconds=60)

    lrs.failing = False
    assert outbox.send_pending(now=t1 + timedelta(seconds=61)) == (5, 0)
    assert outbox.send_pending(now=t1 + timedelta(hours=2)) == (0, 0)
    assert sorted(s["id"] for s in lrs.received) == sorted(uuids)  # each one, once
    assert all(
        r.sent_at is not None and r.last_error == ""
        for r in db.session.scalars(select(XapiStatement))
    )


def test_wrong_credentials_keep_statements_for_later(app, client, course, learner, lrs):
    app.config["LMS_XAPI_PASSWORD"] = "wrong"
    client.post("/courses/contoh-kursus/enroll")
    client.post(f"/courses/contoh-kursus/{LESSONS[0]}/complete")
    assert outbox.send_pending() == (0, 1)
    row = db.session.scalar(select(XapiStatement))
    assert row.sent_at is None and "401" in row.last_error and not lrs.received


def test_send_xapi_command(app, runner, client, course, learner, lrs):
    complete_course(client)
    result = runner.invoke(args=["lms", "send-xapi"])
    assert result.exit_code == 0, result.output
    assert "5 sent, 0 failed" in result.output
    assert len(lrs.received) == 5
    app.config["LMS_XAPI_ENDPOINT"] = ""
    result = runner.invoke(args=["lms", "send-xapi"])
    assert result.exit_code != 0 and "LMS_XAPI_ENDPOINT" in result.output


def test_two_workers_never_claim_the_same_statement(app, course, learner):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) exist on PostgreSQL only")
    progress.enroll(learner, course)
    for key in LESSONS[:2]:
        progress.complete_activity(learner.id, lesson(key))
    with db.engine.connect() as other:
        # The other worker holds the first row.
        locked = other.execute(
            select(XapiStatement.id)
            .order_by(XapiStatement.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).scalar_one()
        mine = outbox_loop.claim_one(outbox.OUTBOX, utcnow())
        assert mine is not None and mine.id != locked
        other.rollback()
    db.session.rollback()


# --- conformance to the xAPI 1.0.3 data model --------------------------------------------


@pytest.fixture
def spec_examples():
    if not SPEC_EXAMPLES.exists():
        pytest.skip(f"{SPEC_EXAMPLES} is absent")
    return [
        e["parsed"] for e in json.loads(SPEC_EXAMPLES.read_text()) if e.get("parsed")
    ]


def test_the_checker_accepts_the_specs_own_examples(spec_examples):
    from tests.xapi_helpers import definition_problems, object_problems

    whole = [e for e in spec_examples if "verb" in e and "objectType" not in e]
    assert len(whole) >= 2
    for example in spec_examples:
        if example in whole:
            assert statement_problems(example) == [], example
        elif "objectType" in example:  # an Activity, Agent, Group or SubStatement
            assert object_problems("object", example) == [], example
        else:
            assert definition_problems("definition", example["definition"]) == []


def test_the_checker_rejects_broken_statements(spec_examples):
    example = next(e for e in spec_examples if "result" in e and "actor" in e)
    broken = json.loads(json.dumps(example))
    broken["actor"]["account"] = {"homePage": BASE, "name": "1"}  # two identifiers
    broken["result"]["score"]["scaled"] = 1.5
    broken["verb"]["id"] = "completed"
    broken["id"] = "not-a-uuid"
    problems = statement_problems(broken)
    assert len(problems) >= 4, problems


def test_every_statement_we_write_conforms(
    client, make_user, auth, course, quiz, spec_examples
):
    make_user(email="citra@example.org", nip=NIP)
    auth.login("citra@example.org")
    complete_course(client)
    client.post("/courses/kursus-kuis/enroll")
    url = "/courses/kursus-kuis/modul/kuis/attempts"
    client.post(url)
    client.post(f"{url}/1/answers", data={"submit": "1"})
    client.post(url)
    client.post(f"{url}/2/answers", data={**form_for(quiz, RIGHT), "submit": "1"})
    written = statements()
    assert {s["verb"]["id"] for s in written} == {
        xapi.COMPLETED,
        xapi.PASSED,
        xapi.FAILED,
        xapi.SATISFIED,
    }
    full_example = max(spec_examples, key=len)
    for statement in written:
        assert statement_problems(statement) == [], statement
        # the same core shape as the spec's full example
        assert {"id", "actor", "verb", "object", "timestamp"} <= set(statement)
        assert set(statement) <= set(full_example)


# --- the JSON export ---------------------------------------------------------------------


def test_admin_exports_every_statement_page_by_page(client, make_user, auth, course):
    for email in ("a@example.org", "b@example.org"):
        make_user(email=email)
        auth.login(email)
        complete_course(client)
        auth.logout()
    make_user(role="admin", email="admin@example.org")
    auth.login("admin@example.org")
    seen, url = [], "/admin/xapi/statements.json?limit=3"
    while url:
        page = client.get(url)
        assert page.status_code == 200
        assert page.headers["X-Experience-API-Version"] == "1.0.3"
        seen += page.json["statements"]
        url = page.json["more"]
    assert [s["id"] for s in seen] == [s["id"] for s in statements()]
    assert len(seen) == 10
    later = (utcnow() + timedelta(minutes=1)).isoformat()
    assert (
        client.get("/admin/xapi/statements.json", query_string={"since": later}).json[
            "statements"
        ]
        == []
    )
    assert client.get("/admin/xapi/statements.json?since=yesterday").status_code == 400


def test_learners_export_only_their_own_statements(client, make_user, auth, course):
    other = make_user(email="other@example.org")
    auth.login("other@example.org")
    complete_course(client)
    auth.logout()
    me = make_user(email="me@example.org")
    auth.login("me@example.org")
    client.post("/courses/contoh-kursus/enroll")
    client.post(f"/courses/contoh-kursus/{LESSONS[0]}/complete")
    mine = client.get("/my/xapi/statements.json").json["statements"]
    assert [s["actor"]["account"]["name"] for s in mine] == [str(me.id)]
    assert str(other.id) not in {s["actor"]["account"]["name"] for s in mine}
    assert client.get("/admin/xapi/statements.json").status_code == 403
    auth.logout()
    assert client.get("/my/xapi/statements.json").status_code == 302


def test_an_essay_quiz_is_recorded_once_it_is_graded_by_hand(make_user, quiz):
    from lms.assessment import attempts as engine
    from lms.assessment.regrade import grade_by_hand

    essay = db.session.scalar(select(Activity).where(Activity.key == "modul/esai"))
    learner = make_user(email="dewi@example.org")
    teacher = make_user(role="admin", email="guru@example.org")
    progress.enroll(learner, essay.course)
    attempt = engine.start_attempt(learner.id, essay)
    engine.save_answer(attempt, "refleksi", "Antrean daring di puskesmas.")
    engine.submit_attempt(attempt)
    assert statements(xapi.PASSED) + statements(xapi.FAILED) == []  # not graded yet
    grade_by_hand(attempt, "refleksi", Decimal(80), "Baik.", teacher.id)
    [failed] = statements(xapi.FAILED)  # 80 on the essay, 0 on the unanswered question
    assert failed["result"]["score"]["raw"] == 40.0
    assert failed["result"]["score"]["scaled"] == 0.4
