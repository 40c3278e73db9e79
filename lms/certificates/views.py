"""Certificate pages: the learner's list, the printable page, the PDF, public verification, revoking."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from lms.certificates.forms import RevokeForm
from lms.certificates.issue import (
    certificate_by_code,
    certificate_for_course,
    certificates_of,
    masked_nip,
    normalize_code,
    revoke_certificate,
)
from lms.certificates.pdf import certificate_pdf
from lms.certificates.qr import qr_svg
from lms.certificates.settings import logo_file
from lms.files import open_stored
from lms.learn.lookup import find_course
from lms.models import Certificate
from lms.permissions import can, require

bp = Blueprint("certificates", __name__)


def verify_url(code: str) -> str:
    """Return the absolute public verification URL of a certificate (LMS_BASE_URL when set)."""
    base = current_app.config.get("LMS_BASE_URL")
    if base:
        return base.rstrip("/") + url_for("certificates.verify", code=code)
    return url_for("certificates.verify", code=code, _external=True)


def _issuer(certificate: Certificate | None = None) -> str:
    """Return the issuing office: the one fixed on the certificate, else the provider's name."""
    if certificate is not None and certificate.issuer:
        return certificate.issuer
    return current_app.config.get("LMS_PROVIDER_NAME", "Kelas ASN")


def _document(certificate: Certificate, url: str) -> Markup:
    """Render the certificate itself in its own language (fixed at issue)."""
    with force_locale(certificate.language or "id"):
        return Markup(
            render_template(
                "certificates/_document.html",
                certificate=certificate,
                verify_url=url,
                # Generated here by segno from our own URL, never from user input.
                qr=Markup(qr_svg(url)),
                issuer=_issuer(certificate),
            )
        )


def _certificate_or_404(code: str) -> Certificate:
    certificate = certificate_by_code(code)
    if certificate is None:
        abort(404)
    return certificate


@bp.get("/my/certificates")
@login_required
def mine():
    """List the current learner's certificates."""
    return render_template(
        "certificates/mine.html", certificates=certificates_of(current_user.id)
    )


@bp.get("/courses/<slug>/certificate")
@login_required
def for_course(slug: str):
    """Open the current learner's certificate for a course."""
    course = find_course(slug)
    certificate = course and certificate_for_course(current_user.id, course.id)
    if not certificate:
        abort(404)
    return redirect(url_for("certificates.show", code=certificate.code))


@bp.get("/certificates/<code>")
def show(code: str):
    """Show the printable certificate to its learner, the course's staff and admins."""
    certificate = _certificate_or_404(code)
    require("certificate.view", certificate)
    return render_template(
        "certificates/certificate.html",
        certificate=certificate,
        document=_document(certificate, verify_url(certificate.code)),
        revoke_form=RevokeForm()
        if can(current_user, "certificate.revoke", certificate)
        else None,
    )


@bp.get("/certificates/<code>.pdf")
def pdf(code: str):
    """Send the certificate as a PDF."""
    certificate = _certificate_or_404(code)
    require("certificate.view", certificate)
    with force_locale(certificate.language or "id"):
        body = certificate_pdf(
            certificate,
            verify_url(certificate.code),
            _issuer(certificate),
            _logo(certificate),
        )
    return Response(
        body,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="sertifikat-{certificate.code}.pdf"'
        },
    )


@bp.post("/certificates/<code>/revoke")
@login_required
def revoke(code: str):
    """Revoke a certificate (admins), with a reason."""
    certificate = _certificate_or_404(code)
    require("certificate.revoke", certificate)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for revoking the certificate."), "error")
    elif revoke_certificate(certificate, current_user.id, form.reason.data):
        flash(_("The certificate is revoked."), "success")
    else:
        flash(_("The certificate was already revoked."), "info")
    return redirect(url_for("certificates.show", code=certificate.code))


@bp.get("/verify/")
def verify_form():
    """Offer a form to type a certificate's code; send a typed code to its verification page."""
    code = normalize_code(request.args.get("code", ""))[:64]
    if code:
        return redirect(url_for("certificates.verify", code=code))
    return render_template("certificates/verify.html", certificate=None, asked=False)


@bp.get("/verify/<code>")
def verify(code: str):
    """Tell anyone whether a certificate is genuine and what it certifies, and nothing more."""
    certificate = certificate_by_code(code)
    status = 200 if certificate is not None else 404
    html = render_template(
        "certificates/verify.html",
        certificate=certificate,
        issuer=_issuer(certificate),
        nip=masked_nip(certificate.nip) if certificate else "",
        asked=True,
    )
    return html, status, {"X-Robots-Tag": "noindex"}


@bp.get("/certificate-logos/<name>")
def logo(name: str):
    """Send an issuing office's logo (public: it is printed on every certificate)."""
    path = logo_file(f"certificate-logos/{name}")
    return send_file(path, max_age=86400)


def _logo(certificate: Certificate) -> str | None:
    """Return the file of the certificate's logo, if it has one that is still stored."""
    if not certificate.logo_path:
        return None
    try:
        return str(open_stored(certificate.logo_path))
    except FileNotFoundError:
        return None
