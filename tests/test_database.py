"""PostgreSQL connections read without a transaction and open one before the first write."""

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import User, WorkUnit


@pytest.fixture
def pg(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip(
            "lazy transactions are a PostgreSQL setting (sqlite3 begins lazily itself)"
        )
    from psycopg.pq import TransactionStatus

    def status():
        return (
            db.session.connection().connection.dbapi_connection.info.transaction_status
        )

    return status, TransactionStatus


def test_reads_open_no_transaction(pg, make_user):
    status, states = pg
    make_user(email="baca@example.org")
    db.session.close()
    assert db.session.scalar(select(User.email)) == "baca@example.org"
    assert status() == states.IDLE  # no BEGIN was sent, so no ROLLBACK will be either


def test_a_write_opens_a_transaction_that_rolls_back_whole(pg, make_unit):
    status, states = pg
    db.session.scalar(select(func.count(WorkUnit.id)))
    db.session.add(WorkUnit(code="bappeda", name="Bappeda"))
    db.session.add(WorkUnit(code="dinkes", name="Dinas Kesehatan"))
    db.session.flush()
    assert status() == states.INTRANS
    db.session.rollback()
    assert db.session.scalar(select(func.count(WorkUnit.id))) == 0


def test_row_locks_last_until_commit(pg, make_user):
    status, states = pg
    make_user(email="kunci@example.org")
    # the decision is kept per statement: the second run decides alike
    for _ in range(2):
        db.session.close()
        db.session.execute(select(User.id).with_for_update()).all()
        assert status() == states.INTRANS
        db.session.rollback()
        db.session.scalar(select(User.id))
        assert status() == states.IDLE


def test_a_savepoint_opens_the_transaction_first(pg):
    status, states = pg
    with db.session.begin_nested():
        assert status() == states.INTRANS
        db.session.add(WorkUnit(code="bkpsdm", name="BKPSDM"))
    db.session.rollback()
    assert db.session.scalar(select(func.count(WorkUnit.id))) == 0


def test_a_connection_goes_back_to_reading_after_a_commit(pg, make_unit):
    status, states = pg
    make_unit()  # commits
    db.session.close()
    assert db.session.scalar(select(func.count(WorkUnit.id))) == 1
    assert status() == states.IDLE
