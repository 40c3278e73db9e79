"""Width and height on lesson images whose file is known, so a page does not jump as they load.

Rendering asks the lookup set by `known_images` for each image's size; the importer lends one over
the course folder's `images/`, the authoring pages one over the course's uploaded images. An image
from anywhere else gets no size. Sizes are read from a file's first bytes only (`HEAD_BYTES`).
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bleach.html5lib_shim import Filter

#: The most of a file read for its size; a JPEG whose size comes later gets none.
HEAD_BYTES = 64 * 1024
#: A side larger than this is not believed (a damaged or hostile header).
MAX_SIDE = 30_000

Size = tuple[int, int]
SizeLookup = Callable[[str], Size | None]

#: The lookup of the texts being rendered: an image's `src` to its (width, height), or None.
_lookup: ContextVar[SizeLookup | None] = ContextVar("image_sizes", default=None)

_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}  # fmt: skip


def image_size(head: bytes) -> Size | None:
    """Return (width, height) from the first bytes of a PNG, GIF, WebP or JPEG file, or None."""
    head = head[:HEAD_BYTES]
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            size = struct.unpack(">II", head[16:24])
        elif head[:6] in (b"GIF87a", b"GIF89a"):
            size = struct.unpack("<HH", head[6:10])
        elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            size = _webp_size(head)
        elif head.startswith(b"\xff\xd8"):
            size = _jpeg_size(head)
        else:
            size = None
    except struct.error:  # the file ends inside its header
        return None
    if size is None or not all(0 < side <= MAX_SIDE for side in size):
        return None
    return size


def _webp_size(head: bytes) -> Size | None:
    kind = head[12:16]
    if kind == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if kind == b"VP8L" and head[20:21] == b"\x2f":
        bits = struct.unpack("<I", head[21:25])[0]
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8X":
        width, height = head[24:27] + b"\0", head[27:30] + b"\0"
        return struct.unpack("<I", width)[0] + 1, struct.unpack("<I", height)[0] + 1
    return None


def _jpeg_size(head: bytes) -> Size | None:
    """Walk the JPEG's segments to its frame header; each step moves forward, so this is linear."""
    at = 2
    while at + 4 <= len(head):
        if head[at] != 0xFF:
            return None
        marker = head[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
        elif marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", head[at + 5 : at + 9])
            return width, height
        elif 0xD0 <= marker <= 0xD9 or marker == 0x01:  # markers without a length
            at += 2
        else:
            length = struct.unpack(">H", head[at + 2 : at + 4])[0]
            if length < 2:
                return None
            at += 2 + length
    return None


@contextmanager
def known_images(lookup: SizeLookup) -> Iterator[None]:
    """Size the images of every text rendered inside with `lookup` (an image's src to its size)."""
    token = _lookup.set(lookup)
    try:
        yield
    finally:
        _lookup.reset(token)


class SizedImages(Filter):
    """The sanitizer's last step: images load lazily, and those whose file is known get a size."""

    def __iter__(self):
        lookup = _lookup.get()
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img":
                attributes = token["data"]
                attributes.setdefault((None, "loading"), "lazy")
                attributes.setdefault((None, "decoding"), "async")
                src = attributes.get((None, "src"))
                has_size = (None, "width") in attributes or (
                    None,
                    "height",
                ) in attributes
                size = lookup(src) if lookup and src and not has_size else None
                if size:
                    attributes[(None, "width")], attributes[(None, "height")] = map(str, size)  # fmt: skip
            yield token
