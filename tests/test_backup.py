"""A backup restored into an empty database holds every user, attempt and certificate."""

import secrets

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from lms.backup import backup, libpq_url, restore
from lms.extensions import db
from lms.learn import progress
from lms.models import Activity, Certificate, Course, QuizAttempt


def snapshot(connection) -> dict:
    return {
        "users": sorted(connection.execute(text("SELECT email FROM users")).scalars()),
        "attempts": sorted(
            connection.execute(text("SELECT id, score FROM quiz_attempts")).all()
        ),
        "certificates": sorted(
            connection.execute(text("SELECT code FROM certificates")).scalars()
        ),
    }


def test_backup_and_restore_into_an_empty_database(
    app, make_user, quiz, import_courses, course_dir, tmp_path
):
    from lms.assessment import attempts as engine

    import_courses(course_dir)
    learner = make_user(email="ani@example.org")
    engine.submit_attempt(engine.start_attempt(learner.id, quiz))
    course = db.session.scalar(select(Course).where(Course.slug == "contoh-kursus"))
    progress.enroll(learner, course)
    for lesson in db.session.scalars(
        select(Activity).where(Activity.course_id == course.id)
    ).all():
        progress.complete_activity(learner.id, lesson)
    assert db.session.scalar(select(Certificate)) is not None and db.session.scalar(
        select(QuizAttempt)
    )

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with db.engine.connect() as connection:
        before = snapshot(connection)
    assert before["users"] == ["ani@example.org"] and before["certificates"]
    dump = backup(url, tmp_path / "kelas-asn.backup")

    if make_url(url).get_backend_name() == "sqlite":
        target_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        restore(target_url, dump)
        _check(target_url, before)
        return
    name = f"kelas_restore_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    target_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        restore(target_url, dump)
        _check(target_url, before)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def _check(url: str, before: dict) -> None:
    engine = create_engine(url)
    with engine.connect() as connection:
        assert snapshot(connection) == before
        assert connection.execute(
            text("SELECT version_num FROM alembic_version")
        ).scalar()
    engine.dispose()


def test_libpq_url_drops_the_driver():
    assert (
        libpq_url("postgresql+psycopg://postgres@127.0.0.1/test")
        == "postgresql://postgres@127.0.0.1/test"
    )


def test_restore_refuses_to_overwrite(tmp_path):
    import pytest

    from lms.backup import BackupError

    existing = tmp_path / "db.sqlite3"
    existing.write_bytes(b"data")
    (tmp_path / "b").write_bytes(b"x")
    with pytest.raises(BackupError):
        restore(f"sqlite:///{existing}", tmp_path / "b")
