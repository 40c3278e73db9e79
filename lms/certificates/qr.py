"""QR codes of verification URLs, drawn on the server (no external requests)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """Return an inline SVG element encoding `url`."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=4,
        border=2,
        xmldecl=False,
        svgns=True,
        title=url,
        svgclass="qr",
        lineclass=None,
    )
    return buffer.getvalue().decode("utf-8")


def qr_png(url: str) -> bytes:
    """Return a PNG image encoding `url`, sharp enough to print."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()
