"""The dashboard's charts as server-rendered SVG; the same markup goes into the PDF.

Like `workbook/charts.py` (which cohorts/ may not import): each function returns a
self-contained ``<svg>`` with a title and a description listing every value for
screen readers, text labels on the marks, and a viewBox so it scales to a phone.
Colours are written out because WeasyPrint does not see the page's CSS variables.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

INK = "#1b2333"
MUTED = "#5f6b7d"
LINE = "#dfe3ea"
PRIMARY = "#1f5fbf"
GOOD = "#1e7b4f"
WARN_FILL = "#f6b93b"
BAD = "#b42318"
NEUTRAL = "#c5ccd8"
FONT = "'Noto Sans CJK SC', 'PingFang SC', system-ui, sans-serif"

_ids = itertools.count(1)


def _svg(
    width: int, height: int, title: str, desc: str, body: list[str], css: str
) -> SafeString:
    n = next(_ids)
    return mark_safe(  # noqa: S308 - every text below passes through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="rchart-{n}-title rchart-{n}-desc" '
        f'font-family="{FONT}" font-size="14">'
        f'<title id="rchart-{n}-title">{escape(title)}</title>'
        f'<desc id="rchart-{n}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    fill: str = INK,
    size: int = 13,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" '
        f'font-size="{size}" font-weight="{weight}">{escape(text)}</text>'
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _empty(title: str, empty: str, css: str) -> SafeString:
    return _svg(
        520, 70, title, empty, [_text(260, 40, empty, anchor="middle", fill=MUTED)], css
    )


def format_percent(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{Decimal(value):.1f}%"


def column_chart(
    columns: Sequence[tuple[str, int]],
    *,
    title: str,
    empty: str,
    colour: str = PRIMARY,
) -> SafeString:
    """Vertical columns of counts (people per band, sessions per month)."""
    if not columns or not any(value for _label, value in columns):
        return _empty(title, empty, "chart-columns")
    width, height, left, right, top, bottom = 520, 220, 16, 16, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    high = max(value for _label, value in columns) or 1
    slot = plot_w / len(columns)
    bar = min(slot * 0.7, 56)
    label_size = 13 if len(columns) <= 8 else 12
    body = [
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" '
        f'y2="{top + plot_h}" stroke="{LINE}" stroke-width="1"/>'
    ]
    for i, (label, value) in enumerate(columns):
        centre = left + slot * i + slot / 2
        h = plot_h * value / high
        y = top + plot_h - h
        if value:
            body.append(
                f'<rect x="{centre - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                f'height="{max(h, 1):.1f}" rx="3" fill="{colour}">'
                f"<title>{escape(label)}: {value}</title></rect>"
            )
        body.append(
            _text(centre, y - 6, str(value), anchor="middle", weight="bold", size=12)
        )
        body.append(
            _text(
                centre,
                height - bottom + 18,
                _clip(label, 8),
                anchor="middle",
                fill=MUTED,
                size=label_size,
            )
        )
    desc = "; ".join(f"{label}: {value}" for label, value in columns)
    return _svg(width, height, title, desc, body, "chart-columns")


def percent_bars(
    rows: Sequence[tuple[str, Decimal | None]],
    *,
    title: str,
    empty: str,
) -> SafeString:
    """One horizontal bar per row on a 0–100 % scale, coloured by how good it is."""
    shown = [(label, value) for label, value in rows if value is not None]
    if not shown:
        return _empty(title, empty, "chart-percent")
    width, row, left, right, top = 520, 44, 8, 64, 4
    plot_w = width - left - right
    body = []
    for i, (label, value) in enumerate(shown):
        y = top + i * row
        fraction = float(value) / 100
        colour = GOOD if fraction >= 0.8 else WARN_FILL if fraction >= 0.6 else BAD
        body.append(_text(left, y + 15, _clip(label, 38), size=13))
        body.append(
            f'<rect x="{left}" y="{y + 22}" width="{plot_w}" height="14" rx="3" '
            f'fill="#f5f7fa"/>'
        )
        body.append(
            f'<rect x="{left}" y="{y + 22}" width="{max(plot_w * fraction, 1):.1f}" '
            f'height="14" rx="3" fill="{colour}"/>'
        )
        body.append(
            _text(
                width - 4,
                y + 34,
                format_percent(value),
                anchor="end",
                size=13,
                weight="bold",
            )
        )
    height = top * 2 + row * len(shown)
    desc = "; ".join(f"{label}: {format_percent(value)}" for label, value in shown)
    return _svg(width, height, title, desc, body, "chart-percent")


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    legend: Sequence[tuple[str, str]],
    title: str,
    empty: str,
) -> SafeString:
    """A 100 % bar per row split into parts (homework by status per cohort)."""
    shown = [(label, parts) for label, parts in rows if sum(parts)]
    if not shown:
        return _empty(title, empty, "chart-stacked")
    width, row, left, right = 520, 34, 150, 12
    plot_w = width - left - right
    body = []
    x, legend_y = 8.0, 8
    for name, colour in legend:
        size = 16 + sum(7.5 if ch.isascii() else 13 for ch in name) + 16
        if x + size > width:
            x, legend_y = 8.0, legend_y + 20
        body.append(
            f'<rect x="{x:.1f}" y="{legend_y}" width="12" height="12" rx="2" '
            f'fill="{colour}"/>'
        )
        body.append(_text(x + 16, legend_y + 11, name, size=12))
        x += size
    top = legend_y + 26
    for i, (label, parts) in enumerate(shown):
        y = top + i * row
        total = sum(parts)
        body.append(_text(left - 8, y + 21, _clip(label, 12), anchor="end", size=12))
        offset = float(left)
        for (name, colour), count in zip(legend, parts, strict=True):
            if not count:
                continue
            w = plot_w * count / total
            body.append(
                f'<rect x="{offset:.1f}" y="{y + 7}" width="{w:.1f}" height="20" '
                f'fill="{colour}"><title>{escape(label)} · {escape(name)}: '
                f"{count}</title></rect>"
            )
            if w >= 24:
                body.append(
                    _text(
                        offset + w / 2,
                        y + 21,
                        str(count),
                        anchor="middle",
                        fill=INK if colour in (WARN_FILL, NEUTRAL) else "#ffffff",
                        size=12,
                        weight="bold",
                    )
                )
            offset += w
    height = top + row * len(shown) + 6
    desc = "; ".join(
        label
        + ": "
        + ", ".join(
            f"{name} {count}" for (name, _c), count in zip(legend, parts, strict=True)
        )
        for label, parts in shown
    )
    return _svg(width, height, title, desc, body, "chart-stacked")
