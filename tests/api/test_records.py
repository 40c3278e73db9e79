"""The JP ledger, public certificate verification and the caller's identity."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from lms.extensions import db
from lms.ledger.records import add_external, local_today
from lms.models import Certificate
from tests.api.conftest import assert_problem


def finish_course(api, token):
    api.post("/enrollments", token, json={"course": "contoh-kursus"})
    for key in (
        "pengantar/selamat-datang",
        "pengantar/cara-belajar",
        "praktik/latihan",
    ):
        api.post(f"/courses/contoh-kursus/activities/{key}/complete", token)


def test_ledger_by_year_with_totals(api, app, import_courses, make_user, make_token):
    import_courses()
    user = make_user()
    token = make_token(user)
    finish_course(api, token)
    year = local_today().year
    record = add_external(user.id, kind="seminar", title="Seminar SPBE", provider="Kominfo",
                          starts_on=date(year - 1, 3, 1), ends_on=date(year - 1, 3, 2),
                          hours=Decimal(4), proof_path=None)  # fmt: skip
    record.status = "approved"  # external training counts once approved
    db.session.commit()
    this_year = api.get("/me/jp", token).get_json()
    assert this_year["year"] == year and this_year["jp_total"] == 1
    assert this_year["target"] == app.config["LMS_YEARLY_JP_TARGET"]
    assert this_year["remaining"] == this_year["target"] - 1
    last_year = api.get(f"/me/jp?year={year - 1}", token).get_json()
    assert last_year["jp_total"] == 4 and last_year["items"][0]["source"] == "external"
    other = make_token(make_user())
    assert api.get(f"/me/jp?year={year - 1}", other).get_json()["total"] == 0
    assert_problem(api.get("/me/jp?year=1900", token), 422)


def test_certificate_verification_is_public(api, import_courses, make_user, make_token):
    import_courses()
    finish_course(api, make_token(make_user(name="Ani Lestari")))
    certificate = db.session.scalar(select(Certificate))
    body = api.get(f"/certificates/{certificate.code.lower()}").get_json()
    assert body["valid"] is True and body["learner_name"] == "Ani Lestari"
    assert body["code"] == certificate.code and body["jp"] == 1
    assert set(body) == {"code", "valid", "issuer", "learner_name", "nip", "course_title",
                         "jp", "completed_on", "revoked_at"}  # fmt: skip
    assert_problem(api.get("/certificates/NOPE"), 404, "not-found")
    # a bad token is refused even where no token is needed
    assert_problem(api.get(f"/certificates/{certificate.code}", "kasn_bad"), 401)


def test_me_needs_a_token(api):
    assert_problem(api.get("/me"), 401, "unauthorized")
