"""A thread list and a thread page run a fixed number of queries, and paginate."""

from lms.discussions import reading, writing
from lms.extensions import db
from tests.discussion_world import QUESTIONS, ask


def queries_for(client, count_queries, url):
    client.get(url)  # the first visit records the reads
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_thread_list_and_page_queries_do_not_grow_with_posts(
    world, sign_in, count_queries
):
    thread = ask(world, world.ani)
    writing.reply(world.budi, thread, "Jawaban pertama")
    db.session.commit()
    client = sign_in("ani")
    url = f"/discussions/{thread.id}/"
    few_list = queries_for(client, count_queries, QUESTIONS)
    few_page = queries_for(client, count_queries, url)
    for n in range(reading.THREADS_PER_PAGE + 5):
        other = ask(world, world.budi, title=f"Pertanyaan {n}")
        writing.reply(world.ani, other, "Ya")
    for n in range(reading.POSTS_PER_PAGE + 5):
        writing.reply(
            world.budi if n % 2 else world.guru, thread, f"Balasan {n} @Ani_Wijaya"
        )
    db.session.commit()
    assert queries_for(client, count_queries, QUESTIONS) == few_list
    assert queries_for(client, count_queries, url) == few_page
    # the user with their session; the course, lesson and enrollment; the cohort roles; the count;
    # the page of threads with their authors and the reader's reads
    assert few_list <= 5, few_list
    # the user; the thread with its course, cohort and lesson; the enrollment; the cohort roles;
    # the page of posts with their authors; the reads recorded; whether the reader follows
    assert few_page <= 7, few_page
    # instructors and coaches (whose permissions are asked per post) too
    client = sign_in("guru")
    guru = queries_for(client, count_queries, url)
    writing.reply(world.budi, thread, "Satu lagi")
    db.session.commit()
    assert queries_for(client, count_queries, url) == guru


def test_lists_and_threads_paginate(world, sign_in):
    thread = ask(world, world.ani, title="Utas panjang")
    for n in range(reading.POSTS_PER_PAGE + 2):
        writing.reply(world.budi, thread, f"Balasan nomor {n + 2}")
    for n in range(reading.THREADS_PER_PAGE):
        ask(world, world.budi, title=f"Pertanyaan lain {n:02d}")
    db.session.commit()
    client = sign_in("ani")
    first, second = (
        client.get(f"/discussions/{thread.id}/?page={p}").text for p in (1, 2)
    )
    last = reading.POSTS_PER_PAGE
    assert (
        f"Balasan nomor {last}</p>" in first
        and f"Balasan nomor {last + 1}</p>" not in first
    )
    assert (
        f"Balasan nomor {last + 1}</p>" in second
        and "Balasan nomor 2</p>" not in second
    )
    pages = [client.get(QUESTIONS + f"?page={p}").text for p in (1, 2)]
    assert "Utas panjang" not in pages[0] and "Utas panjang" in pages[1]
    assert "Pertanyaan lain 19" in pages[0]
