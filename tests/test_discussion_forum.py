"""A cohort's forum: topics its organisers open, for the whole angkatan or one learner's work."""

from sqlalchemy import select

from lms.discussions import writing
from lms.extensions import db
from lms.models import DiscussionNotice, DiscussionThread


def forum(world):
    return f"/cohorts/{world.a.id}/forum/"


def test_the_organiser_opens_a_topic_about_one_learners_aksi_perubahan(world, sign_in):
    client = sign_in("guru")
    assert client.get(forum(world)).status_code == 200
    data = {
        "title": "Aksi perubahan Ani",
        "body": "Rancangan aksi perubahan",
        "learner": world.ani.id,
    }
    assert client.post(forum(world) + "topics", data=data).status_code == 302
    topic = db.session.scalar(select(DiscussionThread))
    assert (topic.kind, topic.learner_id, topic.cohort_id) == (
        "topic",
        world.ani.id,
        world.a.id,
    )
    for name in ("ani", "mira", "kiki", "guru"):
        client = sign_in(name)
        assert "Aksi perubahan Ani" in client.get(forum(world)).text, name
        assert client.get(f"/discussions/{topic.id}/").status_code == 200, name
    client = sign_in("budi")  # another member of the cohort
    assert "Aksi perubahan Ani" not in client.get(forum(world)).text
    assert client.get(f"/discussions/{topic.id}/").status_code == 403
    assert sign_in("citra").get(forum(world)).status_code == 403  # another cohort


def test_a_topic_for_the_whole_cohort_is_open_to_its_members_and_mentors(
    world, sign_in
):
    topic = writing.open_topic(
        world.guru, world.a, "Jadwal seminar", "Seminar rancangan minggu depan"
    )
    db.session.commit()
    for name in ("ani", "budi", "mira", "kiki"):
        assert sign_in(name).get(f"/discussions/{topic.id}/").status_code == 200, name
    for name in ("citra", "dewi", "tono"):
        assert sign_in(name).get(f"/discussions/{topic.id}/").status_code == 403, name


def test_only_organisers_open_topics(world, sign_in):
    data = {"title": "Topik", "body": "Isi", "learner": 0}
    for name in ("ani", "mira", "kiki"):
        assert (
            sign_in(name).post(forum(world) + "topics", data=data).status_code == 403
        ), name


def test_the_mentor_comments_and_the_learner_hears_of_it(world, sign_in):
    topic = writing.open_topic(
        world.guru, world.a, "Aksi perubahan Ani", "Rancangan", world.ani.id
    )
    db.session.commit()
    client = sign_in("mira")
    reply = client.post(
        f"/discussions/{topic.id}/reply", data={"body": "Bagus, perjelas indikatornya."}
    )
    assert reply.status_code == 302
    notices = {n.user_id for n in db.session.scalars(select(DiscussionNotice))}
    assert {world.ani.id, world.kiki.id} <= notices and world.mira.id not in notices
    assert (
        "perjelas indikatornya" in sign_in("ani").get(f"/discussions/{topic.id}/").text
    )


def test_the_organiser_opens_one_topic_for_each_member_at_once(world, sign_in):
    data = {
        "title": "Aksi perubahan",
        "body": "Unggah rancangan Anda di sini.",
        "learner": -1,
    }
    assert sign_in("guru").post(forum(world) + "topics", data=data).status_code == 302
    topics = {
        t.learner_id: t.title for t in db.session.scalars(select(DiscussionThread))
    }
    assert topics == {
        world.ani.id: "Aksi perubahan — Ani Wijaya",
        world.budi.id: "Aksi perubahan — Budi Santoso",
    }
    page = sign_in("budi").get(forum(world)).text
    assert "Aksi perubahan — Budi Santoso" in page and "Ani Wijaya" not in page
