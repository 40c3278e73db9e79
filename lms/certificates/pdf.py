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


def certificate_pdf(
    certificate: Certificate, verify_url: str, issuer: str, logo: str | None = None
) -> bytes:
    """Return the certificate as a PDF with its office's logo and signatory, and the QR code and
    clickable link of its verification URL; the same bytes on every download."""
    pdf = FPDF(orientation="landscape", format="A4", unit="mm")
    pdf.set_creation_date(certificate.issued_at)
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

    top = 28
    if logo:
        try:
            pdf.image(logo, x=pdf.w / 2 - 11, y=16, h=20, keep_aspect_ratio=True, w=22)
            top = 38
        except (
            OSError,
            ValueError,
            SyntaxError,
        ):  # a damaged logo file: print without it
            pass
    pdf.set_y(top)
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

    if certificate.signatory_name:
        x, y, w = pdf.w - 20 - 90, pdf.h - 20 - 44, 90
        pdf.set_font("Helvetica", "", 11)
        pdf.set_xy(x, y)
        pdf.multi_cell(
            w, 5, latin1(certificate.signatory_title), align="C", new_x="LEFT"
        )
        pdf.set_xy(x, y + 22)
        pdf.set_font("Helvetica", "BU", 11)
        pdf.cell(w, 5, latin1(certificate.signatory_name), align="C")
        if certificate.signatory_nip:
            pdf.set_font("Helvetica", "", 10)
            pdf.set_xy(x, y + 27)
            pdf.cell(
                w, 5, latin1(_("NIP %(nip)s", nip=certificate.signatory_nip)), align="C"
            )

    qr_size = 38
    pdf.image(
        io.BytesIO(qr_png(verify_url)),
        x=20,
        y=pdf.h - 20 - qr_size - 4,
        w=qr_size,
        link=verify_url,
    )
    text_x, text_w = 20 + qr_size + 6, width - qr_size - 6 - 96
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(text_x, pdf.h - 20 - 30)
    pdf.multi_cell(
        text_w,
        6,
        latin1(
            _("Certificate code: %(code)s", code=certificate.code)
            + "\n"
            + _("Check that it is genuine at:")
        ),
        new_x="LEFT",
    )
    pdf.set_text_color(11, 92, 138)
    pdf.set_font("Helvetica", "U", 9)
    pdf.set_x(text_x)
    pdf.multi_cell(text_w, 5, latin1(verify_url), link=verify_url, new_x="LMARGIN")
    pdf.set_text_color(0, 0, 0)
    return bytes(pdf.output())
