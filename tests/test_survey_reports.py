"""Survey reports: distributions as SVG, means with counts, free texts, downloads and who sees what."""

import csv
import io

from openpyxl import load_workbook

from lms.surveys.results import survey_results
from tests.survey_world import answer, answer_form, survey

REPORT = "/courses/kursus-survei/modul/evaluasi/survey-report"


def test_the_organiser_sees_each_questions_distribution_mean_and_count(
    client, auth, answered
):
    results = survey_results(survey("evaluasi"))
    assert results.respondents == 4 and results.shown
    clear = next(q for q in results.questions if q.question["key"] == "materi-jelas")
    assert clear.count == 4 and clear.mean == 3.5
    assert [n for _label, n in clear.distribution] == [0, 1, 1, 1, 1]
    assert clear.distribution[0][0] == "1 – Sangat tidak setuju"
    useful = next(q for q in results.questions if q.question["key"] == "manfaat")
    assert (
        useful.distribution == [("Video", 4), ("Bacaan", 0), ("Diskusi", 4)]
        and useful.count == 4
    )
    coach = next(
        q
        for q in results.questions
        if q.facilitator and q.facilitator[1] == "Pak Coach"
    )
    assert coach.mean == 2.5 and coach.count == 4
    auth.login("organiser@example.org")
    page = client.get(REPORT).get_data(as_text=True)
    assert (
        page.count("<svg") == 6
    )  # likert, choice, multiple, scale and the two facilitators
    assert "Kesan A" in page and page.index("Kesan A") < page.index(
        "Kesan D"
    )  # alphabetical
    assert "3,50" in page or "3.50" in page


def test_an_anonymous_survey_shows_nothing_until_enough_answered(
    client, auth, survey_cohort
):
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    for learner in survey_cohort["learners"][:2]:
        answer(learner, "evaluasi", answer_form(people, **{"q-kesan": "Rahasia"}))
    results = survey_results(survey("evaluasi"))
    assert not results.shown and all(
        not q.distribution and not q.texts for q in results.questions
    )
    auth.login("organiser@example.org")
    page = client.get(REPORT).get_data(as_text=True)
    assert "Rahasia" not in page and "<svg" not in page
    assert "Rahasia" not in client.get(f"{REPORT}/texts.csv").get_data(as_text=True)
    answer(survey_cohort["learners"][2], "evaluasi", answer_form(people))
    assert survey_results(survey("evaluasi")).shown  # min_responses is 3 in this survey


def test_the_downloads_hold_the_pages_numbers(client, auth, answered):
    auth.login("organiser@example.org")
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"{REPORT}/figures.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    clear = [r for r in rows if r[0] == "materi-jelas"]
    assert (
        [r[4] for r in clear] == ["0", "1", "1", "1", "1"]
        and clear[0][6] == "4"
        and clear[0][7] == "3,5"  # the Indonesian decimal comma
    )
    book = load_workbook(io.BytesIO(client.get(f"{REPORT}/texts.xlsx").data))
    texts = [
        row[3]
        for row in book.active.iter_rows(min_row=2, values_only=True)
        if row[0] == "kesan"
    ]
    assert texts == ["Kesan A", "Kesan B", "Kesan C", "Kesan D"]


def test_a_supervisor_sees_their_cohort_only(client, auth, answered, make_user):
    from lms.cohorts.members import add_staff
    from tests.cohort_world import add_cohort

    cohort = answered["cohort"]
    auth.login("pengawas@example.org")
    assert client.get(REPORT).status_code == 403
    assert client.get(f"{REPORT}?cohort={cohort.id}").status_code == 200
    assert client.get(f"{REPORT}/figures.csv?cohort={cohort.id}").status_code == 200
    other = add_cohort(cohort.course_id, name="Angkatan Lain")
    assert client.get(f"{REPORT}?cohort={other.id}").status_code == 403
    stranger = make_user(email="lain@example.org", role="supervisor")
    add_staff(other, stranger, "supervisor")
    auth.logout()
    auth.login("lain@example.org")
    assert client.get(f"{REPORT}?cohort={cohort.id}").status_code == 403
    page = client.get(f"{REPORT}?cohort={other.id}").get_data(as_text=True)
    assert "Kesan A" not in page


def test_a_facilitator_sees_what_was_said_about_them_only(client, auth, answered):
    auth.login("coach@example.org")
    assert client.get(REPORT).status_code == 403
    page = client.get(f"{REPORT}/mine").get_data(as_text=True)
    assert "Pak Coach" in page and "Bu Fasilitator" not in page
    assert "Materi disampaikan" not in page and "Kesan A" not in page
    results = survey_results(survey("evaluasi"), facilitator_id=answered["coach"].id)
    assert [(q.facilitator[1], q.mean) for q in results.questions] == [
        ("Pak Coach", 2.5)
    ]
    auth.logout()
    auth.login(answered["learners"][0].email)
    assert client.get(f"{REPORT}/mine").status_code == 403


def test_a_report_counts_in_a_fixed_number_of_queries(app, answered, count_queries):
    activity = survey("evaluasi")
    with count_queries() as statements:
        survey_results(activity)
    assert (
        len(statements) == 4
    )  # respondents, by number, texts and multiple choice, names


def test_the_cohort_page_links_each_person_to_the_results_they_may_read(
    client, auth, answered
):
    cohort = answered["cohort"]
    auth.login("pengawas@example.org")
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert f"/survey-report?cohort={cohort.id}" in page
    auth.logout()
    auth.login("coach@example.org")
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "/survey-report/mine" in page and "/survey-report?cohort" not in page


def test_a_multiple_choice_percent_is_of_those_who_answered(client, auth, answered):
    auth.login("organiser@example.org")
    page = client.get(REPORT).get_data(as_text=True)
    chart = page[page.index("<h2>Bagian mana yang bermanfaat?") :].split("</svg>")[0]
    assert (
        chart.count("4 (100%)") == 2 and "0 (0%)" in chart
    )  # Video and Diskusi, by all four


def test_the_same_free_text_is_listed_once_with_how_many_wrote_it(
    client, auth, survey_cohort
):
    people = [survey_cohort["fasilitator"].id, survey_cohort["coach"].id]
    for learner, words in zip(survey_cohort["learners"], ["Cukup", "Bagus", "Cukup"]):
        answer(learner, "evaluasi", answer_form(people, **{"q-kesan": words}))
    impression = next(
        q
        for q in survey_results(survey("evaluasi")).questions
        if q.question["key"] == "kesan"
    )
    assert impression.texts == [("Bagus", 1), ("Cukup", 2)] and impression.count == 3
    auth.login("organiser@example.org")
    assert 'Cukup <span class="meta">(×2)</span>' in client.get(REPORT).get_data(
        as_text=True
    )
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"{REPORT}/texts.csv").get_data(as_text=True))
        )
    )
    assert [r[3:] for r in rows if r[0] == "kesan"] == [["Bagus", "1"], ["Cukup", "2"]]
