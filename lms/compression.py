"""Responses compressed with gzip for browsers that accept it: pages cost a third of the data.

Pages carry a CSRF token, so a page that also reflects what an attacker sends could leak it to
someone who can watch the compressed sizes (BREACH); `docs/security.md` says why that is accepted.
Our own rather than Flask-Compress: that one left streamed static files unclosed and sends no gzip
for streams.
"""

from __future__ import annotations

import gzip

from flask import Flask, request

#: What is worth compressing (images and PDFs are compressed already).
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
    }
)
#: Smaller bodies gain too little to pay for the header and the work.
MIN_BYTES = 600
#: Streamed files larger than this are sent as they are (they are read whole to compress them).
MAX_FILE_BYTES = 2 * 1024 * 1024
LEVEL = 6


def compress(response):
    """Gzip a response's body when the browser accepts it and it is worth it."""
    if (
        response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or "gzip" not in request.accept_encodings
    ):
        return response
    if response.is_streamed:
        # Only files (whose length is known) are read whole; a generator streams on.
        length = response.content_length
        if not response.direct_passthrough or length is None or length > MAX_FILE_BYTES:
            return response
        response.direct_passthrough = False
    data = response.get_data()
    response.vary.add("Accept-Encoding")
    if len(data) < MIN_BYTES:
        return response
    response.set_data(gzip.compress(data, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)  # the same content, other bytes
    return response


def init_app(app: Flask) -> None:
    """Compress every response that is worth it."""
    app.after_request(compress)
