"""Charts as server-rendered SVG, one definition for the dashboard and the PDF report.

Each function returns a self-contained ``<svg>`` string (title and description for
screen readers, text labels on the marks, a viewBox so it scales to a phone) with
the colours of ``static/css/lodestar.css`` written out, because WeasyPrint and
email clients do not see the page's CSS variables.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

import kpi
from workbook.evaluation import SegmentValue, TrendPoint, WorkbookEvaluation

INK = "#1b2333"
MUTED = "#5f6b7d"
LINE = "#dfe3ea"
PRIMARY = "#1f5fbf"
GOOD = "#1e7b4f"
WARN = "#8a5a00"
WARN_FILL = "#f6b93b"
BAD = "#b42318"
NEUTRAL = "#8a94a6"
FONT = "'Noto Sans CJK SC', 'PingFang SC', system-ui, sans-serif"

STATUS_COLOURS = {
    kpi.Status.ON_TRACK: GOOD,
    kpi.Status.AT_RISK: WARN_FILL,
    kpi.Status.OFF_TRACK: BAD,
    kpi.Status.NO_TARGET: NEUTRAL,
    kpi.Status.NO_DATA: LINE,
}
CURRENCY_SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

_ids = itertools.count(1)


def is_chinese(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


def format_value(
    value: float | None,
    unit: kpi.Unit | str,
    *,
    currency: str = "",
    language: str | None = "zh-hans",
    compact: bool = True,
) -> str:
    """A number as a seller reads it: ¥130.9万 / ¥1.31M, 12.9%, 1,234."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    unit = kpi.Unit(unit)
    if unit is kpi.Unit.PERCENT:
        return f"{value * 100:.1f}%"
    if unit is kpi.Unit.RATIO:
        return f"{value:.2f}"
    if unit in (kpi.Unit.DAYS, kpi.Unit.HOURS):
        return f"{value:,.1f}"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    prefix = CURRENCY_SIGNS.get(currency, "") if unit is kpi.Unit.MONEY else ""
    if compact and magnitude >= 10_000:
        if is_chinese(language):
            text = (
                f"{magnitude / 1e8:.2f}亿"
                if magnitude >= 1e8
                else f"{magnitude / 1e4:.1f}万"
            )
        else:
            text = (
                f"{magnitude / 1e6:.2f}M"
                if magnitude >= 1e6
                else f"{magnitude / 1e3:.1f}K"
            )
    elif unit is kpi.Unit.MONEY and 0 < magnitude < 1000:
        text = f"{magnitude:,.2f}"
    else:
        text = f"{magnitude:,.0f}"
    return f"{sign}{prefix}{text}"


def format_signed(value: float | None, unit: kpi.Unit | str, **kwargs: object) -> str:
    if value is None:
        return "—"
    text = format_value(value, unit, **kwargs)  # type: ignore[arg-type]
    return text if value < 0 else f"+{text}"


def format_share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def node_label(evaluation: WorkbookEvaluation, key: str | None, language: str) -> str:
    if key is None:
        return "未对账" if is_chinese(language) else "Unreconciled"
    node = evaluation.tree.nodes.get(key)
    if node is None:
        return key
    zh, en = node.name_zh, node.name_en
    if node.metric and node.metric in evaluation.library.metrics:
        metric = evaluation.library.metrics[node.metric]
        zh, en = zh or metric.name_zh, en or metric.name_en
    return (zh or en or key) if is_chinese(language) else (en or zh or key)


# ------------------------------------------------------------------ helpers
def _svg(
    width: int, height: int, title: str, desc: str, body: list[str], css_class: str
) -> SafeString:
    n = next(_ids)
    return mark_safe(  # noqa: S308 - every text below passes through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="chart-{n}-title chart-{n}-desc" '
        f'font-family="{FONT}" font-size="14">'
        f'<title id="chart-{n}-title">{escape(title)}</title>'
        f'<desc id="chart-{n}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    fill: str = INK,
    size: int = 14,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" '
        f'font-size="{size}" font-weight="{weight}">{escape(text)}</text>'
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _nice_range(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    low = min(low, 0.0)
    if high == low:
        high = low + (abs(low) or 1.0)
    span = high - low
    return low, high + span * 0.08


# ------------------------------------------------------------------- charts
@dataclass(frozen=True, slots=True)
class ChartText:
    """Words a chart needs in the reader's language (passed in from gettext)."""

    title: str
    actual: str
    target: str
    empty: str


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    unit: kpi.Unit,
    currency: str,
    language: str,
    words: ChartText,
) -> SafeString:
    """Line of the actual per period with the target as a dashed line."""
    shown = list(points)
    while shown and shown[0].actual is None and shown[0].target is None:
        shown.pop(0)
    width, height, left, right, top, bottom = 520, 250, 64, 12, 30, 34
    if not shown:
        return _svg(
            width,
            80,
            words.title,
            words.empty,
            [_text(width / 2, 45, words.empty, anchor="middle", fill=MUTED)],
            "chart-trend",
        )
    values = [v for p in shown for v in (p.actual, p.target) if v is not None]
    low, high = _nice_range(values)
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(shown) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(shown) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    def fmt(v: float | None) -> str:
        return format_value(v, unit, currency=currency, language=language)

    body = []
    for frac in (0.0, 0.5, 1.0):
        v = low + (high - low) * frac
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
        body.append(
            _text(left - 6, y(v) + 4, fmt(v), anchor="end", fill=MUTED, size=12)
        )
    label_every = max(1, math.ceil(len(shown) / 8))
    for i, p in enumerate(shown):
        if i % label_every == 0 or i == len(shown) - 1:
            anchor = "middle"
            if len(shown) > 1 and i == 0:
                anchor = "start"
            elif len(shown) > 1 and i == len(shown) - 1:
                anchor = "end"
            body.append(
                _text(
                    x(i),
                    height - bottom + 18,
                    p.period.label,
                    anchor=anchor,
                    fill=MUTED,
                    size=13,
                )
            )
    for series, colour, dash in (("target", WARN, "6 4"), ("actual", PRIMARY, "")):
        segments: list[list[tuple[float, float]]] = [[]]
        for i, p in enumerate(shown):
            v = getattr(p, series)
            if v is None:
                segments.append([])
            else:
                segments[-1].append((x(i), y(v)))
        for seg in segments:
            if len(seg) > 1:
                path = " ".join(f"{px:.1f},{py:.1f}" for px, py in seg)
                body.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" '
                    f'stroke-width="{2 if dash else 3}" stroke-dasharray="{dash}"/>'
                )
        for i, p in enumerate(shown):
            v = getattr(p, series)
            if v is None:
                continue
            if series == "actual":
                body.append(
                    f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}">'
                    f"<title>{escape(p.period.label)}: {escape(fmt(v))}</title></circle>"
                )
            elif len(shown) == 1 or all(
                getattr(q, series) is None for q in shown if q is not p
            ):
                x0, x1 = max(left, x(i) - 20), min(width - right, x(i) + 20)
                body.append(
                    f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y(v):.1f}" '
                    f'y2="{y(v):.1f}" stroke="{colour}" stroke-width="2" '
                    f'stroke-dasharray="{dash}"/>'
                )
    last = next((i for i in range(len(shown) - 1, -1, -1) if shown[i].actual), None)
    if last is not None:
        v = shown[last].actual
        body.append(
            _text(
                min(x(last), width - right - 4),
                y(v) - 10,
                fmt(v),
                anchor="end" if last == len(shown) - 1 else "middle",
                fill=PRIMARY,
                weight="bold",
            )
        )
    body.append(
        f'<line x1="{left}" x2="{left + 24}" y1="12" y2="12" stroke="{PRIMARY}" '
        f'stroke-width="3"/>' + _text(left + 30, 16, words.actual, size=12)
    )
    body.append(
        f'<line x1="{left + 120}" x2="{left + 144}" y1="12" y2="12" stroke="{WARN}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
        + _text(left + 150, 16, words.target, size=12)
    )
    desc = "; ".join(
        f"{p.period.label}: {words.actual} {fmt(p.actual)}, {words.target} {fmt(p.target)}"
        for p in shown
    )
    return _svg(width, height, words.title, desc, body, "chart-trend")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float | None
    target: float | None = None
    colour: str = PRIMARY


def bar_chart(
    bars: Sequence[Bar],
    *,
    unit: kpi.Unit,
    currency: str,
    language: str,
    title: str,
    empty: str,
    target_word: str,
) -> SafeString:
    """Horizontal bars (one per segment) with the target as a tick."""
    width, row, left, right, top = 520, 34, 120, 86, 8
    rows = [b for b in bars if b.value is not None or b.target is not None]
    if not rows:
        return _svg(
            width,
            60,
            title,
            empty,
            [_text(width / 2, 35, empty, anchor="middle", fill=MUTED)],
            "chart-bars",
        )
    values = [v for b in rows for v in (b.value, b.target) if v is not None]
    low, high = _nice_range(values)
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + (v - low) / (high - low) * plot_w

    def fmt(v: float | None) -> str:
        return format_value(v, unit, currency=currency, language=language)

    body = []
    for i, b in enumerate(rows):
        y = top + i * row
        body.append(_text(left - 8, y + 21, _clip(b.label, 16), anchor="end"))
        if b.value is not None:
            x0, x1 = sorted((x(0.0), x(b.value)))
            body.append(
                f'<rect x="{x0:.1f}" y="{y + 7}" width="{max(x1 - x0, 1):.1f}" '
                f'height="20" rx="3" fill="{b.colour}"/>'
            )
            body.append(_text(x1 + 6, y + 21, fmt(b.value), size=12))
        if b.target is not None:
            tx = x(b.target)
            body.append(
                f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 3}" y2="{y + 31}" '
                f'stroke="{INK}" stroke-width="2"><title>{escape(target_word)} '
                f"{escape(fmt(b.target))}</title></line>"
            )
    height = top * 2 + row * len(rows)
    desc = "; ".join(
        f"{b.label}: {fmt(b.value)}"
        + (f" ({target_word} {fmt(b.target)})" if b.target is not None else "")
        for b in rows
    )
    return _svg(width, height, title, desc, body, "chart-bars")


@dataclass(frozen=True, slots=True)
class Step:
    label: str
    value: float
    kind: str  # "total" (base, current) or "effect"
    helps: bool = True


def waterfall_chart(
    steps: Sequence[Step],
    *,
    unit: kpi.Unit,
    currency: str,
    language: str,
    title: str,
    empty: str,
) -> SafeString:
    """A horizontal waterfall: base, each driver's effect, the actual. Rows read
    top to bottom so long Chinese labels fit at phone width."""
    width, row, left, right, top = 520, 34, 140, 86, 8
    if not steps:
        return _svg(
            width,
            60,
            title,
            empty,
            [_text(width / 2, 35, empty, anchor="middle", fill=MUTED)],
            "chart-waterfall",
        )
    running = 0.0
    spans: list[tuple[float, float]] = []
    for s in steps:
        if s.kind == "total":
            spans.append((0.0, s.value))
            running = s.value
        else:
            spans.append((running, running + s.value))
            running += s.value
    low, high = _nice_range([v for span in spans for v in span])
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + (v - low) / (high - low) * plot_w

    def fmt(v: float) -> str:
        return format_value(v, unit, currency=currency, language=language)

    body = [
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="0" y2="{top * 2 + row * len(steps)}" '
        f'stroke="{LINE}"/>'
    ]
    for i, (s, (a, b)) in enumerate(zip(steps, spans, strict=True)):
        y = top + i * row
        colour = NEUTRAL if s.kind == "total" else (GOOD if s.helps else BAD)
        if s.kind == "total":
            colour = PRIMARY if i else NEUTRAL
        x0, x1 = sorted((x(a), x(b)))
        weight = "bold" if s.kind == "total" else "normal"
        body.append(
            _text(left - 8, y + 21, _clip(s.label, 17), anchor="end", weight=weight)
        )
        body.append(
            f'<rect x="{x0:.1f}" y="{y + 7}" width="{max(x1 - x0, 1.5):.1f}" '
            f'height="20" rx="2" fill="{colour}"><title>{escape(s.label)}</title></rect>'
        )
        text = (
            fmt(s.value)
            if s.kind == "total"
            else format_signed(s.value, unit, currency=currency, language=language)
        )
        body.append(
            _text(
                x1 + 6,
                y + 21,
                text,
                size=13,
                fill=INK if s.kind == "total" else colour,
                weight=weight,
            )
        )
        if i < len(steps) - 1:
            body.append(
                f'<line x1="{x(b):.1f}" x2="{x(b):.1f}" y1="{y + 27}" y2="{y + row + 7}" '
                f'stroke="{MUTED}" stroke-dasharray="2 2"/>'
            )
    height = top * 2 + row * len(steps)
    desc = "; ".join(
        f"{s.label}: "
        + (
            fmt(s.value)
            if s.kind == "total"
            else format_signed(s.value, unit, currency=currency, language=language)
        )
        for s in steps
    )
    return _svg(width, height, title, desc, body, "chart-waterfall")


# --------------------------------------------------- from an evaluation
def waterfall_steps(
    evaluation: WorkbookEvaluation,
    key: str,
    versus: str,
    *,
    language: str,
    base_word: str,
    actual_word: str,
) -> tuple[list[Step], kpi.Attribution]:
    attribution = evaluation.attribution(key, versus)
    if not attribution.defined or attribution.base is None:
        return [], attribution
    node = evaluation.nodes[key]
    better = -1.0 if node.direction is kpi.Direction.LOWER else 1.0
    steps = [Step(base_word, attribution.base, "total")]
    for effect in attribution.effects:
        steps.append(
            Step(
                node_label(evaluation, effect.key, language),
                effect.value,
                "effect",
                helps=better * effect.value >= 0,
            )
        )
    steps.append(Step(actual_word, attribution.current or 0.0, "total"))
    return steps, attribution


def segment_bars(
    values: Sequence[SegmentValue], statuses: dict[str, kpi.Status] | None = None
) -> list[Bar]:
    return [Bar(label=v.value or "—", value=v.actual, target=v.target) for v in values]
