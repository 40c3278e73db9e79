"""The 503 page of a database outage reads nothing from the database, whenever the outage begins."""

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from lms.extensions import db


@pytest.fixture
def outage(app):
    """Make every statement from the `after`-th on fail as a dead server does."""
    state = {"after": None, "seen": 0}

    def fail(conn, cursor, statement, parameters, context, executemany):
        if state["after"] is None:
            return
        state["seen"] += 1
        if state["seen"] > state["after"]:
            raise OperationalError(statement, parameters, Exception("server closed"))

    event.listen(db.engine, "before_cursor_execute", fail)

    def begin(after=0):
        state.update(after=after, seen=0)

    yield begin
    event.remove(db.engine, "before_cursor_execute", fail)


@pytest.fixture
def signed_in(client, auth, make_user):
    make_user(email="ani@example.org", name="Ani Lestari")
    auth.login("ani@example.org")
    return client


def test_outage_while_loading_the_user_gives_503_as_a_visitor(signed_in, outage):
    outage(after=0)
    page = signed_in.get("/my/")
    text = page.get_data(as_text=True)
    assert (
        page.status_code == 503
    )  # a second query in the handler would make this a 500
    assert "basis data" in text.lower()
    assert "Ani Lestari" not in text and "Keluar" not in text


def test_outage_after_the_user_was_loaded_gives_503_without_the_account(
    signed_in, outage
):
    outage(after=1)  # the session's user loads; the page's next statement fails
    page = signed_in.get("/my/")
    assert page.status_code == 503
    assert "Ani Lestari" not in page.get_data(as_text=True)


def test_outage_page_speaks_the_browser_language(client, outage):
    outage(after=0)
    page = client.get("/", headers={"Accept-Language": "en"})
    assert page.status_code == 503
    assert "The database is not answering" in page.get_data(as_text=True)
