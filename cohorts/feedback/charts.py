"""Bar charts as server-rendered SVG for the diagnosis summary and feedback results.

The same approach as `workbook/charts.py` (which cohorts may not import): a
self-contained ``<svg>`` with a title and description for screen readers, the count
and share written beside each bar, and a viewBox so it scales down to a phone.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from cohorts.feedback.stats import Bar

INK = "#1b2333"
MUTED = "#5f6b7d"
LINE = "#dfe3ea"
PRIMARY = "#1f5fbf"
GOOD = "#1e7b4f"
WARN_FILL = "#f6b93b"
BAD = "#b42318"
FONT = "'Noto Sans CJK SC', 'PingFang SC', system-ui, sans-serif"

_ids = itertools.count(1)


def _svg(width: int, height: int, title: str, desc: str, body: list[str]) -> SafeString:
    n = next(_ids)
    return mark_safe(  # noqa: S308 - every text below passes through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart feedback-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="fb-chart-{n}-title fb-chart-{n}-desc" '
        f'font-family="{FONT}" font-size="15">'
        f'<title id="fb-chart-{n}-title">{escape(title)}</title>'
        f'<desc id="fb-chart-{n}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _width(char: str) -> int:
    """Rough width in half-em units: CJK and full-width characters take two."""
    return 2 if ord(char) >= 0x2E80 else 1


def _clip(text: str, units: int) -> str:
    """Cut a label to about `units` half-ems so it never runs into its bar."""
    used = 0
    for i, char in enumerate(text):
        used += _width(char)
        if used > units:
            return text[: max(i - 1, 1)] + "…"
    return text


def _describe(bars: Sequence[Bar]) -> str:
    return "; ".join(f"{bar.label}: {bar.count} ({bar.percent})" for bar in bars)


def bar_chart(
    bars: Sequence[Bar], *, title: str, colours: Sequence[str] | None = None
) -> SafeString:
    """Horizontal bars, one row per choice or scale point, longest = widest."""
    width, row, label_w, value_w = 440, 30, 168, 84
    height = max(len(bars), 1) * row + 8
    plot_w = width - label_w - value_w
    biggest = max((bar.count for bar in bars), default=0) or 1
    body = []
    for i, bar in enumerate(bars):
        y = 4 + i * row
        length = plot_w * bar.count / biggest
        fill = colours[i] if colours and i < len(colours) else PRIMARY
        body.append(
            f'<text x="{label_w - 10}" y="{y + 19}" text-anchor="end" fill="{INK}">'
            f"{escape(_clip(bar.label, 22))}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{plot_w}" height="{row - 10}" '
            f'fill="{LINE}" opacity=".45" rx="3"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" '
            f'height="{row - 10}" fill="{fill}" rx="3"/>'
            f'<text x="{label_w + plot_w + 8}" y="{y + 19}" fill="{MUTED}">'
            f"{bar.count} · {escape(bar.percent)}</text>"
        )
    return _svg(width, height, title, _describe(bars), body)


def nps_colours(bars: Sequence[Bar]) -> list[str]:
    """Detractors red, passives amber, promoters green, for a 0–10 histogram."""
    colours = []
    for bar in bars:
        value = int(bar.key)
        colours.append(BAD if value <= 6 else WARN_FILL if value <= 8 else GOOD)
    return colours
