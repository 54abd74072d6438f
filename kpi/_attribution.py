"""Splitting a change into its drivers' contributions, with no residual.

* Additive nodes: each child's signed change, exactly.
* Multiplicative nodes: LMDI-I (Ang 2005, "The LMDI approach to decomposition
  analysis: a practical guide", Energy Policy 33, 867–871). For V = Σᵢ Πₖ xₖᵢ
  over segments i, the effect of factor k is

      ΔVₖ = Σᵢ L(Vᵢᵀ, Vᵢ⁰) · ln(xₖᵢᵀ / xₖᵢ⁰),   L(a, b) = (a − b) / (ln a − ln b)

  and Σₖ ΔVₖ = Vᵀ − V⁰ exactly. Zero values follow the limit of the paper's
  small-value strategy (the same results as Ang, Zhang & Choi 1998, Table 2): a
  segment that appears (Vᵢ⁰ = 0) gives Vᵢᵀ to the factors that were zero, split
  evenly; one that disappears gives −Vᵢ⁰ to the factors that became zero; a
  segment zero in both periods gives nothing. Segments with a negative factor
  (logarithms undefined) are decomposed by Shapley values instead.
* Formula nodes: Shapley values over the children, exact by construction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


class Method(StrEnum):
    ADDITIVE = "additive"
    LMDI = "lmdi"
    SHAPLEY = "shapley"


@dataclass(frozen=True, slots=True)
class Effect:
    """A driver's part of the change; ``key`` is ``None`` for the unreconciled
    part when the node's own value disagrees with its children (a broken
    identity is shown, never hidden)."""

    key: str | None
    value: float


@dataclass(frozen=True)
class Attribution:
    node: str
    versus: str
    method: Method
    base: float | None
    current: float | None
    total: float | None
    effects: tuple[Effect, ...] = ()
    by_segment: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    reason: str = ""
    note: str = ""

    @property
    def defined(self) -> bool:
        return self.total is not None and not self.reason


def log_mean(a: FloatArray, b: FloatArray) -> FloatArray:
    """L(a, b) = (a − b)/(ln a − ln b), L(a, a) = a; for positive a, b."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (a - b) / (np.log(a) - np.log(b))
    close = np.isclose(a, b, rtol=1e-12, atol=0.0)
    return np.asarray(np.where(close, a, out), dtype=np.float64)


def additive_effects(
    base: Mapping[str, float], current: Mapping[str, float], signs: Mapping[str, int]
) -> dict[str, float]:
    return {k: signs.get(k, 1) * (current[k] - base[k]) for k in base}


def lmdi_effects(x0: FloatArray, xt: FloatArray) -> FloatArray:
    """LMDI-I effects per segment and factor.

    ``x0`` and ``xt`` have shape (segments, factors) and must be finite. Returns
    the same shape; rows sum to Πxᵀ − Πx⁰ (to float precision).
    """
    x0 = np.asarray(x0, dtype=np.float64)
    xt = np.asarray(xt, dtype=np.float64)
    if x0.shape != xt.shape or x0.ndim != 2:
        raise ValueError("x0 and xt must have the same (segments, factors) shape")
    if not (np.isfinite(x0).all() and np.isfinite(xt).all()):
        raise ValueError("LMDI needs finite factor values")
    if x0.size <= 24:
        # small tables: plain floats beat numpy's per-call overhead
        rows = [_lmdi_row(a, b) for a, b in zip(x0.tolist(), xt.tolist(), strict=True)]
        return np.array(rows, dtype=np.float64).reshape(x0.shape)
    v0 = np.prod(x0, axis=1)
    vt = np.prod(xt, axis=1)
    effects = np.zeros_like(x0)
    negative = (x0 < 0).any(axis=1) | (xt < 0).any(axis=1)
    zero0 = x0 == 0
    zerot = xt == 0
    regular = ~negative & ~zero0.any(axis=1) & ~zerot.any(axis=1)
    if regular.any():
        # logs of the products are sums of logs: exact even when Π x underflows
        log_ratio = np.log(xt[regular]) - np.log(x0[regular])
        log_change = log_ratio.sum(axis=1)
        change = vt[regular] - v0[regular]
        with np.errstate(divide="ignore", invalid="ignore"):
            weight = np.where(
                np.abs(log_change) < 1e-12,
                log_mean(vt[regular], v0[regular]),
                change / log_change,
            )
        effects[regular] = weight[:, None] * log_ratio
    appears = ~negative & zero0.any(axis=1) & ~zerot.any(axis=1)
    if appears.any():
        count = zero0[appears].sum(axis=1)[:, None]
        effects[appears] = np.where(zero0[appears], vt[appears][:, None] / count, 0.0)
    vanishes = ~negative & zerot.any(axis=1) & ~zero0.any(axis=1)
    if vanishes.any():
        count = zerot[vanishes].sum(axis=1)[:, None]
        effects[vanishes] = np.where(
            zerot[vanishes], -v0[vanishes][:, None] / count, 0.0
        )
    # zero in both periods: effects stay 0 (V⁰ = Vᵀ = 0)
    for i in np.flatnonzero(negative):
        row = shapley_product(x0[i], xt[i])
        effects[i] = row
    return effects


def _lmdi_row(x0: list[float], xt: list[float]) -> list[float]:
    """One segment of :func:`lmdi_effects` in plain floats (same rules)."""
    if any(v < 0 for v in x0) or any(v < 0 for v in xt):
        return [float(v) for v in shapley_product(np.array(x0), np.array(xt))]
    zero0 = [v == 0 for v in x0]
    zerot = [v == 0 for v in xt]
    v0 = math.prod(x0)
    vt = math.prod(xt)
    if any(zero0) and any(zerot):
        return [0.0] * len(x0)
    if any(zero0):
        share = vt / sum(zero0)
        return [share if z else 0.0 for z in zero0]
    if any(zerot):
        share = -v0 / sum(zerot)
        return [share if z else 0.0 for z in zerot]
    ratios = [math.log(b) - math.log(a) for a, b in zip(x0, xt, strict=True)]
    log_change = math.fsum(ratios)
    if abs(log_change) < 1e-12:
        weight = (
            vt
            if math.isclose(vt, v0, rel_tol=1e-12, abs_tol=0.0)
            else ((vt - v0) / (math.log(vt) - math.log(v0)))
        )
    else:
        weight = (vt - v0) / log_change
    return [weight * r for r in ratios]


def shapley_product(x0: FloatArray, xt: FloatArray) -> FloatArray:
    """Shapley effects of the factors of a product (any signs)."""
    k = len(x0)
    out = np.zeros(k)
    names = [str(i) for i in range(k)]

    def value(chosen: Mapping[str, float]) -> float:
        return float(np.prod([chosen[n] for n in names]))

    effects = shapley_effects(
        value, dict(zip(names, x0, strict=True)), dict(zip(names, xt, strict=True))
    )
    if effects is None:  # a product always has a value
        raise AssertionError("unreachable")
    for i, n in enumerate(names):
        out[i] = effects[n]
    return out


MAX_SHAPLEY_INPUTS = 12


def shapley_effects(
    function: Callable[[Mapping[str, float]], float | None],
    base: Mapping[str, float],
    current: Mapping[str, float],
) -> dict[str, float] | None:
    """Exact Shapley values of ``function`` moving inputs from base to current.

    φₖ = Σ_{S ⊆ N∖{k}} |S|!(n−|S|−1)!/n! · (f(S ∪ {k}) − f(S)), where f(S) takes
    the inputs in S at their current values and the others at base. ``None`` if
    the function has no value for some mix (e.g. a division by zero on the way).
    """
    keys = list(base)
    n = len(keys)
    if n > MAX_SHAPLEY_INPUTS:
        raise ValueError(
            f"Shapley attribution supports up to {MAX_SHAPLEY_INPUTS} inputs"
        )
    cache: dict[int, float] = {}
    for mask in range(1 << n):
        inputs = {
            key: (current[key] if mask >> i & 1 else base[key])
            for i, key in enumerate(keys)
        }
        result = function(inputs)
        if result is None or not math.isfinite(result):
            return None
        cache[mask] = result
    weights = [
        math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
        for s in range(n)
    ]
    out: dict[str, float] = {}
    for i, key in enumerate(keys):
        total = 0.0
        bit = 1 << i
        for mask in range(1 << n):
            if mask & bit:
                continue
            total += weights[bin(mask).count("1")] * (cache[mask | bit] - cache[mask])
        out[key] = total
    return out


def multiplicative_attribution(
    node: str,
    versus: str,
    factors: Sequence[str],
    base: FloatArray,
    current: FloatArray,
    segments: Sequence[str],
    node_base: float,
    node_current: float,
) -> Attribution:
    """LMDI-I over segments (rows) × factors (columns)."""
    x0 = np.asarray(base, dtype=np.float64).tolist()
    xt = np.asarray(current, dtype=np.float64).tolist()
    cells = [v for row in x0 + xt for v in row]
    if not all(math.isfinite(v) for v in cells):
        raise ValueError("LMDI needs finite factor values")
    negative = any(v < 0 for v in cells)
    rows = [_lmdi_row(a, b) for a, b in zip(x0, xt, strict=True)]
    per_factor = [math.fsum(r[j] for r in rows) for j in range(len(factors))]
    composed_change = math.fsum(math.prod(r) for r in xt) - math.fsum(
        math.prod(r) for r in x0
    )
    total = node_current - node_base
    out = [Effect(k, float(v)) for k, v in zip(factors, per_factor, strict=True)]
    unreconciled = total - math.fsum(per_factor)
    if abs(unreconciled) > 1e-9 * max(1.0, abs(total), abs(composed_change)):
        out.append(Effect(None, unreconciled))
    by_segment = (
        {
            factor: {seg: rows[i][j] for i, seg in enumerate(segments)}
            for j, factor in enumerate(factors)
        }
        if len(segments) > 1
        else {}
    )
    return Attribution(
        node,
        versus,
        Method.SHAPLEY if negative and len(segments) == 1 else Method.LMDI,
        node_base,
        node_current,
        total,
        tuple(out),
        by_segment,
    )


def undefined(node: str, versus: str, method: Method, reason: str) -> Attribution:
    return Attribution(node, versus, method, None, None, None, (), {}, reason)


def with_unreconciled(
    node: str,
    versus: str,
    method: Method,
    node_base: float,
    node_current: float,
    effects: Mapping[str, float],
) -> Attribution:
    total = node_current - node_base
    out = [Effect(k, v) for k, v in effects.items()]
    rest = total - sum(effects.values())
    if abs(rest) > 1e-9 * max(1.0, abs(total)):
        out.append(Effect(None, rest))
    return Attribution(node, versus, method, node_base, node_current, total, tuple(out))
