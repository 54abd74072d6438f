"""The arithmetic behind the summaries: distributions, mean/median, histograms, NPS.

Plain functions over plain values, so the numbers on the pages can be tested exactly
without a database.

NPS (net promoter score) follows the usual definition: of everyone who answered the
0–10 question, the share of promoters (9 or 10) minus the share of detractors (0 to 6),
in percentage points, from −100 to +100. Passives (7, 8) count in the total only.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a chart: a label, a count, and its share of the respondents."""

    key: str
    label: str
    count: int
    share: float  # 0–1 of the respondents to the question

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.0f}%"


def shares(counts: Sequence[tuple[str, str, int]], respondents: int) -> list[Bar]:
    """Bars from (key, label, count); shares are of respondents, not of ticks."""
    return [
        Bar(
            key=key,
            label=label,
            count=count,
            share=count / respondents if respondents else 0.0,
        )
        for key, label, count in counts
    ]


def choice_counts(
    values: Iterable[str | list[str]], keys: Sequence[tuple[str, str]]
) -> tuple[list[Bar], int]:
    """Counts per choice, in the editor's order, plus keys no longer offered.

    A multiple-choice answer counts once for each choice ticked; the share is of the
    people who answered, so the shares of a multiple-choice question can pass 100%.
    """
    counter: Counter[str] = Counter()
    respondents = 0
    for value in values:
        picked = value if isinstance(value, list) else [value]
        if not picked:
            continue
        respondents += 1
        counter.update(set(picked))
    known = [(key, label, counter.pop(key, 0)) for key, label in keys]
    removed = [(key, key, count) for key, count in sorted(counter.items())]
    return shares(known + removed, respondents), respondents


@dataclass(frozen=True, slots=True)
class NumberSummary:
    count: int
    mean: float | None
    median: float | None
    low: float | None
    high: float | None


def number_summary(values: Sequence[float]) -> NumberSummary:
    if not values:
        return NumberSummary(0, None, None, None, None)
    return NumberSummary(
        count=len(values),
        mean=statistics.fmean(values),
        median=float(statistics.median(values)),
        low=min(values),
        high=max(values),
    )


def scale_histogram(values: Sequence[int], low: int, high: int) -> list[Bar]:
    """One bar per point of the scale, empty points included."""
    counter = Counter(values)
    n = len(values)
    return shares(
        [(str(v), str(v), counter.get(v, 0)) for v in range(low, high + 1)], n
    )


def number_histogram(values: Sequence[float], bins: int = 6) -> list[Bar]:
    """A few equal-width bins between the smallest and largest answer.

    Few distinct values get one bar each, which reads better than empty ranges.
    """
    if not values:
        return []
    distinct = sorted(set(values))
    if len(distinct) <= bins:
        counter = Counter(values)
        return shares(
            [(format_number(v), format_number(v), counter[v]) for v in distinct],
            len(values),
        )
    low, high = distinct[0], distinct[-1]
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        index = min(int((value - low) / width), bins - 1)
        counts[index] += 1
    rows = []
    for i, count in enumerate(counts):
        start, end = low + i * width, low + (i + 1) * width
        label = f"{format_number(start)}–{format_number(end)}"
        rows.append((label, label, count))
    return shares(rows, len(values))


def format_number(value: float | Decimal | None) -> str:
    """1200 → "1,200"; 3.25 → "3.25"; at most two decimals, no trailing zeros."""
    if value is None:
        return "—"
    number = float(value)
    if number == int(number):
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class NetPromoter:
    respondents: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> Fraction | None:
        """Exact NPS in percentage points (a Fraction, −100 to 100)."""
        if not self.respondents:
            return None
        return Fraction(100 * (self.promoters - self.detractors), self.respondents)

    @property
    def display(self) -> str:
        score = self.score
        if score is None:
            return "—"
        if score.denominator == 1:
            return f"{score.numerator:+d}" if score else "0"
        return f"{float(score):+.1f}"

    def share(self, group: int) -> str:
        return f"{group / self.respondents * 100:.0f}%" if self.respondents else "—"

    @property
    def promoters_share(self) -> str:
        return self.share(self.promoters)

    @property
    def passives_share(self) -> str:
        return self.share(self.passives)

    @property
    def detractors_share(self) -> str:
        return self.share(self.detractors)


def net_promoter(scores: Iterable[int]) -> NetPromoter:
    values = list(scores)
    return NetPromoter(
        respondents=len(values),
        promoters=sum(1 for v in values if v >= 9),
        passives=sum(1 for v in values if 7 <= v <= 8),
        detractors=sum(1 for v in values if v <= 6),
    )


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None
