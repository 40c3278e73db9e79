"""The certificate as an A4 landscape PDF, in the PDF core fonts."""

from __future__ import annotations

import io
import unicodedata

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from fpdf import FPDF

from lms.certificates.qr import qr_png
from lms.models import Certificate

#: Typographic characters outside Latin-1 that have a plain equivalent.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def latin1(text: str) -> str:
    """Return `text` in Latin-1 (what the core fonts can draw): accents dropped, others as '?'."""
    out = []
    for char in (text or "").translate(_PLAIN):
        if ord(char) < 256:
            out.append(char)
            continue
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if ord(c) < 256 and not unicodedata.combining(c)
        )
        out.append(base or "?")
    return "".join(out)


def certificate_pdf(certificate: Certificate, verify_url: str, issuer: str) -> bytes:
    """Return the certificate as a PDF with the QR code of its verification URL."""
    pdf = FPDF(orientation="landscape", format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_title(latin1(_("Certificate of completion")))
    pdf.set_subject(certificate.code)
    pdf.set_author(latin1(issuer))
    pdf.add_page()
    width = pdf.w - 40
    pdf.set_draw_color(11, 92, 138)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text: str, size: float, style: str = "", height: float = 10) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.set_x(20)
        pdf.multi_cell(width, height, latin1(text), align="C", new_x="LMARGIN")

    def fitted(text: str, size: float) -> None:
        """Draw a bold line, smaller when needed, so long names and titles keep to two lines."""
        pdf.set_font("Helvetica", "B", size)
        while size > 11 and pdf.get_string_width(latin1(text)) > width * 1.8:
            size -= 1
            pdf.set_font("Helvetica", "B", size)
        line(text, size, "B", size * 0.5)

    pdf.set_y(28)
    line(issuer, 14)
    line(_("Certificate of completion"), 30, "B", 16)
    pdf.ln(4)
    line(_("This certifies that"), 13)
    fitted(certificate.learner_name, 24)
    if certificate.nip:
        line(_("NIP %(nip)s", nip=certificate.nip), 13, height=8)
    pdf.ln(2)
    line(_("has completed the course"), 13)
    fitted(certificate.course_title, 20)
    line(
        _(
            "%(jp)s JP, completed on %(date)s",
            jp=format_decimal(certificate.jp),
            date=format_date(certificate.completed_on, "long"),
        ),
        13,
    )
    if certificate.revoked_at is not None:
        pdf.set_text_color(164, 22, 26)
        line(_("This certificate has been revoked."), 16, "B")
        pdf.set_text_color(0, 0, 0)

    qr_size = 38
    pdf.image(
        io.BytesIO(qr_png(verify_url)), x=20, y=pdf.h - 20 - qr_size - 4, w=qr_size
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(20 + qr_size + 6, pdf.h - 20 - 24)
    pdf.multi_cell(
        width - qr_size - 6,
        6,
        latin1(
            _("Certificate code: %(code)s", code=certificate.code)
            + "\n"
            + _("Check that it is genuine at %(url)s", url=verify_url)
        ),
        new_x="LMARGIN",
    )
    return bytes(pdf.output())
