"""Discussions in the browser: a learner asks, the instructor accepts, a mentor comments."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import DiscussionThread
from tests.discussion_world import LESSON


def test_a_learner_asks_and_the_instructor_accepts_an_answer(pages, world):
    ani = pages.person()
    pages.sign_in(ani, "ani@example.org")
    ani.goto(LESSON)
    pages.follow(ani, "p.discussion-link a")
    pages.check(ani, "questions-empty")
    ani.fill("#title", "Apa bedanya SPBE dan e-government?")
    ani.fill("#body", "Mohon **penjelasan** singkat.")
    pages.follow(ani, "main form[action$='/ask'] button[type=submit]")
    assert ani.locator("h1").inner_text() == "Apa bedanya SPBE dan e-government?"
    pages.check(ani, "question")

    budi = pages.person()
    pages.sign_in(budi, "budi@example.org")
    budi.goto(LESSON)
    assert "1 tulisan belum dibaca" in budi.locator("p.discussion-link").inner_text()
    pages.follow(budi, "p.discussion-link a")
    pages.follow(budi, "ul.threads a")
    budi.fill("#body", "SPBE mencakup tata kelola, e-government lebih sempit.")
    pages.follow(budi, "#reply button[type=submit]")
    pages.check(budi, "answered")

    guru = pages.person()
    pages.sign_in(guru, "guru@example.org")
    thread = db.session.scalar(select(DiscussionThread))
    guru.goto(f"/discussions/{thread.id}/")
    pages.check(guru, "thread-as-instructor")
    pages.follow(guru, "#post-2 form[action$='/accept'] button")
    assert "Jawaban diterima" in guru.locator("#post-2").inner_text()
    ani.reload()
    assert "Jawaban diterima" in ani.locator("#post-2").inner_text()
    pages.check(ani, "accepted")


def test_a_mentor_comments_on_an_aksi_perubahan_topic_in_english(pages, world):
    guru = pages.person(locale="en-US")
    pages.sign_in(guru, "guru@example.org")
    guru.goto(f"/cohorts/{world.a.id}/forum/")
    pages.check(guru, "forum-organiser")
    guru.fill("#title", "Ani's aksi perubahan")
    guru.select_option("#learner", str(world.ani.id))
    guru.fill("#body", "Draft: *digital archive* for the OPD.")
    pages.follow(guru, "main form[action$='/topics'] button[type=submit]")
    topic = guru.url

    mira = pages.person(locale="en-US")
    pages.sign_in(mira, "mira@example.org")
    mira.goto(topic)
    assert "Your comment" in mira.locator("#reply h2").inner_text()
    mira.fill("#body", "Good start: add a measurable indicator.")
    pages.follow(mira, "#reply button[type=submit]")
    pages.check(mira, "topic-commented")

    ani = pages.person(locale="en-US")
    pages.sign_in(ani, "ani@example.org")
    ani.goto(f"/cohorts/{world.a.id}/forum/")
    assert (
        "2 unread" in ani.locator("ul.threads").inner_text()
    )  # the opening and the comment
    pages.follow(ani, "ul.threads a")
    assert "measurable indicator" in ani.locator("main").inner_text()
    pages.check(ani, "topic-as-learner")
