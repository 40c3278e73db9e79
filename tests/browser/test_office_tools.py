"""The office's tools in a browser: the admin area, JP approvals, certificate settings and
verification (down to a 320 px phone), the searchable catalogue and the folding phone menu."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.files import sniff, store
from lms.learn import progress
from lms.ledger.records import add_external
from lms.models import Activity, Certificate, Course, WorkUnit
from lms.seed import seed_work_units

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NARROWEST = {"width": 320, "height": 640}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def office(import_courses, make_user):
    """Courses, an admin, a learner with a certificate and pending training, and her unit's approver."""
    seed_work_units()
    import_courses()
    unit = db.session.scalar(select(WorkUnit).order_by(WorkUnit.id))
    make_user(role="admin", email="admin@example.org")
    learner = make_user(
        email="peserta@example.org", name="Ani Suryani", nip="199001012015032001"
    )
    approver = make_user(
        email="penyetuju@example.org", roles=("learner", "jp_approver")
    )
    learner.work_unit_id = approver.work_unit_id = unit.id
    db.session.commit()
    proof = store(PDF, "jp", sniff(PDF))
    add_external(learner.id, kind="bimtek", title="Bimtek SAKIP", provider="BPSDM Kepri",
                 starts_on=date.today(), ends_on=date.today(), hours=Decimal("4.5"),
                 proof_path=proof)  # fmt: skip
    course = db.session.scalar(select(Course).where(Course.slug == "contoh-kursus"))
    progress.enroll(learner, course)
    for activity in db.session.scalars(
        select(Activity).where(Activity.course_id == course.id)
    ).all():
        progress.complete_activity(learner.id, activity)
    db.session.commit()
    return db.session.scalar(select(Certificate))


def test_admin_area_pages(pages, office):
    page = pages.person()
    pages.sign_in(page, "admin@example.org")
    pages.follow(page, "header a[href='/admin/']")
    pages.check(page, "admin-hub")
    for path, name in (("/admin/users?q=peserta", "admin-accounts-roles"),
                       ("/admin/units/", "admin-work-units"),
                       ("/admin/outboxes/", "admin-outboxes"),
                       ("/admin/audit?actor=admin", "admin-audit-filtered"),
                       ("/admin/certificates/", "admin-certificate-settings")):  # fmt: skip
        page.goto(path)
        pages.check(page, name)
    page.fill("#issuer", "BKPSDM Kota Tanjungpinang")
    page.fill("#signatory_name", "Drs. Budi Santoso, M.Si")
    page.fill("#signatory_title", "Kepala BKPSDM")
    pages.follow(page, "main form button[type=submit]")
    assert page.locator(".flash-success").count() == 1


def test_jp_approval_journey(pages, office):
    learner = pages.person()
    pages.sign_in(learner, "peserta@example.org")
    learner.goto("/my/jp")
    assert learner.locator(".jp-status").first.inner_text() == "Menunggu persetujuan"
    pages.check(learner, "jp-pending")

    approver = pages.person()
    pages.sign_in(approver, "penyetuju@example.org")
    pages.follow(approver, "header a[href='/jp/approvals']")
    pages.check(approver, "jp-approvals")
    approver.click("main details summary")
    approver.fill("textarea[name=reason]", "Sertifikat tidak terbaca")
    pages.follow(approver, "main details form button[type=submit]")
    pages.check(approver, "jp-approvals-done")

    learner.reload()
    assert (
        "Sertifikat tidak terbaca" in learner.locator(".jp-status").first.inner_text()
    )


def test_certificate_and_verification_fit_a_320_px_phone(pages, office):
    page = pages.person()
    pages.sign_in(page, "peserta@example.org")
    page.goto(f"/certificates/{office.code}")
    pages.check(page, "certificate-page")
    anonymous = pages.person()
    anonymous.goto("/verify/")
    pages.check(anonymous, "verify-form")
    anonymous.fill("#code", office.code.lower())
    pages.follow(anonymous, "main form button[type=submit]")
    assert "•" * 15 + "001" in anonymous.locator("dd.nip").inner_text()
    pages.check(anonymous, "verify-genuine")
    anonymous.set_viewport_size(NARROWEST)
    assert anonymous.evaluate("document.documentElement.scrollWidth") <= 320
    anonymous.screenshot(path="screenshots/verify-genuine-320.png", full_page=True)


def test_catalogue_search_and_the_phone_menu(pages, office):
    page = pages.person()
    pages.sign_in(page, "peserta@example.org")
    page.goto("/courses/?q=contoh")
    assert page.locator(".course-card").count() >= 1
    assert page.locator(".course-card .mine").count() == 1
    pages.check(page, "catalog-search")
    page.goto("/courses/?q=tidak-ada-kursus")
    pages.check(page, "catalog-search-empty")
    page.goto("/courses/?q=" + "+".join(["contoh"] * 9))  # one word too many
    assert page.get_by_text("Hanya 8 kata pertama yang dicari").is_visible()
    assert page.locator(".course-card").count() >= 1
    pages.check(page, "catalog-search-cut")

    phone = pages.person()
    phone.set_viewport_size(PHONE)
    pages.sign_in(phone, "peserta@example.org")
    menu = phone.locator("details.nav-menu")
    assert menu.evaluate("d => d.open") is False
    header = phone.locator("header.site-header").bounding_box()
    assert header["height"] < 120, header
    phone.click("details.nav-menu > summary")
    assert phone.locator("header a[href='/my/']").is_visible()
    pages.check(phone, "phone-menu-open")


def test_my_courses_fit_a_320_px_phone(pages, office):
    page = pages.person()
    pages.sign_in(page, "peserta@example.org")
    page.goto("/my/")
    page.set_viewport_size(NARROWEST)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # the table scrolls inside itself: its last column ("Lanjutkan", "Selesai") must still show
    right = page.evaluate("document.querySelector('.table tbody td:last-child')"
                          ".getBoundingClientRect().right")  # fmt: skip
    assert right <= 320, right
    page.screenshot(path="screenshots/my-courses-320.png", full_page=True)
