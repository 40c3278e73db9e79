"""Catalogue, enrollments, progress and marking lessons done through the API."""

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Course, Enrollment
from tests.api.conftest import assert_problem


@pytest.fixture
def learner(make_user, make_token, import_courses):
    import_courses()
    user = make_user(email="ani@example.org")
    return user, make_token(user)


def test_catalogue_is_public_and_paginated(api, import_courses, quiz):
    import_courses()
    body = api.get("/courses?per_page=1").get_json()
    assert body["total"] == 2 and body["pages"] == 2 and len(body["items"]) == 1
    second = api.get("/courses?per_page=1&page=2").get_json()["items"]
    assert {body["items"][0]["slug"], second[0]["slug"]} == {
        "contoh-kursus",
        "kursus-kuis",
    }
    assert api.get("/courses?page=3&per_page=1").get_json()["items"] == []
    for bad in ("per_page=101", "per_page=0", "page=0", "page=x"):
        body = assert_problem(api.get(f"/courses?{bad}"), 422, "validation-error")
        assert "query" in body["errors"]


def test_course_detail_has_the_outline(api, learner):
    body = api.get("/courses/contoh-kursus").get_json()
    assert [m["key"] for m in body["modules"]] == ["pengantar", "praktik"]
    assert body["activities"] == 3 and body["enrolled"] is False
    assert body["modules"][0]["activities"][0]["key"] == "pengantar/selamat-datang"
    assert_problem(api.get("/courses/tidak-ada"), 404, "not-found")


def test_unpublished_course_is_refused_as_on_the_web(
    api, learner, make_user, make_token
):
    course = db.session.scalar(select(Course))
    course.published = False
    db.session.commit()
    assert_problem(api.get("/courses/contoh-kursus"), 401, "unauthorized")
    assert_problem(api.get("/courses/contoh-kursus", learner[1]), 403, "forbidden")
    admin = make_token(make_user(role="admin"))
    assert api.get("/courses/contoh-kursus", admin).status_code == 200
    response = api.post("/enrollments", learner[1], json={"course": "contoh-kursus"})
    assert_problem(response, 403)


def test_enroll_is_idempotent(api, learner):
    _, token = learner
    first = api.post("/enrollments", token, json={"course": "contoh-kursus"})
    again = api.post("/enrollments", token, json={"course": "contoh-kursus"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["enrolled_at"] == again.get_json()["enrolled_at"]
    assert db.session.query(Enrollment).count() == 1
    listed = api.get("/enrollments", token).get_json()
    assert listed["total"] == 1 and listed["items"][0]["course"] == "contoh-kursus"
    assert api.get("/courses/contoh-kursus", token).get_json()["enrolled"] is True


def test_enroll_validates_its_body(api, learner):
    _, token = learner
    assert_problem(api.post("/enrollments", token, json={}), 422, "validation-error")
    assert_problem(api.post("/enrollments", token, json={"course": 5}), 422)
    assert_problem(
        api.post("/enrollments", token, json={"course": "x"}), 404, "not-found"
    )
    response = api.post(
        "/enrollments", token, data="not json", content_type="text/plain"
    )
    assert (
        response.status_code in (415, 422)
        and response.mimetype == "application/problem+json"
    )


def test_complete_a_lesson_and_see_progress(api, learner):
    _, token = learner
    url = "/courses/contoh-kursus/activities/pengantar/selamat-datang/complete"
    assert_problem(api.post(url, token), 403, "forbidden")  # not enrolled yet
    assert_problem(api.get("/courses/contoh-kursus/progress", token), 404)
    api.post("/enrollments", token, json={"course": "contoh-kursus"})
    first = api.post(url, token).get_json()
    again = api.post(url, token).get_json()
    assert first["newly_completed"] is True and again["newly_completed"] is False
    assert first["course_percent"] == 33
    body = api.get("/courses/contoh-kursus/progress", token).get_json()
    assert body["completed_activities"] == 1 and body["percent"] == 33
    done = [i["key"] for i in body["items"] if i["completed_at"]]
    assert done == ["pengantar/selamat-datang"]
    missing = "/courses/contoh-kursus/activities/pengantar/tidak-ada/complete"
    assert_problem(api.post(missing, token), 404)


def test_completing_every_lesson_completes_the_course(api, learner):
    _, token = learner
    api.post("/enrollments", token, json={"course": "contoh-kursus"})
    for key in (
        "pengantar/selamat-datang",
        "pengantar/cara-belajar",
        "praktik/latihan",
    ):
        body = api.post(
            f"/courses/contoh-kursus/activities/{key}/complete", token
        ).get_json()
    assert body["course_percent"] == 100 and body["course_completed_at"]
    ledger = api.get("/me/jp", token).get_json()
    assert ledger["total"] == 1 and ledger["items"][0]["course"] == "contoh-kursus"


def test_a_quiz_is_not_completed_by_marking(api, quiz, make_user, make_token):
    token = make_token(make_user())
    api.post("/enrollments", token, json={"course": "kursus-kuis"})
    response = api.post("/courses/kursus-kuis/activities/modul/kuis/complete", token)
    assert_problem(response, 400, "not-completable")


def test_progress_is_only_ever_the_callers_own(api, learner, make_user, make_token):
    _, token = learner
    api.post("/enrollments", token, json={"course": "contoh-kursus"})
    api.post(
        "/courses/contoh-kursus/activities/pengantar/selamat-datang/complete", token
    )
    other = make_token(make_user(email="budi@example.org"))
    assert_problem(api.get("/courses/contoh-kursus/progress", other), 404)
    assert api.get("/enrollments", other).get_json()["total"] == 0
    assert (
        api.get("/courses/contoh-kursus", other).get_json()["modules"][0]["activities"][
            0
        ]["completed_at"]
        is None
    )
