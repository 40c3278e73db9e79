"""Proof files of external training: checked by their first bytes, stored outside the code tree."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import BinaryIO

from werkzeug.security import safe_join

from lms.files import sniff, write_new

#: What a proof may be, recognised by its first bytes (never by its name): extension and media type.
PROOF_TYPES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)
MEDIA_TYPES = {extension: media for _, extension, media in PROOF_TYPES}


class ProofError(ValueError):
    """The uploaded file cannot serve as proof (wrong type, too large, empty)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        #: `type`, `size` or `empty`.
        self.reason = reason


def proof_extension(head: bytes) -> str | None:
    """Return the extension of a PDF, PNG or JPEG file judged by its content, else None."""
    kind = sniff(head)
    return (
        kind.extension if kind is not None and kind.extension in MEDIA_TYPES else None
    )


def save_proof(stream: BinaryIO, uploads_dir: str, user_id: int, max_bytes: int) -> str:
    """Check and store an uploaded proof; return its path relative to the uploads folder."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise ProofError("empty")
    if len(data) > max_bytes:
        raise ProofError("size")
    extension = proof_extension(data[:16])
    if extension is None:
        raise ProofError("type")
    relative = f"jp/{user_id}/{secrets.token_hex(16)}.{extension}"
    write_new(Path(uploads_dir) / relative, data)
    return relative


def proof_file(uploads_dir: str, relative: str) -> Path | None:
    """Return the stored proof's absolute path, or None when missing or outside the folder."""
    joined = safe_join(uploads_dir, relative)
    if joined is None or not Path(joined).is_file():
        return None
    return Path(joined)


def delete_proof(uploads_dir: str, relative: str | None) -> None:
    """Remove a stored proof file, if it is there."""
    path = proof_file(uploads_dir, relative) if relative else None
    if path is not None:
        path.unlink(missing_ok=True)
