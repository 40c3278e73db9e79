"""Friendly error pages (403, 404, 500) in Indonesian and in English."""

import pytest

from lms.extensions import db

PAGES = {
    "id": {
        403: ("Tidak diizinkan", "Anda tidak memiliki akses ke halaman ini."),
        404: ("Halaman tidak ditemukan", "Kembali ke katalog kursus"),
        500: ("Terjadi kesalahan", "Kembali ke katalog kursus"),
    },
    "en": {
        403: ("Not allowed", "You do not have access to this page."),
        404: ("Page not found", "Back to the course catalogue"),
        500: ("Something went wrong", "Back to the course catalogue"),
    },
}


def error_page(app, client, make_user, auth, code: int, locale: str):
    """Provoke the error as a person reading `locale` would; return the response."""
    headers = {"Accept-Language": locale}
    if code == 403:  # a learner opening the authoring pages
        user = make_user(email="ani@example.org")
        user.locale = locale
        db.session.commit()
        auth.login("ani@example.org")
        return client.get("/author/")
    if code == 500:
        app.config["PROPAGATE_EXCEPTIONS"] = False

        @app.get("/boom")
        def boom():
            raise RuntimeError("a bug")

        return client.get("/boom", headers=headers)
    return client.get("/no/such/page/", headers=headers)


@pytest.mark.parametrize("locale", ["id", "en"])
@pytest.mark.parametrize("code", [403, 404, 500])
def test_error_page_is_friendly_in_both_languages(
    app, client, make_user, auth, code, locale
):
    response = error_page(app, client, make_user, auth, code, locale)
    assert response.status_code == code
    page = response.get_data(as_text=True)
    title, text = PAGES[locale][code]
    assert f'<html lang="{locale}">' in page
    assert f"<h1>{title}</h1>" in page and text in page
    assert 'href="/courses/"' in page  # a way back
    assert "Traceback" not in page and "RuntimeError" not in page
