"""Uploaded files: what a file really is (by its bytes, never its name), and where it is kept.

Uploads live under `LMS_UPLOADS_DIR` (default: the instance folder's `uploads/`), outside the code
tree, under random names; they are served only through views that check who may see them.
"""

from __future__ import annotations

import io
import os
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import event

from lms.extensions import db

#: Magic numbers of the types we accept anywhere: (prefix, extension, MIME type).
SIGNATURES = [
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"GIF87a", "gif", "image/gif"),
    (b"GIF89a", "gif", "image/gif"),
]
#: Office Open XML files are zips holding this folder.
OFFICE = {
    "word/": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xl/": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "ppt/": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}


@dataclass(frozen=True)
class FileKind:
    """What a file's bytes say it is."""

    extension: str
    mimetype: str


def sniff(data: bytes) -> FileKind | None:
    """Return the kind of file `data` is, judged by its content, or None if it is none we accept."""
    for prefix, extension, mimetype in SIGNATURES:
        if data.startswith(prefix):
            return FileKind(extension, mimetype)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return FileKind("webp", "image/webp")
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for folder, (extension, mimetype) in OFFICE.items():
                if any(name.startswith(folder) for name in names):
                    return FileKind(extension, mimetype)
    return None


def uploads_dir() -> Path:
    """Return the folder uploads are kept in, creating it."""
    path = Path(current_app.config["LMS_UPLOADS_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(data: bytes, area: str, kind: FileKind) -> str:
    """Save `data` under a random name in `area`; return its path relative to the uploads folder."""
    folder = uploads_dir() / area
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind.extension}"
    write_new(folder / name, data)
    return f"{area}/{name}"


#: Where a session lists the files written in its transaction (removed unless it commits).
_NEW_FILES = "lms.new_files"


def write_new(path: Path, data: bytes) -> None:
    """Write an upload (whole or not at all); it is removed again unless the transaction commits.

    So a row that fails to insert leaves no file behind without a row to name it.
    """
    db.session.connection()  # the transaction this file belongs to has begun
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    db.session.info.setdefault(_NEW_FILES, []).append(path)


def _keep_new_files(session) -> None:
    session.info.pop(_NEW_FILES, None)


def _remove_uncommitted_files(session, transaction) -> None:
    if transaction.parent is None:
        for path in session.info.pop(_NEW_FILES, []):
            path.unlink(missing_ok=True)


event.listen(db.session, "after_commit", _keep_new_files)
event.listen(db.session, "after_transaction_end", _remove_uncommitted_files)


def open_stored(relative: str) -> Path:
    """Return the absolute path of a stored upload, refusing anything outside the uploads folder."""
    root = uploads_dir().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise FileNotFoundError(relative)
    return path
