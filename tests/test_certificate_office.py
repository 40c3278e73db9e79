"""Certificates an office would sign: its office, signatory and logo, a fixed language, a
clickable verification link, a verification form and a masked NIP."""

import io

from sqlalchemy import select

from lms.certificates.qr import qr_png
from lms.extensions import db
from lms.models import AuditEvent, Certificate
from tests.test_certificates import NIP, _inflate, complete_course, course, learner  # noqa: F401  # noqa: F401

PNG = qr_png("logo")  # a real PNG image
OFFICE = {
    "issuer": "BKPSDM Kota Tanjungpinang",
    "signatory_name": "Drs. Budi Santoso, M.Si",
    "signatory_title": "Kepala BKPSDM",
    "signatory_nip": "197001011995031002",
}


def set_office(client, **changes):
    data = {**OFFICE, **changes, "logo": (io.BytesIO(PNG), "logo.png")}
    return client.post(
        "/admin/certificates/", data=data, content_type="multipart/form-data"
    )


def pdf_text(body: bytes) -> bytes:
    import re

    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.DOTALL)
    return b"".join(_inflate(s) for s in streams)


def test_an_admin_sets_the_office_and_new_certificates_carry_it(
    client,
    auth,
    make_user,
    learner,  # noqa: F811
):
    make_user(email="admin@example.org", role="admin")
    auth.login("admin@example.org")
    assert set_office(client).status_code == 302
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "certificate.settings")
    )
    assert event.details["issuer"] == OFFICE["issuer"]
    auth.login("ani@example.org")
    complete_course(client)
    certificate = db.session.scalar(select(Certificate))
    assert (certificate.issuer, certificate.signatory_name) == (
        OFFICE["issuer"],
        OFFICE["signatory_name"],
    )
    page = client.get(f"/certificates/{certificate.code}").get_data(as_text=True)
    for shown in OFFICE.values():
        assert shown in page
    logo = certificate.logo_path.split("/")[-1]
    assert f'src="/certificate-logos/{logo}"' in page
    with client.get(f"/certificate-logos/{logo}") as response:
        assert response.status_code == 200 and response.data == PNG
    body = client.get(f"/certificates/{certificate.code}.pdf").data
    text = pdf_text(body)
    assert b"Kepala BKPSDM" in text and b"Drs. Budi Santoso" in text
    assert f"/verify/{certificate.code}".encode() in body  # a link annotation (/URI)
    assert b"/URI" in body

    # a later change of signatory does not touch certificates already issued
    auth.login("admin@example.org")
    set_office(client, signatory_name="Orang Lain")
    db.session.refresh(certificate)
    assert certificate.signatory_name == OFFICE["signatory_name"]


def test_a_bad_logo_is_refused(client, auth, make_user):
    make_user(email="admin@example.org", role="admin")
    auth.login("admin@example.org")
    data = {**OFFICE, "logo": (io.BytesIO(b"MZ\x90\x00" * 10), "logo.png")}
    response = client.post(
        "/admin/certificates/", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 200 and "PNG" in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent)) is None or not db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "certificate.settings")
    )


def test_the_language_is_fixed_at_issue_and_downloads_are_identical(
    client,
    learner,  # noqa: F811
):
    complete_course(client)
    certificate = db.session.scalar(select(Certificate))
    assert certificate.language == "id"  # the course's language
    english = client.get(
        f"/certificates/{certificate.code}", headers={"Accept-Language": "en"}
    )
    page = english.get_data(as_text=True)
    assert "Sertifikat penyelesaian" in page and "Certificate of completion" not in page
    assert '<html lang="en">' in page  # the site around it speaks the viewer's language
    first = client.get(
        f"/certificates/{certificate.code}.pdf", headers={"Accept-Language": "en"}
    )
    second = client.get(
        f"/certificates/{certificate.code}.pdf", headers={"Accept-Language": "id"}
    )
    assert first.data == second.data


def test_verify_has_a_form_that_takes_a_loosely_typed_code(client):
    page = client.get("/verify/").get_data(as_text=True)
    assert 'name="code"' in page and 'action="/verify/"' in page
    response = client.get("/verify/?code=abcd-efgh 23")
    assert response.status_code == 302 and response.location.endswith(
        "/verify/ABCDEFGH23"
    )


def test_verify_masks_the_nip(client, auth, learner):  # noqa: F811
    complete_course(client)
    certificate = db.session.scalar(select(Certificate))
    auth.logout()
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert NIP not in page and "•" * 15 + NIP[-3:] in page
