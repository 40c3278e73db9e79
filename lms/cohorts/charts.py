"""Charts drawn on the server as SVG: no scripts, nothing loaded from elsewhere, readable without colour."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR = "#0b5c8a"
INK = "#1d2733"


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def distribution_chart(percents: list[int], title: str, axis_label: str) -> Markup:
    """Draw how many members are in each band of percent complete (0-19 ... 80-99, 100)."""
    bands = ["0–19", "20–39", "40–59", "60–79", "80–99", "100"]
    counts = [0] * len(bands)
    for p in percents:
        counts[5 if p >= 100 else min(p // 20, 4)] += 1
    width, height, top, bottom = 480, 220, 20, 40
    peak = max(counts) or 1
    slot = (width - 40) / len(bands)
    body = []
    for i, (band, count) in enumerate(zip(bands, counts, strict=True)):
        bar = (height - top - bottom) * count / peak
        x = 30 + i * slot
        y = height - bottom - bar
        body.append(
            f'<rect x="{x + 6:.1f}" y="{y:.1f}" width="{slot - 12:.1f}" height="{bar:.1f}" fill="{BAR}"/>'
        )
        body.append(
            f'<text x="{x + slot / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" fill="{INK}">{count}</text>'
        )
        body.append(
            f'<text x="{x + slot / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="12" fill="{INK}">{band}</text>'
        )
    body.append(
        f'<text x="{width / 2}" y="{height - 6}" text-anchor="middle" font-size="12" fill="{INK}">{escape(axis_label)}</text>'
    )
    return _svg(width, height, title, body)


def unit_progress_chart(units: list[tuple[str, int]], title: str) -> Markup:
    """Draw each work unit's average percent complete as a horizontal bar."""
    row, label_width, width = 26, 220, 560
    height = max(row * len(units) + 10, 40)
    body = []
    for i, (name, percent) in enumerate(units):
        y = 5 + i * row
        bar = (width - label_width - 50) * percent / 100
        short = name if len(name) <= 32 else name[:31] + "…"
        body.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="{INK}">{escape(short)}</text>'
        )
        body.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" fill="{BAR}"/>'
        )
        body.append(
            f'<text x="{label_width + bar + 6:.1f}" y="{y + 16}" font-size="12" fill="{INK}">{percent}%</text>'
        )
    return _svg(width, height, title, body)
