"""How a rubric review becomes a percentage — one rule, used by the review service and
explained on the review and feedback pages.

score % = Σ(weight × points / max_points) ÷ Σ weight × 100, rounded half-up to 2 dp.
Decimal throughout, so 2/3 of a criterion never turns into 66.66999….
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def score_percent(rows: Iterable[tuple[int, int, int]]) -> Decimal:
    """``rows`` are (weight, points, max_points) per criterion; an empty rubric is 0."""
    weighted = Decimal(0)
    total_weight = Decimal(0)
    for weight, points, max_points in rows:
        weighted += Decimal(weight) * Decimal(points) / Decimal(max_points)
        total_weight += Decimal(weight)
    if not total_weight:
        return Decimal("0.00")
    return (weighted / total_weight * 100).quantize(CENT, rounding=ROUND_HALF_UP)
