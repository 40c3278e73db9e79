"""Lesson discussions: asking, answering, accepting, who sees what, and writing posts."""

from datetime import timedelta

from sqlalchemy import select

from lms.discussions import writing
from lms.extensions import db
from lms.models import DiscussionPost, DiscussionThread, PostRevision
from tests.discussion_world import QUESTIONS, ask, enrollment


def thread_url(thread):
    return f"/discussions/{thread.id}/"


def test_learner_asks_another_answers_and_the_instructor_accepts(world, sign_in):
    client = sign_in("ani")
    response = client.post(
        QUESTIONS + "ask",
        data={"title": "Apa itu SPBE?", "body": "Mohon **penjelasan**."},
    )
    assert response.status_code == 302
    thread = db.session.scalar(select(DiscussionThread))
    assert thread.cohort_id == world.a.id and thread.activity_id == world.lesson.id
    assert "Apa itu SPBE?" in sign_in("budi").get(QUESTIONS).text
    assert (
        client.post(
            thread_url(thread) + "reply",
            data={"body": "Sistem Pemerintahan Berbasis Elektronik."},
        ).status_code
        == 302
    )
    answer = db.session.scalar(select(DiscussionPost).where(DiscussionPost.number == 2))
    assert answer.author_id == world.budi.id
    # a learner may not accept; the instructor may
    assert client.post(f"/discussions/posts/{answer.id}/accept").status_code == 403
    client = sign_in("guru")
    assert client.post(f"/discussions/posts/{answer.id}/accept").status_code == 302
    db.session.refresh(answer)
    db.session.refresh(thread)
    assert answer.accepted and thread.answered
    page = sign_in("ani").get(thread_url(thread)).text
    assert "Jawaban diterima" in page and "<strong>penjelasan</strong>" in page


def test_a_learner_sees_their_cohorts_questions_and_the_course_ones_outside_cohorts(
    world, sign_in
):
    ask(world, world.ani, title="Pertanyaan angkatan A")
    ask(world, world.citra, title="Pertanyaan angkatan B")
    ask(world, world.dewi, title="Pertanyaan tanpa angkatan")
    seen = {
        name: sign_in(name).get(QUESTIONS).text
        for name in ("budi", "citra", "dewi", "guru")
    }
    assert "angkatan A" in seen["budi"] and "angkatan B" not in seen["budi"]
    assert "tanpa angkatan" not in seen["budi"]
    assert "angkatan B" in seen["citra"] and "angkatan A" not in seen["citra"]
    assert "tanpa angkatan" in seen["dewi"] and "angkatan A" not in seen["dewi"]
    assert all(
        t in seen["guru"] for t in ("angkatan A", "angkatan B", "tanpa angkatan")
    )
    other = db.session.scalar(
        select(DiscussionThread).where(DiscussionThread.cohort_id == world.b.id)
    )
    assert sign_in("budi").get(thread_url(other)).status_code == 403


def test_the_course_setting_opens_every_question_to_every_learner(world, sign_in):
    ask(world, world.citra, title="Pertanyaan angkatan B")
    assert "angkatan B" not in sign_in("budi").get(QUESTIONS).text
    client = sign_in("guru")
    assert (
        client.post("/courses/contoh-kursus/discussions/settings", data={}).status_code
        == 302
    )
    assert "angkatan B" in sign_in("budi").get(QUESTIONS).text
    assert (
        sign_in("budi")
        .post("/courses/contoh-kursus/discussions/settings", data={})
        .status_code
        == 403
    )


def test_someone_not_enrolled_neither_reads_nor_asks(world, sign_in):
    thread = ask(world, world.ani)
    client = sign_in("tono")
    assert client.get(QUESTIONS).status_code in (302, 403)
    assert client.get(thread_url(thread)).status_code == 403
    assert (
        client.post(thread_url(thread) + "reply", data={"body": "x"}).status_code == 403
    )
    assert (
        client.post(QUESTIONS + "ask", data={"title": "x", "body": "y"}).status_code
        == 403
    )


def test_posts_go_through_the_one_sanitizer_once_when_saved(world, sign_in):
    client = sign_in("ani")
    body = "Lihat <script>alert(1)</script> [tautan](javascript:alert(2)) dan *miring*"
    client.post(QUESTIONS + "ask", data={"title": "XSS?", "body": body})
    post = db.session.scalar(select(DiscussionPost))
    assert "<script" not in post.html and "javascript:" not in post.html
    assert "<em>miring</em>" in post.html and post.body == body
    assert "<script>alert(1)" not in client.get(f"/discussions/{post.thread_id}/").text


def test_editing_within_the_window_keeps_the_history(world, sign_in, app):
    thread = ask(world, world.ani, body="Versi pertama")
    post = db.session.scalar(select(DiscussionPost))
    client = sign_in("ani")
    assert (
        client.post(
            f"/discussions/posts/{post.id}/edit", data={"body": "Versi kedua"}
        ).status_code
        == 302
    )
    db.session.refresh(post)
    assert post.body == "Versi kedua" and post.edited_at is not None
    assert [r.body for r in db.session.scalars(select(PostRevision))] == [
        "Versi pertama"
    ]
    history = client.get(f"/discussions/posts/{post.id}/history").text
    assert "Versi pertama" in history and "Versi kedua" in history
    # someone else may not edit it; nor may its author once the window has passed
    assert (
        sign_in("budi")
        .post(f"/discussions/posts/{post.id}/edit", data={"body": "x"})
        .status_code
        == 403
    )
    post.created_at -= timedelta(minutes=app.config["LMS_DISCUSSION_EDIT_MINUTES"] + 1)
    db.session.commit()
    client = sign_in("ani")
    assert (
        client.post(
            f"/discussions/posts/{post.id}/edit", data={"body": "Terlambat"}
        ).status_code
        == 403
    )
    assert thread.id


def test_removing_a_post_leaves_removed_in_its_place(world, sign_in):
    thread = ask(world, world.ani)
    answer = writing.reply(world.budi, thread, "Jawaban rahasia")
    db.session.commit()
    assert (
        sign_in("ani").post(f"/discussions/posts/{answer.id}/delete").status_code == 403
    )
    client = sign_in("budi")
    assert client.post(f"/discussions/posts/{answer.id}/delete").status_code == 302
    page = client.get(thread_url(thread)).text
    assert "Jawaban rahasia" not in page and '<p class="removed">dihapus</p>' in page
    assert db.session.get(DiscussionPost, answer.id).number == 2  # keeps its place


def test_quoting_a_post_starts_the_reply_with_it(world, sign_in):
    thread = ask(world, world.ani, body="Baris satu\nBaris dua")
    post = db.session.scalar(select(DiscussionPost))
    page = sign_in("budi").get(f"{thread_url(thread)}?quote={post.id}").text
    assert "&gt; **Ani Wijaya:**" in page and "&gt; Baris dua" in page


def test_mentioning_a_member_notifies_them_by_email(world, sign_in):
    from lms.models import DiscussionNotice, OutgoingEmail

    thread = ask(world, world.ani)
    sign_in("guru").post(
        thread_url(thread) + "reply",
        data={"body": "@Budi_Santoso dan @Citra_Lestari, bantu?"},
    )
    notices = {
        (n.user_id, n.reason) for n in db.session.scalars(select(DiscussionNotice))
    }
    # Budi reads the thread (cohort A); Citra (cohort B) does not, so she is not told of it
    assert (world.budi.id, "mention") in notices
    assert all(user_id != world.citra.id for user_id, _ in notices)
    assert (world.ani.id, "reply") in notices  # she follows her own question
    to = [m.to for m in db.session.scalars(select(OutgoingEmail))]
    assert sorted(to) == ["ani@example.org", "budi@example.org"]
    body = db.session.scalar(
        select(OutgoingEmail.body).where(OutgoingEmail.to == "budi@example.org")
    )
    assert "/discussions/unsubscribe/" in body and f"/discussions/{thread.id}/" in body


def test_replies_are_numbered_in_order(world):
    thread = ask(world, world.ani)
    numbers = [
        writing.reply(world.budi, thread, f"Balasan {n}").number for n in range(3)
    ]
    db.session.commit()
    assert (
        numbers == [2, 3, 4]
        and db.session.get(DiscussionThread, thread.id).post_count == 4
    )
    assert enrollment(world.ani, world.course).cohort_id == world.a.id


PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_an_attachment_passes_the_upload_checks_and_reaches_only_readers(
    world, sign_in
):
    import io

    thread = ask(world, world.ani)
    client = sign_in("budi")
    refused = client.post(f"/discussions/{thread.id}/reply", content_type="multipart/form-data",
                          data={"body": "Lihat berkas", "attachment": (io.BytesIO(b"MZ\x90\x00program"), "virus.pdf")})  # fmt: skip
    assert refused.status_code == 400 and "Lampirkan PDF" in refused.text
    assert (
        db.session.get(DiscussionThread, thread.id).post_count == 1
    )  # nothing was written
    sent = client.post(f"/discussions/{thread.id}/reply", content_type="multipart/form-data",
                       data={"body": "Lihat berkas", "attachment": (io.BytesIO(PDF), "rancangan aksi.pdf")})  # fmt: skip
    assert sent.status_code == 302
    post = db.session.scalar(select(DiscussionPost).where(DiscussionPost.number == 2))
    assert (post.file_name, post.file_type) == ("rancangan_aksi.pdf", "application/pdf")
    assert "Lampiran: rancangan_aksi.pdf" in sign_in("ani").get(thread_url(thread)).text
    download = sign_in("ani").get(f"/discussions/posts/{post.id}/attachment")
    assert download.status_code == 200 and download.data == PDF
    assert (
        sign_in("citra").get(f"/discussions/posts/{post.id}/attachment").status_code
        == 403
    )
