"""The site header: each role sees the areas it may open, and links follow the mount point."""

import re

import pytest

from lms.auth.accounts import get_roles
from lms.extensions import db


def header_links(html: str) -> dict[str, str]:
    """Return the header's links as {label: href}."""
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    return {
        label.strip(): href
        for href, label in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', header)
    }


def test_anonymous_visitors_are_offered_sign_in_and_registration(client):
    links = header_links(client.get("/courses/").get_data(as_text=True))
    assert links["Masuk"] == "/login"
    assert links["Daftar"] == "/register"
    assert "Kursus saya" not in links


@pytest.mark.parametrize(
    ("roles", "authoring", "cohorts"),
    [
        (("learner",), False, False),
        (("supervisor",), False, True),
        (("instructor",), True, True),
        (("admin",), True, True),
    ],
)
def test_each_role_sees_the_areas_it_may_open(
    client, auth, make_user, roles, authoring, cohorts
):
    user = make_user(roles=roles)
    auth.login(user.email)
    html = client.get("/courses/").get_data(as_text=True)
    links = header_links(html)
    assert links["Kursus saya"] == "/my/"
    assert ("Penyusunan kursus" in links) is authoring
    assert ("Angkatan" in links) is cohorts
    assert user.name in html
    assert "Masuk" not in links


def test_a_new_role_shows_on_the_next_page(client, auth, make_user):
    user = make_user()
    auth.login(user.email)
    assert "Angkatan" not in header_links(
        client.get("/courses/").get_data(as_text=True)
    )
    user.roles.extend(get_roles(["supervisor"]))
    db.session.commit()
    assert header_links(client.get("/courses/").get_data(as_text=True))["Angkatan"] == (
        "/cohorts/"
    )


def test_links_follow_the_mount_point(client):
    """Links are built once per mount point: a second mount gets its own, not the first one's."""
    assert (
        header_links(client.get("/courses/").get_data(as_text=True))["Masuk"]
        == "/login"
    )
    html = client.get("/courses/", base_url="http://localhost/kelas/").get_data(
        as_text=True
    )
    assert header_links(html)["Masuk"] == "/kelas/login"
    assert (
        header_links(client.get("/courses/").get_data(as_text=True))["Masuk"]
        == "/login"
    )


def test_the_menu_folds_on_phones_and_api_tokens_sit_under_the_account(
    client, auth, make_user
):
    user = make_user()
    auth.login(user.email)
    html = client.get("/courses/").get_data(as_text=True)
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert '<details class="nav-menu" data-nav-menu>' in header
    assert "<summary>Menu</summary>" in header
    assert re.search(
        r'<script src="/static/nav-[0-9a-f]{32}\.js" defer></script>', html
    )
    assert "/account/tokens/" not in header_links(html).values()
    account = client.get("/account/").get_data(as_text=True)
    assert 'href="/account/tokens/"' in account


def test_an_empty_list_draws_no_table(client, auth, make_user):
    user = make_user()
    auth.login(user.email)
    page = client.get("/my/").get_data(as_text=True)
    assert "Anda belum terdaftar di kursus mana pun." in page
    assert "<table" not in page
