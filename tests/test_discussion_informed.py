"""Staying informed: unread counts, following a thread, emails at once or as a daily digest."""

from sqlalchemy import select

from lms.discussions import notify, writing
from lms.extensions import db
from lms.models import DiscussionNotice, DiscussionThread, OutgoingEmail
from tests.discussion_world import LESSON, QUESTIONS, ask


def unread_badges(html):
    return [line.strip() for line in html.splitlines() if "badge unread" in line]


def test_unread_posts_show_on_the_course_page_the_outline_and_my_courses(
    world, sign_in
):
    thread = ask(world, world.ani)
    writing.reply(world.ani, thread, "Tambahan")
    db.session.commit()
    client = sign_in("budi")
    assert "2 tulisan belum dibaca" in client.get("/courses/contoh-kursus/").text
    assert "2 tulisan belum dibaca" in client.get(LESSON).text
    assert "2 tulisan belum dibaca" in client.get("/my/").text
    # another cohort's questions are not counted; reading the thread clears the count
    assert unread_badges(sign_in("citra").get("/my/").text) == []
    client = sign_in("budi")
    client.get(f"/discussions/{thread.id}/")
    assert unread_badges(client.get("/courses/contoh-kursus/").text) == []
    writing.reply(world.ani, thread, "Satu lagi")
    db.session.commit()
    assert "1 tulisan belum dibaca" in client.get("/my/").text
    assert "1 belum dibaca" in client.get(QUESTIONS).text


def test_unread_counts_are_per_viewer_on_the_same_page(world, sign_in):
    ask(world, world.budi)
    # Ani and Budi see the same course page, each with their own count (nothing shared)
    assert unread_badges(sign_in("budi").get("/courses/contoh-kursus/").text) == []
    assert unread_badges(sign_in("ani").get("/courses/contoh-kursus/").text) != []


def test_following_a_thread_brings_its_new_posts(world, sign_in):
    thread = ask(world, world.ani)
    client = sign_in("budi")
    assert (
        client.post(
            f"/discussions/{thread.id}/follow", data={"follow": "1"}
        ).status_code
        == 302
    )
    writing.reply(world.ani, thread, "Kabar baru")
    db.session.commit()
    assert (
        db.session.scalar(
            select(DiscussionNotice.user_id).where(DiscussionNotice.reason == "reply")
        )
        == world.budi.id
    )
    assert "budi@example.org" in {
        m.to for m in db.session.scalars(select(OutgoingEmail))
    }
    client.post(f"/discussions/{thread.id}/follow", data={"follow": "0"})
    writing.reply(world.ani, thread, "Kabar lain")
    db.session.commit()
    assert (
        db.session.scalar(
            select(DiscussionNotice.id)
            .where(DiscussionNotice.user_id == world.budi.id)
            .order_by(DiscussionNotice.id.desc())
        )
        == 1
    )


def test_a_daily_digest_gathers_the_notices_into_one_email(world, sign_in, runner):
    notify.set_email_mode(world.ani.id, "digest")
    thread = ask(world, world.ani)
    for n in range(3):
        writing.reply(world.budi, thread, f"Jawaban {n}")
    db.session.commit()
    assert db.session.scalars(select(OutgoingEmail)).all() == []  # nothing at once
    result = runner.invoke(args=["lms", "send-digests"])
    assert result.exit_code == 0 and "1" in result.output
    (email,) = db.session.scalars(select(OutgoingEmail)).all()
    assert email.to == "ani@example.org" and all(
        f"Jawaban {n}" in email.body for n in range(3)
    )
    assert "/discussions/unsubscribe/" in email.body
    assert notify.send_digests() == 0  # each notice goes out once


def test_the_unsubscribe_link_works_without_signing_in(world, client):
    token = notify.unsubscribe_token(world.ani.id)
    assert client.get(f"/discussions/unsubscribe/{token}").status_code == 200
    assert (
        notify.email_mode(world.ani.id) == "immediate"
    )  # a GET changes nothing (mail scanners)
    assert (
        client.post(
            f"/discussions/unsubscribe/{token}", data={"mode": "off"}
        ).status_code
        == 200
    )
    assert notify.email_mode(world.ani.id) == "off"
    assert client.get(f"/discussions/unsubscribe/{token}x").status_code == 404
    thread = ask(world, world.budi)
    writing.reply(world.budi, thread, "@Ani_Wijaya lihat ini")
    db.session.commit()
    assert "ani@example.org" not in {
        m.to for m in db.session.scalars(select(OutgoingEmail))
    }


def test_a_member_chooses_how_they_hear_by_email(world, sign_in):
    client = sign_in("ani")
    assert client.post("/discussions/email", data={"mode": "digest"}).status_code == 302
    assert notify.email_mode(world.ani.id) == "digest"


def test_a_mention_is_listed_in_the_members_notifications_whatever_their_email_choice(
    world, sign_in
):
    notify.set_email_mode(world.budi.id, "off")
    thread = ask(world, world.ani, title="Tolong dibantu")
    writing.reply(world.ani, thread, "@Budi_Santoso bisa bantu?")
    db.session.commit()
    page = sign_in("budi").get("/discussions/notifications").text
    assert "Tolong dibantu" in page and "menyebut Anda" in page
    assert (
        "Tolong dibantu" not in sign_in("citra").get("/discussions/notifications").text
    )


def test_the_worker_sends_the_digests_once_a_day(world):
    from datetime import timedelta

    from lms.jobs import schedule
    from lms.models.types import utcnow

    notify.set_email_mode(world.ani.id, "digest")
    writing.reply(world.budi, ask(world, world.ani), "Jawaban pertama")
    db.session.commit()
    now = utcnow()
    schedule.run_due(now)
    assert len(db.session.scalars(select(OutgoingEmail)).all()) == 1
    writing.reply(
        world.budi, db.session.scalars(select(DiscussionThread)).first(), "Kedua"
    )
    db.session.commit()
    schedule.run_due(now + timedelta(hours=23))  # not yet: once a day
    assert len(db.session.scalars(select(OutgoingEmail)).all()) == 1
    schedule.run_due(now + timedelta(days=1))
    assert len(db.session.scalars(select(OutgoingEmail)).all()) == 2
