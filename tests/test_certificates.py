"""Certificates: issued once per completion, printable, as PDF, verifiable by anyone, revocable by admins."""

import re
import zlib

import pytest
from sqlalchemy import func, select

from lms.certificates.issue import CODE_ALPHABET, CODE_LENGTH
from lms.extensions import db
from lms.models import Certificate, Course, CourseStaff

LESSONS = ("pengantar/selamat-datang", "pengantar/cara-belajar", "praktik/latihan")
NIP = "199001012015031001"


@pytest.fixture
def course(import_courses, course_dir):
    import_courses(course_dir)
    return db.session.scalar(select(Course))


@pytest.fixture
def learner(make_user, auth, course):
    user = make_user(email="ani@example.org", name="Ani Suryani", nip=NIP)
    auth.login("ani@example.org")
    return user


def complete_course(client, twice=False):
    client.post("/courses/contoh-kursus/enroll")
    for key in LESSONS:
        client.post(f"/courses/contoh-kursus/{key}/complete")
        if twice:
            client.post(f"/courses/contoh-kursus/{key}/complete")


@pytest.fixture
def certificate(client, learner):
    complete_course(client)
    return db.session.scalar(select(Certificate))


def count_certificates() -> int:
    return db.session.scalar(select(func.count(Certificate.id)))


def test_completing_a_course_issues_one_certificate(client, learner, course):
    complete_course(client, twice=True)
    client.post("/courses/contoh-kursus/enroll")
    certificate = db.session.scalar(select(Certificate))
    assert count_certificates() == 1
    assert certificate.user_id == learner.id and certificate.course_id == course.id
    assert certificate.learner_name == "Ani Suryani" and certificate.nip == NIP
    assert certificate.course_title == "Contoh Kursus" and certificate.jp == 1
    assert len(certificate.code) == CODE_LENGTH
    assert set(certificate.code) <= set(CODE_ALPHABET)


def test_no_certificate_before_the_course_is_complete(client, learner):
    client.post("/courses/contoh-kursus/enroll")
    client.post(f"/courses/contoh-kursus/{LESSONS[0]}/complete")
    assert count_certificates() == 0


def test_reimport_and_recount_keep_one_certificate(
    client, certificate, import_courses, course_dir
):
    from lms.learn.progress import on_course_completed, refresh_course_enrollments
    from lms.models.types import utcnow

    import_courses(course_dir)
    refresh_course_enrollments("contoh-kursus")
    on_course_completed(certificate.user_id, certificate.course_id, utcnow())
    db.session.commit()
    assert count_certificates() == 1
    assert db.session.scalar(select(Certificate.code)) == certificate.code


def test_codes_differ_between_learners(client, auth, make_user, certificate):
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    complete_course(client)
    codes = db.session.scalars(select(Certificate.code)).all()
    assert len(codes) == 2 and codes[0] != codes[1]


def test_learner_lists_and_opens_their_certificates(client, certificate):
    page = client.get("/my/certificates").get_data(as_text=True)
    assert "Contoh Kursus" in page and f"/certificates/{certificate.code}" in page
    my_courses = client.get("/my/").get_data(as_text=True)
    assert 'href="/my/jp"' in my_courses and 'href="/my/certificates"' in my_courses
    course_page = client.get("/courses/contoh-kursus/").get_data(as_text=True)
    assert "/courses/contoh-kursus/certificate" in course_page
    response = client.get("/courses/contoh-kursus/certificate")
    assert response.location == f"/certificates/{certificate.code}"
    page = client.get(response.location).get_data(as_text=True)
    assert "Ani Suryani" in page and NIP in page and certificate.code in page
    assert "<svg" in page and f"http://localhost/verify/{certificate.code}" in page


def test_certificate_page_qr_encodes_the_verify_url(
    app, client, certificate, monkeypatch
):
    import segno

    encoded = []
    real_make = segno.make

    def spy(content, *args, **kwargs):
        encoded.append(content)
        return real_make(content, *args, **kwargs)

    monkeypatch.setattr(segno, "make", spy)
    app.config["LMS_BASE_URL"] = "https://kelas.example.go.id/"
    page = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    url = f"https://kelas.example.go.id/verify/{certificate.code}"
    assert encoded == [url] and url in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page


def test_pdf_is_a_pdf_with_the_code_and_a_qr_image(client, app, certificate):
    response = client.get(f"/certificates/{certificate.code}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    body = response.data
    assert body.startswith(b"%PDF")
    text = b"".join(
        _inflate(stream)
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.DOTALL)
    )
    assert certificate.code.encode() in text and b"Ani Suryani" in text
    assert b"/Subtype /Image" in body


def _inflate(data: bytes) -> bytes:
    """Return what a PDF stream inflates to (b"" if it is not deflated).

    Tolerant of a missing last byte: when the compressed data ends in a carriage return, the
    pattern above takes it for the line end before `endstream` (one certificate code in ~256).
    """
    try:
        return zlib.decompressobj().decompress(data)
    except zlib.error:
        return b""


def test_pdf_degrades_characters_outside_latin1(client, certificate):
    certificate.learner_name = "Nguyễn Thị Ánh “Ani” 王"
    db.session.commit()
    response = client.get(f"/certificates/{certificate.code}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_latin1_keeps_what_it_can():
    from lms.certificates.pdf import latin1

    assert latin1("Nguyễn “Ani” — Ç 王") == 'Nguyen "Ani" - Ç ?'


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("other", 403), ("anonymous", 302), ("admin", 200)],
)
def test_certificate_pages_permission_matrix(
    client, auth, make_user, certificate, who, status
):
    make_user(email="budi@example.org")
    make_user(email="admin@example.org", role="admin")
    auth.logout()
    if who == "other":
        auth.login("budi@example.org")
    elif who == "admin":
        auth.login("admin@example.org")
    elif who == "owner":
        auth.login("ani@example.org")
    for url in (
        f"/certificates/{certificate.code}",
        f"/certificates/{certificate.code}.pdf",
    ):
        assert client.get(url).status_code == status


def test_course_staff_may_view_but_other_instructors_may_not(
    client, auth, make_user, certificate, course
):
    staff = make_user(email="guru@example.org", role="instructor")
    make_user(email="lain@example.org", role="instructor")
    db.session.add(CourseStaff(user_id=staff.id, course_id=course.id))
    db.session.commit()
    auth.login("guru@example.org")
    assert client.get(f"/certificates/{certificate.code}").status_code == 200
    auth.login("lain@example.org")
    assert client.get(f"/certificates/{certificate.code}").status_code == 403


def test_my_certificates_shows_only_ones_own(client, auth, make_user, certificate):
    make_user(email="budi@example.org")
    auth.login("budi@example.org")
    page = client.get("/my/certificates").get_data(as_text=True)
    assert certificate.code not in page
    assert client.get("/courses/contoh-kursus/certificate").status_code == 404


def test_verify_shows_a_genuine_certificate_without_login(client, auth, certificate):
    auth.logout()
    response = client.get(
        f"/verify/{certificate.code}", headers={"Accept-Language": "en"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "genuine certificate" in page and "Valid" in page
    for shown in (
        "Ani Suryani",
        "•" * 15 + NIP[-3:],
        "Contoh Kursus",
        certificate.code,
    ):
        assert shown in page
    assert NIP not in page and NIP[:8] not in page  # the birth date stays hidden
    assert response.headers["X-Robots-Tag"] == "noindex"


def test_verify_accepts_the_code_typed_loosely(client, certificate):
    code = certificate.code
    loose = f"{code[:5]}-{code[5:10]}-{code[10:]}".lower()
    assert client.get(f"/verify/{loose}").status_code == 200


def test_verify_shows_nothing_private(client, auth, certificate):
    auth.logout()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "ani@example.org" not in page
    assert "/my/" not in page and "Selamat Datang" not in page


def test_unknown_code_is_a_404_saying_not_genuine(client):
    response = client.get(
        "/verify/AAAAABBBBBCCCCCDDDDD", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 404
    assert "not a genuine certificate" in response.get_data(as_text=True)
    assert client.get("/certificates/AAAAABBBBBCCCCCDDDDD").status_code == 404


def test_admin_revokes_with_a_reason_and_verify_shows_it(
    client, auth, make_user, certificate
):
    admin = make_user(email="admin@example.org", role="admin")
    url = f"/certificates/{certificate.code}/revoke"
    assert client.post(url, data={"reason": "Saya sendiri"}).status_code == 403
    auth.login("admin@example.org")
    assert "Revoke this certificate" in client.get(
        f"/certificates/{certificate.code}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    client.post(url, data={"reason": ""})
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    client.post(url, data={"reason": "Issued by mistake"})
    client.post(url, data={"reason": "Twice"})
    revoked = db.session.get(Certificate, certificate.id)
    assert revoked.revoked_at is not None and revoked.revoked_by_id == admin.id
    assert revoked.revoke_reason == "Issued by mistake"
    auth.logout()
    response = client.get(
        f"/verify/{certificate.code}", headers={"Accept-Language": "en"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "revoked" in page
    assert "genuine certificate issued" not in page
    assert "Issued by mistake" not in page


def test_revoke_is_a_post_for_signed_in_admins_only(client, auth, certificate):
    url = f"/certificates/{certificate.code}/revoke"
    assert client.get(url).status_code == 405
    auth.logout()
    assert client.post(url, data={"reason": "x"}).status_code == 302
    assert db.session.get(Certificate, certificate.id).revoked_at is None
