"""Moderation: instructors, coaches and organisers hide, lock, pin and move; reports; rate limits."""

from sqlalchemy import select

from lms.discussions import writing
from lms.extensions import db
from lms.learn.lookup import find_activity
from lms.models import AuditEvent, DiscussionThread, OutgoingEmail, PostReport
from tests.discussion_world import QUESTIONS, ask


def audited(action):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action)
    ).all()


def test_a_coach_hides_a_post_of_their_cohort_and_it_is_audited(world, sign_in):
    thread = ask(world, world.ani)
    rude = writing.reply(world.budi, thread, "Kata-kata kasar")
    db.session.commit()
    client = sign_in("kiki")
    assert (
        client.post(
            f"/discussions/posts/{rude.id}/hide", data={"value": "1"}
        ).status_code
        == 302
    )
    assert (
        "Kata-kata kasar" in client.get(f"/discussions/{thread.id}/").text
    )  # moderators still read it
    page = sign_in("ani").get(f"/discussions/{thread.id}/").text
    assert "Kata-kata kasar" not in page and "Disembunyikan oleh moderator." in page
    (event,) = audited("discussion.hide_post")
    assert event.actor_id == world.kiki.id and event.target_id == str(rude.id)


def test_a_coach_does_not_moderate_another_cohorts_threads(world, sign_in):
    thread = ask(world, world.citra)
    client = sign_in("kiki")
    assert (
        client.post(
            f"/discussions/{thread.id}/moderate", data={"flag": "locked", "value": "1"}
        ).status_code
        == 403
    )
    assert not db.session.get(DiscussionThread, thread.id).locked


def test_a_locked_thread_takes_no_more_answers_from_learners(world, sign_in):
    thread = ask(world, world.ani)
    client = sign_in("guru")
    assert (
        client.post(
            f"/discussions/{thread.id}/moderate", data={"flag": "locked", "value": "1"}
        ).status_code
        == 302
    )
    assert (
        sign_in("budi")
        .post(f"/discussions/{thread.id}/reply", data={"body": "Boleh?"})
        .status_code
        == 403
    )
    assert [e.actor_id for e in audited("discussion.lock")] == [world.guru.id]
    sign_in("guru").post(
        f"/discussions/{thread.id}/moderate", data={"flag": "locked", "value": "0"}
    )
    assert (
        sign_in("budi")
        .post(f"/discussions/{thread.id}/reply", data={"body": "Boleh?"})
        .status_code
        == 302
    )
    assert len(audited("discussion.unlock")) == 1


def test_a_pinned_thread_comes_first(world, sign_in):
    old = ask(world, world.ani, title="Pertanyaan lama")
    ask(world, world.budi, title="Pertanyaan baru")
    sign_in("guru").post(
        f"/discussions/{old.id}/moderate", data={"flag": "pinned", "value": "1"}
    )
    page = sign_in("ani").get(QUESTIONS).text
    assert page.index("Pertanyaan lama") < page.index("Pertanyaan baru")
    assert len(audited("discussion.pin")) == 1


def test_a_hidden_thread_leaves_the_learners_list(world, sign_in):
    thread = ask(world, world.ani, title="Iklan")
    sign_in("kiki").post(
        f"/discussions/{thread.id}/moderate", data={"flag": "hidden", "value": "1"}
    )
    assert "Iklan" not in sign_in("budi").get(QUESTIONS).text
    assert sign_in("budi").get(f"/discussions/{thread.id}/").status_code == 403
    assert "Iklan" in sign_in("guru").get(QUESTIONS).text


def test_an_instructor_moves_a_question_to_another_lesson(world, sign_in):
    thread = ask(world, world.ani, title="Salah tempat")
    other = find_activity(world.course, "pengantar", "cara-belajar")
    client = sign_in("guru")
    assert (
        client.post(
            f"/discussions/{thread.id}/move", data={"activity": other.id}
        ).status_code
        == 302
    )
    assert "Salah tempat" not in client.get(QUESTIONS).text
    assert (
        "Salah tempat"
        in client.get("/courses/contoh-kursus/pengantar/cara-belajar/discussions/").text
    )
    (event,) = audited("discussion.move")
    assert event.details == {"from_activity": world.lesson.id, "to_activity": other.id}
    assert (
        sign_in("ani")
        .post(f"/discussions/{thread.id}/move", data={"activity": world.lesson.id})
        .status_code
        == 403
    )


def test_a_report_reaches_the_moderators(world, sign_in):
    thread = ask(world, world.ani, body="Tulisan yang dilaporkan")
    post = writing.first_post(thread)
    client = sign_in("budi")
    assert (
        client.post(
            f"/discussions/posts/{post.id}/report", data={"reason": "Tidak pantas"}
        ).status_code
        == 302
    )
    report = db.session.scalar(select(PostReport))
    assert (report.reporter_id, report.reason) == (world.budi.id, "Tidak pantas")
    told = {
        m.to
        for m in db.session.scalars(
            select(OutgoingEmail).where(OutgoingEmail.subject.contains("dilaporkan"))
        )
    }
    assert told == {"guru@example.org", "kiki@example.org"}
    assert client.get("/courses/contoh-kursus/discussions/reports").status_code == 403
    for name in ("guru", "kiki"):
        assert (
            "Tidak pantas"
            in sign_in(name).get("/courses/contoh-kursus/discussions/reports").text
        )
    sign_in("kiki").post(f"/discussions/posts/{post.id}/resolve")
    assert db.session.scalar(select(PostReport)).resolved_at is not None
    assert (
        "Tidak pantas"
        not in sign_in("guru").get("/courses/contoh-kursus/discussions/reports").text
    )
    assert len(audited("discussion.resolve_reports")) == 1
    # the author does not report her own post
    assert (
        sign_in("ani").post(f"/discussions/posts/{post.id}/report", data={}).status_code
        == 403
    )


def test_posting_is_rate_limited(world, sign_in, app):
    app.config["LMS_DISCUSSION_RATE_LIMIT"] = "2 per minute"
    thread = ask(world, world.ani)
    client = sign_in("budi")
    codes = [
        client.post(
            f"/discussions/{thread.id}/reply", data={"body": f"Balasan {n}"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert (
        sign_in("ani")
        .post(f"/discussions/{thread.id}/reply", data={"body": "Saya"})
        .status_code
        == 302
    )


def test_a_coach_finds_their_cohorts_questions(world, sign_in):
    ask(world, world.ani, title="Pertanyaan angkatan A")
    ask(world, world.citra, title="Pertanyaan angkatan B")
    client = sign_in("kiki")
    for url in (QUESTIONS, f"/cohorts/{world.a.id}/questions/"):
        page = client.get(url).text
        assert "angkatan A" in page and "angkatan B" not in page, url
    assert client.get(f"/cohorts/{world.b.id}/questions/").status_code == 403
    assert sign_in("tono").get(QUESTIONS).status_code == 403


def test_a_coach_reads_the_reports_of_their_cohort_only(world, sign_in, make_user):
    from lms.cohorts.members import add_staff

    for learner, reporter, reason in (
        (world.ani, "budi", "Laporan A"),
        (world.citra, "guru", "Laporan B"),
    ):
        post = writing.first_post(ask(world, learner, body=f"Tulisan {reason}"))
        said = sign_in(reporter).post(
            f"/discussions/posts/{post.id}/report", data={"reason": reason}
        )
        assert said.status_code == 302
    reports = "/courses/contoh-kursus/discussions/reports"
    page = sign_in("kiki").get(reports).text
    assert "Laporan A" in page and "Laporan B" not in page
    assert "Laporan B" in sign_in("guru").get(reports).text
    # a supervisor of a cohort moderates nothing: no reports page at all
    add_staff(world.b, make_user(email="lain@example.org"), "supervisor")
    db.session.commit()
    assert sign_in("lain").get(reports).status_code == 403
