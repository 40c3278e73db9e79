"""The catalogue searches titles and summaries, a category and a JP range; one's own courses marked."""

import time

import pytest
from sqlalchemy import insert, select

from lms.extensions import db
from lms.learn import progress
from lms.models import Course

EN = {"Accept-Language": "en"}


def add_courses(rows):
    db.session.execute(
        insert(Course),
        [{"slug": slug, "title": title, "summary": summary, "category": category, "jp": jp,
          "published": True, "language": "id", "minutes": 30} for slug, title, summary, category, jp in rows],
    )  # fmt: skip
    db.session.commit()


@pytest.fixture
def courses(app):
    add_courses([
        ("etika", "Etika ASN", "Kode etik dan perilaku", "Wawasan", 2),
        ("spbe", "Dasar SPBE", "Sistem pemerintahan berbasis elektronik", "Digital", 4),
        ("arsip", "Kearsipan Digital", "Mengelola arsip elektronik", "Digital", 8),
        ("persen", "Diskon 50% untuk semua", "Judul dengan tanda persen", "Lain", 1),
    ])  # fmt: skip


def titles(client, query=""):
    page = client.get(f"/courses/?{query}", headers=EN).get_data(as_text=True)
    found = [
        t
        for t in ("Etika ASN", "Dasar SPBE", "Kearsipan Digital", "Diskon 50%")
        if t in page
    ]
    return found


def test_words_match_titles_and_summaries_all_of_them(client, courses):
    assert titles(client, "q=digital") == ["Kearsipan Digital"]
    assert titles(client, "q=ELEKTRONIK") == ["Dasar SPBE", "Kearsipan Digital"]
    assert titles(client, "q=elektronik+arsip") == ["Kearsipan Digital"]
    assert titles(client, "q=tidak-ada") == []
    # LIKE wildcards are plain text: "%" finds only the title that holds one
    assert titles(client, "q=%25") == ["Diskon 50%"]
    assert titles(client, "q=_") == []


def test_category_and_jp_range(client, courses):
    assert titles(client, "category=Digital") == ["Dasar SPBE", "Kearsipan Digital"]
    assert titles(client, "jp_min=3&jp_max=5") == ["Dasar SPBE"]
    assert titles(client, "category=Digital&jp_min=5") == ["Kearsipan Digital"]
    page = client.get("/courses/?category=Digital", headers=EN).get_data(as_text=True)
    assert '<option value="Wawasan">' in page  # every category stays on offer
    assert "2 courses found" in page


def test_the_learners_own_courses_are_marked_and_can_be_listed_alone(
    client, auth, make_user, courses
):
    user = make_user(email="ani@example.org")
    progress.enroll(
        user, db.session.scalar(select(Course).where(Course.slug == "spbe"))
    )
    auth.login("ani@example.org")
    page = client.get("/courses/", headers=EN).get_data(as_text=True)
    assert page.count("Your course") == 1
    spbe = page.index("Dasar SPBE")
    assert page.index("Your course", spbe) < page.index("Kearsipan Digital")
    assert titles(client, "mine=1") == ["Dasar SPBE"]


def test_search_queries_do_not_grow_with_hundreds_of_courses(client, count_queries):
    def measure():
        client.get("/courses/?q=pelatihan&category=Digital&jp_min=1")
        with count_queries() as statements:
            started = time.perf_counter()
            response = client.get("/courses/?q=pelatihan&category=Digital&jp_min=1")
            elapsed = time.perf_counter() - started
        assert response.status_code == 200
        return len(statements), elapsed

    add_courses([(f"k{n}", f"Pelatihan {n}", "Ringkasan", "Digital" if n % 2 else "Lain", n % 9)
                 for n in range(10)])  # fmt: skip
    few, _ = measure()
    add_courses([(f"m{n}", f"Pelatihan lanjutan {n}", "Ringkasan", "Digital" if n % 2 else "Lain",
                  n % 9) for n in range(400)])  # fmt: skip
    many, elapsed = measure()
    assert few == many == 2  # the courses, the categories
    assert elapsed < 2.0, elapsed


def test_the_unfiltered_catalogue_is_still_one_query(client, courses, count_queries):
    client.get("/courses/")
    with count_queries() as statements:
        page = client.get("/courses/").get_data(as_text=True)
    assert len(statements) == 1 and '<option value="Digital">' in page


def test_too_many_or_too_long_words_are_cut_and_the_page_says_so(client, courses):
    page = client.get("/courses/?q=" + "+".join(["arsip"] * 9), headers=EN)
    text = page.get_data(as_text=True)
    assert "Kearsipan Digital" in text
    assert "Only the first 8 words are searched, each up to 60 characters." in text
    page = client.get("/courses/?q=" + "a" * 61).get_data(as_text=True)
    assert (
        "Hanya 8 kata pertama yang dicari, masing-masing paling panjang 60 karakter."
        in page
    )
    plain = client.get("/courses/?q=arsip", headers=EN).get_data(as_text=True)
    assert "Only the first" not in plain


def test_on_postgresql_the_word_search_uses_the_trigram_index(app):
    """With thousands of courses, PostgreSQL answers a word from the trigram index, not a scan."""

    from lms.learn.search import CatalogSearch, catalog_query, search_catalog

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    add_courses([(f"c{n}", f"Pelatihan {n}", f"Kursus nomor {n} tentang pelayanan publik, etika dan tata kelola pemerintahan daerah", "Lain", n % 9)
                 for n in range(4000)] + [("arsip", "Kearsipan Digital", "Arsip", "Digital", 8)])  # fmt: skip
    # what autovacuum does after a bulk insert: the index's pending entries moved into it, rows counted
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE courses")
    search = CatalogSearch(words=("kearsipan",))
    sql = (
        catalog_query(search)
        .params(user_id=None)
        .compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    )
    plan = db.session.connection().exec_driver_sql(f"EXPLAIN {sql}")
    plan = "\n".join(row[0] for row in plan)
    assert "ix_courses_words" in plan, plan
    assert "Seq Scan on courses" not in plan, plan
    assert [e.course.slug for e in search_catalog(None, search)] == ["arsip"]
