"""Draw the app icons (lms/static/icons/icon-192.png, icon-512.png) from the favicon's shapes."""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

BRAND = (0x0B, 0x5C, 0x8A)
WHITE = (0xFF, 0xFF, 0xFF)
#: The favicon's strokes, on its 32-unit grid (the "K" of Kelas).
STROKES = [((9, 8), (9, 24)), ((9, 16), (18, 8)), ((12, 14), (20, 24))]


def _distance(px: float, py: float, a, b) -> float:
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def pixels(size: int) -> bytes:
    """Return the icon's rows as PNG scanlines (filter byte 0, RGB), full-bleed for maskable use."""
    rows = bytearray()
    scale = size / 32
    for y in range(size):
        rows.append(0)
        for x in range(size):
            gx, gy = (x + 0.5) / scale, (y + 0.5) / scale
            # Shrink the drawing to the maskable safe zone (the middle 80%).
            gx, gy = 16 + (gx - 16) / 0.8, 16 + (gy - 16) / 0.8
            inside = any(_distance(gx, gy, a, b) <= 1.5 for a, b in STROKES)
            rows.extend(WHITE if inside else BRAND)
    return bytes(rows)


def png(size: int) -> bytes:
    """Return a PNG file of the icon at `size` pixels square."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels(size), 9))
        + chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "lms/static/icons")
    for size in (192, 512):
        (folder / f"icon-{size}.png").write_bytes(png(size))
