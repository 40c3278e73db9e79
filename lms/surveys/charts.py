"""Survey and learning-gain charts, drawn on the server as SVG like the cohort charts."""

from __future__ import annotations

from markupsafe import Markup, escape

from lms.cohorts.charts import BAR, INK, _svg


def answers_chart(
    rows: list[tuple[str, int]], title: str, total: int | None = None
) -> Markup:
    """Draw how many chose each answer as a horizontal bar, with the count and percent of `total`
    (those who answered: a multiple-choice question's percents add up to more than 100)."""
    total = total or sum(count for _label, count in rows) or 1
    peak = max((count for _label, count in rows), default=0) or 1
    row, label_width, width = 26, 240, 600
    height = max(row * len(rows) + 10, 40)
    body = []
    for i, (label, count) in enumerate(rows):
        y = 5 + i * row
        bar = (width - label_width - 90) * count / peak
        short = label if len(label) <= 36 else label[:35] + "…"
        body.append(f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" font-size="12" fill="{INK}">{escape(short)}</text>')  # fmt: skip
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" fill="{BAR}"/>')  # fmt: skip
        body.append(f'<text x="{label_width + bar + 6:.1f}" y="{y + 16}" font-size="12" fill="{INK}">{count} ({round(100 * count / total)}%)</text>')  # fmt: skip
    return _svg(width, height, title, body)


#: Bands of normalised learning gain, as Hake named them: low below 0.3, medium, high from 0.7.
GAIN_BANDS = ("< 0", "0–0.29", "0.3–0.69", "≥ 0.7")


def gain_band(gain: float) -> int:
    """Return the index in GAIN_BANDS of a normalised gain."""
    if gain < 0:
        return 0
    return 1 if gain < 0.3 else 2 if gain < 0.7 else 3


def gain_chart(gains: list[float], title: str) -> Markup:
    """Draw how many learners' normalised gains fall in each band."""
    counts = [0] * len(GAIN_BANDS)
    for gain in gains:
        counts[gain_band(gain)] += 1
    return answers_chart(list(zip(GAIN_BANDS, counts, strict=True)), title)
