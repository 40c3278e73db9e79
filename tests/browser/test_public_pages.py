"""Pages anyone can reach: in English on request, usable from the keyboard, errors included."""

from __future__ import annotations

import pytest


def test_the_accessibility_check_catches_violations(pages):
    page = pages.person()
    page.set_content("<html><body><input><p>text</p></body></html>")
    with pytest.raises(AssertionError, match="label"):
        pages.check(page, "known-bad")


def test_public_pages_in_english_and_the_keyboard(pages, import_courses):
    import_courses()
    page = pages.person(locale="en-US")
    page.goto("/courses/")
    assert page.get_attribute("html", "lang") == "en"
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")  # the jump to the main content may land a moment later
    pages.check(page, "catalog-en")

    pages.follow(page, "header a[href='/login']")
    pages.follow(page, "main form button[type=submit]")  # empty: errors by the fields
    pages.check(page, "login-errors-en")

    page.goto("/courses/contoh-kursus/")
    pages.check(page, "course-anonymous-en")
    page.goto("/no/such/page/")
    assert page.locator("h1").inner_text() == "Page not found"
    pages.check(page, "not-found-en")

    pages.follow(page, "form.lang button[value=id]")
    assert page.get_attribute("html", "lang") == "id"
    assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
    pages.check(page, "not-found-id")


def test_api_documentation_page_is_accessible(pages):
    page = pages.person(locale="en-US")
    page.goto("/api/v1/docs")
    page.wait_for_selector(
        ".swagger-ui .opblock"
    )  # the operations are drawn by its script
    pages.check(page, "api-docs")
    page.locator(".opblock-summary-control").first.click()  # open one operation
    page.wait_for_selector(".opblock-body")
    pages.check(page, "api-docs-operation")
