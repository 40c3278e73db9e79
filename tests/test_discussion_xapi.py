"""Each post in a discussion is an xAPI "commented" statement, queued with the post."""

from sqlalchemy import select

from lms.extensions import db
from lms.models import XapiStatement
from lms.xapi.statements import COMMENTED
from tests.discussion_world import QUESTIONS
from tests.xapi_helpers import statement_problems


def test_asking_and_answering_are_commented_statements(world, sign_in):
    client = sign_in("ani")
    client.post(
        QUESTIONS + "ask", data={"title": "Apa itu SPBE?", "body": "Mohon penjelasan."}
    )
    thread_id = (
        db.session.scalar(select(XapiStatement.payload)).get("object", {}).get("id")
    )
    sign_in("budi").post(
        f"/discussions/{thread_id.rstrip('/').rsplit('/', 1)[1]}/reply",
        data={"body": "Jawaban"},
    )
    rows = db.session.scalars(
        select(XapiStatement)
        .where(XapiStatement.verb == COMMENTED)
        .order_by(XapiStatement.id)
    ).all()
    assert [r.user_id for r in rows] == [world.ani.id, world.budi.id]
    for row in rows:
        assert statement_problems(row.payload) == []
    answer = rows[1].payload
    assert answer["verb"]["id"] == "http://adlnet.gov/expapi/verbs/commented"
    assert answer["result"]["response"] == "Jawaban"
    assert answer["object"]["id"] == thread_id
    parent = answer["context"]["contextActivities"]["parent"][0]["id"]
    assert parent.endswith("/courses/contoh-kursus/pengantar/selamat-datang/")


def test_a_refused_post_records_nothing(world, sign_in):
    client = sign_in("tono")  # not enrolled
    client.post(QUESTIONS + "ask", data={"title": "x", "body": "y"})
    assert (
        db.session.scalars(
            select(XapiStatement).where(XapiStatement.verb == COMMENTED)
        ).all()
        == []
    )
