"""Targets: setting, allocating top-down, solving a factor, checking roll-ups."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from kpi._aggregate import Segment, segment_of
from kpi._calendar import Period, parse_period
from kpi._enums import Decomposition, Grain
from kpi._formula import evaluate_scalar
from kpi._library import Library
from kpi._tree import MetricTree, is_time_additive, node_formula


class TargetError(ValueError):
    """A target or allocation request that has no sensible answer."""


@dataclass(frozen=True, slots=True)
class Target:
    """A target for one node, period label and segment filter.

    ``value`` is the point target; ``low``/``high`` give a band for band metrics
    (days of cover 30–60). A band target may omit ``value``.
    """

    node: str
    period: str
    value: float | None = None
    segment: Segment = ()
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        for name in ("value", "low", "high"):
            v = getattr(self, name)
            if v is not None and not math.isfinite(v):
                raise TargetError(
                    f"target {self.node}/{self.period}: {name} is not finite"
                )
        if self.value is None and (self.low is None or self.high is None):
            raise TargetError(
                f"target {self.node}/{self.period}: needs a value or a band"
            )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise TargetError(f"target {self.node}/{self.period}: low is above high")

    @property
    def band(self) -> tuple[float, float] | None:
        if self.low is None or self.high is None:
            return None
        return (self.low, self.high)

    @property
    def point(self) -> float | None:
        """The value to compare with, the band's middle for a band-only target."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return None


class TargetBook:
    """Targets by (node, period label, segment)."""

    def __init__(self, targets: Iterable[Target] = (), fiscal_start: int = 1) -> None:
        self._by_key: dict[tuple[str, str, Segment], Target] = {}
        self.fiscal_start = fiscal_start
        for target in targets:
            period = parse_period(target.period, fiscal_start).label
            key = (target.node, period, segment_of(target.segment))
            if key in self._by_key:
                raise TargetError(
                    f"two targets for node {target.node!r}, period {period}, "
                    f"segment {dict(key[2]) or 'all'}"
                )
            self._by_key[key] = target

    def __iter__(self) -> Iterator[Target]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def exact(self, node: str, period: Period, segment: Segment = ()) -> Target | None:
        return self._by_key.get((node, period.label, segment))

    def get(
        self,
        tree: MetricTree,
        library: Library,
        node: str,
        period: Period,
        segment: Segment = (),
    ) -> Target | None:
        """The target, or for time-additive nodes the sum of the months' targets
        when the period has none of its own and every month has one."""
        found = self.exact(node, period, segment)
        if found is not None or period.grain in (Grain.DAY, Grain.WEEK, Grain.MONTH):
            return found
        if not is_time_additive(tree, node, library):
            return None
        parts = [self.exact(node, m, segment) for m in period.subperiods(Grain.MONTH)]
        if not parts or any(p is None or p.value is None for p in parts):
            return None
        total = math.fsum(
            p.value for p in parts if p is not None and p.value is not None
        )
        return Target(node, period.label, total, segment)


# ---------------------------------------------------------------- allocation
def _largest_remainder(
    total: float, shares: Sequence[float], decimals: int
) -> list[float]:
    scale = 10**decimals
    units = round(total * scale)
    raw = [s * units for s in shares]
    floors = [math.floor(r) for r in raw]
    left = units - sum(floors)
    order = sorted(
        range(len(raw)), key=lambda i: (raw[i] - floors[i], -i), reverse=True
    )
    if left >= 0:
        for i in order[:left]:
            floors[i] += 1
    else:  # shares that add up to a hair over 1
        for i in order[left:]:
            floors[i] -= 1
    return [f / scale for f in floors]


def _split(total: float, shares: Sequence[float], decimals: int | None) -> list[float]:
    if decimals is not None:
        return _largest_remainder(total, shares, decimals)
    values = [total * s for s in shares]
    values[-1] = total - math.fsum(values[:-1])
    return values


def _check_total(total: float) -> None:
    if not math.isfinite(total):
        raise TargetError("the total to allocate is not a finite number")


def allocate_even(
    total: float, keys: Sequence[str], decimals: int | None = None
) -> dict[str, float]:
    """Split ``total`` evenly. With ``decimals`` the parts are rounded so that
    they still add up to the total (largest remainder)."""
    _check_total(total)
    if not keys:
        raise TargetError("nothing to allocate to")
    return dict(
        zip(keys, _split(total, [1 / len(keys)] * len(keys), decimals), strict=True)
    )


def allocate_weights(
    total: float, weights: Mapping[str, float], decimals: int | None = None
) -> dict[str, float]:
    """Split ``total`` in proportion to non-negative ``weights``."""
    _check_total(total)
    if not weights:
        raise TargetError("nothing to allocate to")
    for key, w in weights.items():
        if not math.isfinite(w) or w < 0:
            raise TargetError(f"weight of {key!r} must be a finite number >= 0")
    whole = math.fsum(weights.values())
    if whole <= 0:
        raise TargetError("weights add up to 0; nothing to split by")
    shares = [w / whole for w in weights.values()]
    return dict(zip(weights, _split(total, shares, decimals), strict=True))


def allocate_seasonality(
    total: float,
    period: Period,
    last_year: Mapping[str, float],
    grain: Grain = Grain.MONTH,
    decimals: int | None = None,
) -> dict[str, float]:
    """Split ``total`` over ``period``'s sub-periods like last year.

    ``last_year`` maps last year's sub-period labels (``2025-04``) to values;
    the result is keyed by this year's labels (``2026-04``).
    """
    parts = period.subperiods(grain)
    weights: dict[str, float] = {}
    for part in parts:
        before = part.last_year().label
        if before not in last_year:
            raise TargetError(f"no value for {before} to take the seasonality from")
        weights[part.label] = last_year[before]
    return allocate_weights(total, weights, decimals)


def solve_factor(target: float, others: Mapping[str, float]) -> float:
    """The free factor of a product: target / Π(other factors' targets)."""
    _check_total(target)
    product = 1.0
    for key, value in others.items():
        if not math.isfinite(value):
            raise TargetError(f"target of {key!r} is not a finite number")
        if value == 0:
            raise TargetError(f"target of {key!r} is 0; the free factor has no value")
        product *= value
    return target / product


def solve_factor_target(
    tree: MetricTree,
    node: str,
    free_child: str,
    book: TargetBook,
    library: Library,
    period: Period,
    segment: Segment = (),
) -> float:
    """For a multiplicative node: the free child's target from the others."""
    parent = tree.nodes[node]
    if parent.decomposition is not Decomposition.MULTIPLICATIVE:
        raise TargetError(f"node {node!r} is not multiplicative")
    if free_child not in parent.child_keys:
        raise TargetError(f"{free_child!r} is not a child of {node!r}")
    top = book.get(tree, library, node, period, segment)
    if top is None or top.point is None:
        raise TargetError(f"node {node!r} has no target for {period.label}")
    others: dict[str, float] = {}
    for child in parent.child_keys:
        if child == free_child:
            continue
        t = book.get(tree, library, child, period, segment)
        if t is None or t.point is None:
            raise TargetError(f"child {child!r} has no target for {period.label}")
        others[child] = t.point
    return solve_factor(top.point, others)


@dataclass(frozen=True, slots=True)
class RollupMismatch:
    node: str
    top_down: float
    bottom_up: float

    @property
    def difference(self) -> float:
        return self.bottom_up - self.top_down


def rollup_mismatches(
    tree: MetricTree,
    book: TargetBook,
    library: Library,
    period: Period,
    segment: Segment = (),
    tolerance: float = 1e-6,
) -> list[RollupMismatch]:
    """Nodes whose own target disagrees with what their children's targets give
    (Σ signs for additive, Π for multiplicative, the formula otherwise)."""
    out = []
    for node in tree.walk():
        if node.decomposition is Decomposition.NONE:
            continue
        top = book.get(tree, library, node.key, period, segment)
        if top is None or top.point is None:
            continue
        child_targets: dict[str, float] = {}
        for child in node.child_keys:
            t = book.get(tree, library, child, period, segment)
            if t is None or t.point is None:
                break
            child_targets[child] = t.point
        else:
            bottom = compose(tree, node.key, child_targets, library, period.days)
            if bottom is None:
                continue
            if abs(bottom - top.point) > tolerance * max(1.0, abs(top.point)):
                out.append(RollupMismatch(node.key, top.point, bottom))
    return out


def compose(
    tree: MetricTree,
    key: str,
    children: Mapping[str, float],
    library: Library,
    days: int | None = None,
) -> float | None:
    """The node's value implied by its children's values (``days`` is the
    period's length, for formulas that use ``days_in_period``)."""
    node = tree.nodes[key]
    if node.decomposition is Decomposition.ADDITIVE:
        return math.fsum(c.sign * children[c.key] for c in node.children)
    if node.decomposition is Decomposition.MULTIPLICATIVE:
        return math.prod(children[c] for c in node.child_keys)
    if node.decomposition is Decomposition.FORMULA:
        checked = node_formula(tree, key, library)
        inputs = dict(children)
        if days is not None:
            inputs["days_in_period"] = float(days)
        if "days_in_period" in checked.names and "days_in_period" not in inputs:
            return None
        return evaluate_scalar(checked.expression, inputs)
    return None
