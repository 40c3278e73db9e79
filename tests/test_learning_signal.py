"""On PostgreSQL a kept lesson page reads the database only when the learner's state changed.

The changes here are made with SQL, as by hand: the triggers see every write, not only the app's.
Each check compares the page with a full render, so a state used after it changed fails here.
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from lms.extensions import db
from lms.learn import learning_signal
from tests import test_lesson_page
from tests.test_lesson_page import BASE, LESSONS, keep, page

people = test_lesson_page.people  # the five learners, each signed in on a client


@pytest.fixture
def listening(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("NOTIFY is PostgreSQL's")
    app.config["LMS_LEARNING_SIGNAL"] = True
    learning_signal.init_app(app)
    signal = learning_signal.for_app(app)
    yield signal
    signal.close()


def by_hand(sql: str, **params) -> None:
    """Run SQL on a connection of its own, committed, as someone at a psql prompt would."""
    with db.engine.begin() as connection:
        connection.execute(text(sql), params)


def told(signal, sql: str, user_id: int = 0, **params) -> None:
    """Run the SQL by hand, then wait until the process has heard of it.

    A notification reaches the listener a moment after the commit (well under a millisecond
    here); a view in that moment may still show the kept page, as it would had it come a moment
    earlier. What matters is that none does once it is heard.
    """
    before = signal.tags(user_id)
    by_hand(sql, **params)
    for _ in range(400):
        if signal.tags(user_id) != before:
            return
        time.sleep(0.005)
    raise AssertionError(f"no notification heard after {sql!r}")


def statements(app, count_queries, client, url) -> tuple[int, int, str]:
    """View the page and return the statements it ran, its status and its text."""
    with count_queries() as seen:
        response = client.get(url)
    return len(seen), response.status_code, response.get_data(as_text=True)


def learner_id(email: str) -> int:
    return db.session.scalar(
        text("SELECT id FROM users WHERE email = :e"), {"e": email}
    )


def test_a_kept_page_reads_nothing_until_the_learner_progresses(
    frozen_clock, app, people, listening, count_queries
):
    client = people["citra@example.org"]
    keep(app, client, LESSONS[0])
    ran, status, html = statements(app, count_queries, client, LESSONS[0])
    assert (ran, status) == (1, 200)  # only the session's state
    assert html == page(app, client, LESSONS[0], cached=False)
    # done in another process, or by hand: the next view reads it
    citra = learner_id("citra@example.org")
    told(listening, "UPDATE activity_progress SET completed_at = now() WHERE user_id = :u",
         citra, u=citra)  # fmt: skip
    ran, status, html = statements(app, count_queries, client, LESSONS[0])
    assert ran >= 2 and status == 200
    assert html == page(app, client, LESSONS[0], cached=False)
    assert "1 dari 3 selesai" in html
    # another learner's change leaves Citra's kept state alone
    budi = learner_id("budi@example.org")
    told(listening, "UPDATE enrollments SET last_activity_at = now() WHERE user_id = :u",
         budi, u=budi)  # fmt: skip
    page(app, client, LESSONS[0], cached=True)
    assert statements(app, count_queries, client, LESSONS[0])[0] == 1


def test_a_change_told_while_the_connection_is_checked_is_not_missed(
    app, people, listening, monkeypatch
):
    monkeypatch.setattr(learning_signal, "PING_SECONDS", 0.0)  # check it at every view
    client = people["budi@example.org"]
    keep(app, client, LESSONS[2])
    told(listening, "UPDATE courses SET published = false")
    assert client.get(LESSONS[2]).status_code == 403


def test_a_kept_page_never_outlives_an_unenrollment_or_an_unpublished_course(
    app, people, listening
):
    client = people["ani@example.org"]
    keep(app, client, LESSONS[2])
    ani = learner_id("ani@example.org")
    told(listening, "DELETE FROM enrollments WHERE user_id = :u", ani, u=ani)
    response = client.get(LESSONS[2])
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/")
    budi = people["budi@example.org"]
    keep(app, budi, LESSONS[2])
    told(listening, "UPDATE courses SET published = false")
    assert budi.get(LESSONS[2]).status_code == 403


def test_without_its_listening_connection_a_kept_page_reads_the_database(
    app, people, listening, count_queries, monkeypatch
):
    monkeypatch.setattr(learning_signal, "RETRY_SECONDS", 0.0)
    client = people["budi@example.org"]
    keep(app, client, LESSONS[0])
    assert statements(app, count_queries, client, LESSONS[0])[0] == 1
    kill_listener(listening)
    # a change made while no one listens is not missed: what was kept is not used again
    by_hand("UPDATE courses SET published = false")
    assert client.get(LESSONS[0]).status_code == 403
    by_hand("UPDATE courses SET published = true")
    keep(app, client, LESSONS[0])
    assert statements(app, count_queries, client, LESSONS[0])[0] == 1  # listening again
    # lost again, with Budi's count at 0 since listening began (kept under another listening
    # epoch): a change made before listening anew is not missed either
    kill_listener(listening)
    by_hand("UPDATE courses SET published = false")
    assert client.get(LESSONS[0]).status_code == 403


def kill_listener(signal) -> None:
    """End the listening connection's server process, and wait until the process has noticed.

    (A change committed in the instant the listener dies may be served stale until the process
    reads of its end, as a change is until its notification arrives: well under a millisecond.)
    """
    listening = (
        "FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE 'LISTEN%'"
    )
    by_hand(f"SELECT pg_terminate_backend(pid) {listening}")
    for _ in range(100):
        if signal.tags(0) is None:  # read of its end (and now not listening)
            return
        time.sleep(0.02)
    raise AssertionError("the listening connection's end was not noticed")


def test_the_signal_listens_where_it_is_told(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("NOTIFY is PostgreSQL's")
    for setting, listens_on in (
        ("1", db.engine.url.database),
        ("postgresql://postgres@127.0.0.1:5432/direct", "direct"),
        ("0", None),
    ):
        app.extensions.pop("lms.learning_signal", None)
        app.config["LMS_LEARNING_SIGNAL"] = setting
        learning_signal.init_app(app)
        signal = learning_signal.for_app(app)
        if listens_on is None:
            assert signal is None
        else:
            assert signal._conninfo.endswith(f"/{listens_on}"), signal._conninfo
