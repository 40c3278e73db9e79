"""The cohort page's shared figures: counted once, shown a short while, dropped when the cohort changes."""

import csv
import io
import re
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms import cohorts
from lms.cohorts.members import add_member, add_staff
from lms.extensions import cache, db
from lms.learn import progress
from lms.models import Activity, Cohort, Module, User
from tests.cohort_world import add_cohort


@pytest.fixture(autouse=True)
def shared_for_a_minute(app):
    """Share the figures for a minute, whatever the environment says."""
    app.config["LMS_REPORT_CACHE_SECONDS"] = 60


@pytest.fixture
def recounts(monkeypatch):
    """Count the cohort reports computed (the page's recounts)."""
    calls = []
    real = cohorts.figures.cohort_reports

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(cohorts.figures, "cohort_reports", counting)
    return calls


def join(make_user, cohort, name="Anwar"):
    user = make_user(name=name)
    add_member(cohort, user)
    return user


def complete(user, key="pengantar/selamat-datang"):
    activity = db.session.scalar(select(Activity).where(Activity.key == key))
    progress.complete_activity(user.id, activity)


def page(client, cohort, query="", language="en"):
    response = client.get(
        f"/cohorts/{cohort.id}/{query}", headers={"Accept-Language": language}
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_second_view_within_the_time_shows_the_same_figures_without_a_recount(
    client, auth, make_user, organiser, cohort, recounts
):
    anwar = join(make_user, cohort)
    auth.login("pengajar@example.org")
    assert "<td>0%</td>" in page(client, cohort)
    complete(anwar)  # progress does not drop the figures: they may be a short while old
    assert "<td>0%</td>" in page(client, cohort)
    assert len(recounts) == 1


def test_a_cached_view_runs_fewer_queries_and_as_many_for_any_size(
    client, auth, make_user, organiser, cohort, count_queries
):
    join(make_user, cohort)
    auth.login("pengajar@example.org")
    page(client, cohort)
    with count_queries() as cached:
        page(client, cohort)
    with count_queries() as recount:
        page(client, cohort, "?refresh=1")
    for n in range(10):
        join(make_user, cohort, f"Anggota {n}")
    page(client, cohort)
    with count_queries() as cached_big:
        page(client, cohort)
    assert len(cached) == len(cached_big) < len(recount)


def test_a_supervisors_cached_view_is_two_statements(
    client, auth, make_user, cohort, count_queries
):
    """The session's state, and the cohort with its course and the viewer's roles on its staff
    (the process keeps the user)."""
    join(make_user, cohort)
    supervisor = make_user(email="pengawas@example.org")
    add_staff(cohort, supervisor, "supervisor")
    add_staff(cohort, supervisor, "coach")
    auth.login("pengawas@example.org")
    page(client, cohort)
    # the test's own copy, so that reading its id asks nothing
    db.session.refresh(cohort)
    with count_queries() as cached:
        shown = page(client, cohort)
    assert len(cached) == 2, [s[:70] for s in cached]
    assert "user_sessions" in cached[0]
    # both roles came with the cohort: a supervisor may send reminders
    assert "Anwar" in shown and "Remind members who are behind" in shown
    # a supervisor and coach of this cohort only: another cohort is not theirs
    other = add_cohort(cohort.course_id, "Angkatan lain")
    assert client.get(f"/cohorts/{other.id}/").status_code == 403


def test_the_page_says_when_its_figures_were_counted_and_offers_a_refresh(
    client, auth, make_user, organiser, cohort
):
    join(make_user, cohort)
    auth.login("pengajar@example.org")
    english, indonesian = page(client, cohort), page(client, cohort, language="id")
    assert "Figures as of " in english and ">Refresh</a>" in english
    assert "Angka per pukul " in indonesian and ">Perbarui</a>" in indonesian
    assert f'href="/cohorts/{cohort.id}/?refresh=1"' in english
    # the rows follow the reader's language even when the figures are shared
    assert "In progress" in english or "Not started" in english
    assert "Belum mulai" in indonesian


def test_refresh_counts_again_and_shares_the_new_figures(
    client, auth, make_user, organiser, cohort, recounts
):
    anwar = join(make_user, cohort)
    auth.login("pengajar@example.org")
    page(client, cohort, "?sort=name")
    complete(anwar)
    refreshed = page(client, cohort, "?sort=name&refresh=1")
    assert "<td>33%</td>" in refreshed
    # only the Refresh link asks for a recount, not the page's other links
    links = re.findall(r'href="([^"]*)"', refreshed)
    assert [link for link in links if "refresh" in link] == [
        f"/cohorts/{cohort.id}/?refresh=1&amp;sort=name"
    ]
    assert "export/members.csv?sort=name" in refreshed
    assert "<td>33%</td>" in page(client, cohort)
    assert len(recounts) == 2


def test_no_time_means_every_view_counts(
    client, auth, app, make_user, organiser, cohort, recounts
):
    app.config["LMS_REPORT_CACHE_SECONDS"] = 0
    anwar = join(make_user, cohort)
    auth.login("pengajar@example.org")
    assert "<td>0%</td>" in page(client, cohort)
    complete(anwar)
    assert "<td>33%</td>" in page(client, cohort)
    assert len(recounts) == 2


def test_exports_count_afresh_while_the_page_is_shared(
    client, auth, make_user, organiser, cohort
):
    anwar = join(make_user, cohort)
    auth.login("pengajar@example.org")
    page(client, cohort)
    complete(anwar)
    assert "<td>0%</td>" in page(client, cohort)
    body = client.get(f"/cohorts/{cohort.id}/export/members.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[1][0] == "Anwar" and rows[1][3] == "33"
    api = client.get(f"/cohorts/{cohort.id}/matrix").get_data(as_text=True)
    assert "Anwar" in api


def test_membership_changes_drop_the_figures_at_once(
    client, auth, make_user, organiser, cohort, course
):
    anwar = join(make_user, cohort)
    other = add_cohort(course.id, "Angkatan Lain")
    auth.login("pengajar@example.org")
    page(client, other)
    assert "Anwar" in page(client, cohort)
    # added through the page
    make_user(email="budi@example.org", name="Budi")
    client.post(f"/cohorts/{cohort.id}/members", data={"person": "budi@example.org"})
    assert "Budi" in page(client, cohort)
    # moved to the other cohort: both cohorts' figures change
    moved = client.post(
        f"/cohorts/{cohort.id}/members/bulk",
        data={"member": [anwar.id], "action": "move", "target": other.id},
    )
    assert moved.status_code == 302
    assert "Anwar" not in page(client, cohort) and "Anwar" in page(client, other)
    # removed
    budi = db.session.scalar(select(User).where(User.email == "budi@example.org"))
    client.post(
        f"/cohorts/{cohort.id}/members/bulk",
        data={"member": [budi.id], "action": "remove"},
    )
    assert "Budi" not in page(client, cohort)


def test_due_dates_and_staff_changes_drop_the_figures(
    client, auth, make_user, organiser, cohort
):
    anwar = join(make_user, cohort)
    complete(anwar)
    auth.login("pengajar@example.org")
    assert "status-in_progress" in page(client, cohort)
    module = db.session.scalar(select(Module).where(Module.key == "pengantar"))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    client.post(f"/cohorts/{cohort.id}/dues", data={f"due-{module.id}": yesterday})
    assert "status-overdue" in page(client, cohort)
    sup = make_user(email="sup@example.org", name="Pengawas Baru", role="supervisor")
    page(client, cohort)
    add_staff(cohort, sup, "supervisor")
    assert "Pengawas Baru" in page(client, cohort)


def test_a_supervisor_of_another_cohort_is_refused_while_the_figures_are_shared(
    client, auth, make_user, organiser, cohort, course
):
    join(make_user, cohort)
    other = add_cohort(course.id, "Angkatan Lain")
    sup = make_user(email="sup@example.org", role="supervisor")
    add_staff(other, sup, "supervisor")
    auth.login("pengajar@example.org")
    page(client, cohort)  # the figures are now shared
    auth.logout()
    auth.login("sup@example.org")
    assert client.get(f"/cohorts/{cohort.id}/").status_code == 403
    assert client.get(f"/cohorts/{cohort.id}/?refresh=1").status_code == 403
    assert client.get("/cohorts/9999/").status_code == 404
    assert client.get(f"/cohorts/{other.id}/").status_code == 200


def test_a_change_seen_by_one_process_retires_the_figures_in_every_other(
    app, database_url, make_user, cohort, tmp_path
):
    """Without Redis each worker keeps its own figures; the version in the database retires them all."""
    from lms import create_app

    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
              "SECRET_KEY": "test-secret-key-not-for-production", "LMS_REPORT_CACHE_SECONDS": 60,
              "LMS_UPLOADS_DIR": str(tmp_path)}  # fmt: skip
    workers = [create_app(config), create_app(config)]
    join(make_user, cohort, "Anwar")
    make_user(email="boss@example.org", role="admin")
    clients = [worker.test_client() for worker in workers]
    for client in clients:
        client.post("/login", data={"login": "boss@example.org", "password": "kata-sandi-yang-panjang"})  # fmt: skip
        assert "Anwar" in client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    # the first worker takes a new member in (through the page, as an admin would)
    make_user(email="budi@example.org", name="Budi")
    clients[0].post(
        f"/cohorts/{cohort.id}/members", data={"person": "budi@example.org"}
    )
    for client in clients:
        assert "Budi" in client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    for worker in workers:
        with worker.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_recount_overtaken_by_a_change_is_not_shown_after_it(
    client, auth, make_user, organiser, cohort, monkeypatch
):
    """Figures counted from before a change, but stored after it, are never read."""
    join(make_user, cohort, "Anwar")
    auth.login("pengajar@example.org")
    real = cohorts.figures.compute_figures
    budi = make_user(name="Budi")

    def overtaken(cohort_, today):
        figures = real(cohort_, today)  # counted without Budi...
        monkeypatch.setattr(cohorts.figures, "compute_figures", real)
        add_member(db.session.get(Cohort, cohort_.id), budi)  # ...who joins meanwhile
        return figures

    monkeypatch.setattr(cohorts.figures, "compute_figures", overtaken)
    assert "Budi" not in page(client, cohort)
    assert "Budi" in page(client, cohort)


def test_each_app_has_its_own_in_process_cache(app, make_user, organiser, cohort):
    from lms import create_app

    cache.set("probe", 1)
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    with other.app_context():
        assert cache.get("probe") is None
    assert cache.get("probe") == 1


def test_figures_shared_through_redis_are_read_and_dropped_by_every_process(
    database_url, redis_url, make_user, cohort
):
    """With LMS_CACHE_URL, another process (another app here) reads the figures one counted."""
    from lms import create_app
    from lms.config import cache_config

    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
              "SECRET_KEY": "test-secret-key-not-for-production", "LMS_REPORT_CACHE_SECONDS": 60,
              **cache_config(redis_url), "CACHE_KEY_PREFIX": f"kelas-asn-test-{uuid.uuid4().hex}:"}  # fmt: skip
    first, second = create_app(config), create_app(config)
    anwar = join(make_user, cohort)
    make_user(email="boss@example.org", role="admin")
    pages = []
    for instance in (first, second):
        client = instance.test_client()
        client.post(
            "/login",
            data={"login": "boss@example.org", "password": "kata-sandi-yang-panjang"},
        )
        pages.append(client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True))
        complete(
            anwar
        )  # after the first view: the second still shows the shared figures
    assert (
        "Anwar" in pages[0] and "<td>0%</td>" in pages[0] and "<td>0%</td>" in pages[1]
    )
    with first.app_context():
        add_member(cohort, db.session.get(User, make_user(name="Budi").id))
    budi_seen = second.test_client()
    budi_seen.post("/login", data={"login": "boss@example.org", "password": "kata-sandi-yang-panjang"})  # fmt: skip
    assert "Budi" in budi_seen.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    with second.app_context():
        cache.clear()
    for instance in (
        first,
        second,
    ):  # close their pools' connections now, not when collected
        with instance.app_context():
            db.session.remove()
            db.engine.dispose()


def test_each_filter_and_order_sorts_the_shared_figures(
    client, auth, make_user, organiser, cohort
):

    anwar, budi = join(make_user, cohort, "Anwar"), join(make_user, cohort, "Budi")
    for key in (
        "pengantar/selamat-datang",
        "pengantar/cara-belajar",
        "praktik/latihan",
    ):
        complete(budi, key)
    add_staff(
        cohort, anwar, "coach"
    )  # (a recount: Budi's completion is in the figures)
    auth.login("pengajar@example.org")

    def names(query):
        html = page(client, cohort, query)
        return re.findall(
            r"<th scope=\"row\" class=\"sticky\"><a [^>]*>(Anwar|Budi)</a></th>", html
        )

    assert names("?sort=name") == ["Anwar", "Budi"]
    assert names("?sort=name&order=desc") == ["Budi", "Anwar"]
    assert names("?status=completed") == ["Budi"]
    assert names("?sort=name") == ["Anwar", "Budi"]
    for unit in range(900, 903):  # choices the page does not offer are answered
        assert names(f"?unit={unit}&sort=whatever") == []
