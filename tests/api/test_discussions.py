"""The discussions API: the web's rules, by bearer token."""

from sqlalchemy import select

from lms.discussions import moderation, writing
from lms.extensions import db
from lms.models import DiscussionThread
from tests.discussion_world import ask

THREADS = "/courses/contoh-kursus/activities/pengantar/selamat-datang/threads"


def test_a_learner_asks_and_reads_only_her_cohorts_questions(world, api, make_token):
    ani, citra = make_token(world.ani), make_token(world.citra)
    response = api.post(
        THREADS, ani, json={"title": "Lewat API", "body": "Isi **tebal**"}
    )
    assert response.status_code == 201, response.json
    thread = db.session.get(DiscussionThread, response.json["id"])
    assert thread.cohort_id == world.a.id
    assert [
        t["title"] for t in api.get(THREADS, make_token(world.budi)).json["items"]
    ] == ["Lewat API"]
    assert api.get(THREADS, citra).json["items"] == []
    assert api.get(f"/threads/{thread.id}", citra).status_code == 403
    assert (
        api.post(f"/threads/{thread.id}/posts", citra, json={"body": "x"}).status_code
        == 403
    )
    page = api.get(f"/threads/{thread.id}", ani).json
    assert page["items"][0]["html"] == "<p>Isi <strong>tebal</strong></p>"


def test_removed_posts_keep_their_place_without_their_text(world, api, make_token):
    thread = ask(world, world.ani)
    answer = writing.reply(world.budi, thread, "Rahasia")
    writing.remove_post(answer)
    db.session.commit()
    items = api.get(f"/threads/{thread.id}", make_token(world.ani)).json["items"]
    assert [(p["number"], p["state"], p["html"]) for p in items][1] == (
        2,
        "removed",
        None,
    )


def test_a_locked_thread_takes_posts_from_moderators_only(world, api, make_token):
    thread = ask(world, world.ani)
    moderation.set_thread_flag(thread, "locked", True, world.guru.id)
    db.session.commit()
    assert (
        api.post(
            f"/threads/{thread.id}/posts", make_token(world.budi), json={"body": "x"}
        ).status_code
        == 403
    )
    assert (
        api.post(
            f"/threads/{thread.id}/posts",
            make_token(world.kiki),
            json={"body": "Coach"},
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"/threads/{thread.id}/posts", make_token(world.guru), json={"body": "Guru"}
        ).status_code
        == 201
    )
    assert db.session.scalar(select(DiscussionThread.post_count)) == 3


def test_a_read_token_may_not_post(world, api, make_token):
    thread = ask(world, world.ani)
    token = make_token(world.budi, scope="read")
    assert (
        api.post(f"/threads/{thread.id}/posts", token, json={"body": "x"}).status_code
        == 403
    )
