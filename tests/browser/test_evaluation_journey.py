"""A learner meets the pre-test first and answers the evaluation survey; the organiser reads the report."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from lms.extensions import db
from lms.models import Activity
from lms.seed import seed_work_units
from tests.survey_world import answer, answer_form

SURVEY = "/courses/kursus-survei/modul/evaluasi/"


def test_learner_answers_the_survey_and_the_organiser_reads_it(
    pages, survey_cohort, make_user
):
    from lms.learn import progress

    seed_work_units()
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    for learner in survey_cohort["learners"][1:]:
        answer(
            learner,
            "evaluasi",
            answer_form(people, **{"q-kesan": f"Kesan dari {learner.name}"}),
        )
    newcomer = make_user(email="baru@example.org", name="Peserta Baru")
    progress.enroll(
        newcomer,
        db.session.scalar(
            select(Activity).where(Activity.key == "modul/evaluasi")
        ).course,
    )

    page = pages.person()
    pages.sign_in(page, "baru@example.org")
    page.goto("/courses/kursus-survei/modul/pelajaran/")
    page.wait_for_url("**/awal/pretest/")  # the pre-test comes first
    pages.check(page, "pretest-first")

    page = pages.person()
    pages.sign_in(page, survey_cohort["learners"][0].email)
    page.goto(SURVEY)
    pages.check(page, "survey")
    page.check("input[name='q-materi-jelas'][value='5']")
    page.check("input[name='q-peran'][value='1']")
    page.check("input[name='q-manfaat-c1']")
    page.check("input[name='q-rekomendasi'][value='10']")
    for person in people:
        page.check(f"input[name='q-fasilitator-jelas-f{person}'][value='4']")
    page.fill("#q-kesan-input", "Sangat membantu pekerjaan saya")
    page.fill("#q-perbaikan-input", "Tambah studi kasus dari kelurahan")
    pages.follow(page, "form.survey button[type=submit]")
    assert "Sangat membantu" not in page.content()
    page.goto(SURVEY)
    pages.check(page, "survey-answered")
    assert page.locator("form.survey").count() == 0

    page = pages.person()
    pages.sign_in(page, "organiser@example.org")
    page.goto(SURVEY)
    pages.follow(page, "main a[href$='/survey-report']")
    pages.check(page, "survey-report")
    assert page.locator("section.survey-result svg").count() == 6
    assert "Sangat membantu pekerjaan saya" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("p.downloads a[href*='/figures.xlsx']")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [
        row for row in sheet.iter_rows(values_only=True) if row[0] == "materi-jelas"
    ]
    assert rows[-1][4] == 1 and rows[0][6] == 4  # one learner chose 5; four answered
    page.select_option("#f-cohort", label="Angkatan Survei")
    pages.follow(page, "form.filters button[type=submit]")
    page.wait_for_url("**cohort=*")
    pages.check(page, "survey-report-cohort")
    page.goto("/courses/kursus-survei/learning-gain")
    pages.check(page, "learning-gain")
