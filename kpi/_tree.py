"""Metric trees: a node decomposes into children additively, multiplicatively or
by a formula over the children's keys."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from kpi._aggregate import Segment
from kpi._enums import Aggregation, Decomposition, Direction, Level, Unit
from kpi._errors import FormulaError
from kpi._formula import CheckedFormula, check_formula, describe_dim, unit_accepts
from kpi._library import Library
from kpi._parser import Binary, Expression, Name, Unary, walk


class TreeError(ValueError):
    """A tree whose structure the engine cannot evaluate."""

    def __init__(self, node: str, message: str) -> None:
        self.node = node
        super().__init__(f"node {node!r}: {message}" if node else message)


@dataclass(frozen=True, slots=True)
class ChildLink:
    key: str
    sign: int = 1


@dataclass(frozen=True, slots=True)
class Owner:
    role: str = ""
    person: str = ""
    department: str = ""


@dataclass(frozen=True)
class MetricNode:
    key: str
    name_zh: str = ""
    name_en: str = ""
    metric: str | None = None
    segment: Segment = ()
    decomposition: Decomposition = Decomposition.NONE
    children: tuple[ChildLink, ...] = ()
    formula: str | None = None
    level: Level = Level.ROLE
    departments: tuple[str, ...] = ()
    owners: tuple[Owner, ...] = ()
    definition: str = ""
    data_source: str = ""
    core: bool = True
    direction: Direction | None = None
    unit: Unit | None = None
    band: tuple[float, float] | None = None

    @functools.cached_property
    def child_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.children)


@dataclass(frozen=True)
class MetricTree:
    """Nodes by key; ``root`` is the top. Nodes not reachable from it are orphans."""

    root: str
    nodes: Mapping[str, MetricNode]
    parents: Mapping[str, str] = field(default_factory=dict)
    memo: dict[tuple[str, str, int], Any] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __getitem__(self, key: str) -> MetricNode:
        return self.nodes[key]

    def reachable(self) -> list[str]:
        """Keys reachable from the root, children before their parent."""
        out: list[str] = []
        seen: set[str] = set()

        def visit(key: str) -> None:
            if key in seen or key not in self.nodes:
                return
            seen.add(key)
            for child in self.nodes[key].children:
                visit(child.key)
            out.append(key)

        visit(self.root)
        return out

    def orphans(self) -> list[str]:
        reachable = set(self.reachable())
        return [k for k in self.nodes if k not in reachable]

    def depth(self, key: str) -> int:
        depth = 0
        while key in self.parents:
            key = self.parents[key]
            depth += 1
        return depth

    def walk(self) -> Iterator[MetricNode]:
        """Reachable nodes depth first, parents before children, in child order."""
        seen: set[str] = set()
        stack = [self.root]
        while stack:
            key = stack.pop()
            if key in seen or key not in self.nodes:
                continue
            seen.add(key)
            node = self.nodes[key]
            yield node
            stack.extend(reversed(node.child_keys))


def build_tree(root: str, nodes: Sequence[MetricNode], library: Library) -> MetricTree:
    """Check the structure and return the tree.

    Errors (raised): duplicate keys, unknown root/child/metric, a node with two
    parents, cycles, signs other than ±1 outside additive nodes, formulas that do
    not parse or use names other than the node's children. Orphans and unit
    disagreements are left to the health checks.
    """
    by_key: dict[str, MetricNode] = {}
    for node in nodes:
        if not node.key:
            raise TreeError("", "a node has no key")
        if node.key in by_key:
            raise TreeError(node.key, "key used twice")
        by_key[node.key] = node
    if root not in by_key:
        raise TreeError(root, "root is not a node of the tree")
    parents: dict[str, str] = {}
    for node in by_key.values():
        if node.metric is not None and node.metric not in library:
            raise TreeError(node.key, f"unknown metric {node.metric!r}")
        if node.decomposition is Decomposition.NONE and node.children:
            raise TreeError(node.key, "has children but no decomposition type")
        if node.decomposition is not Decomposition.NONE and not node.children:
            raise TreeError(
                node.key, f"{node.decomposition.value} node has no children"
            )
        if node.metric is None and node.decomposition is Decomposition.NONE:
            raise TreeError(node.key, "needs a metric or children to compute it from")
        for child in node.children:
            if child.key not in by_key:
                raise TreeError(node.key, f"unknown child {child.key!r}")
            if child.key == node.key:
                raise TreeError(node.key, "is its own child")
            if child.sign not in (1, -1):
                raise TreeError(node.key, f"sign of {child.key!r} must be +1 or -1")
            if child.sign != 1 and node.decomposition is not Decomposition.ADDITIVE:
                raise TreeError(node.key, "only additive children can have sign -1")
            if child.key in parents and parents[child.key] != node.key:
                raise TreeError(
                    child.key,
                    f"has two parents ({parents[child.key]!r} and {node.key!r})",
                )
            parents[child.key] = node.key
        if len(set(node.child_keys)) != len(node.children):
            raise TreeError(node.key, "lists a child twice")
        if node.decomposition is Decomposition.FORMULA and not node.formula:
            raise TreeError(node.key, "formula node has no formula")
    tree = MetricTree(root, by_key, parents)
    _check_cycles(tree)
    for node in by_key.values():
        if node.decomposition is Decomposition.FORMULA and node.formula:
            units = {c: node_unit(tree, c, library) for c in node.child_keys}
            try:
                checked = check_formula(node.formula, units)
            except FormulaError as err:
                raise TreeError(node.key, str(err)) from err
            unused = set(node.child_keys) - checked.names
            if unused:
                raise TreeError(
                    node.key,
                    "formula does not use children " + ", ".join(sorted(unused)),
                )
    return tree


def _check_cycles(tree: MetricTree) -> None:
    state: dict[str, int] = {}

    def visit(key: str, path: list[str]) -> None:
        if state.get(key) == 2:
            return
        if state.get(key) == 1:
            cycle = [*path[path.index(key) :], key]
            raise TreeError(key, "children form a cycle: " + " → ".join(cycle))
        state[key] = 1
        for child in tree.nodes[key].children:
            visit(child.key, [*path, key])
        state[key] = 2

    for key in tree.nodes:
        visit(key, [])


def _node_unit(tree: MetricTree, key: str, library: Library) -> Unit:
    node = tree.nodes[key]
    if node.unit is not None:
        return node.unit
    if node.metric is not None:
        return library[node.metric].unit
    if node.decomposition is Decomposition.ADDITIVE:
        return node_unit(tree, node.children[0].key, library)
    if node.decomposition is Decomposition.FORMULA and node.formula:
        checked = node_formula(tree, key, library)
        return _unit_for(checked)
    units = [node_unit(tree, c, library) for c in node.child_keys]
    if Unit.MONEY in units:
        return Unit.MONEY
    return Unit.COUNT if Unit.COUNT in units else Unit.RATIO


def _unit_for(checked: CheckedFormula) -> Unit:
    for unit in (Unit.MONEY, Unit.DAYS, Unit.HOURS, Unit.RATIO, Unit.COUNT):
        if unit_accepts(unit, checked.dimension):
            return unit
    return Unit.RATIO


def _node_formula(tree: MetricTree, key: str, library: Library) -> CheckedFormula:
    node = tree.nodes[key]
    units = {c: node_unit(tree, c, library) for c in node.child_keys}
    return check_formula(node.formula or "", units)


def _node_direction(tree: MetricTree, key: str, library: Library) -> Direction:
    node = tree.nodes[key]
    if node.direction is not None:
        return node.direction
    if node.metric is not None:
        return library[node.metric].direction
    return Direction.HIGHER


def _node_band(
    tree: MetricTree, key: str, library: Library
) -> tuple[float, float] | None:
    node = tree.nodes[key]
    if node.band is not None:
        return node.band
    if node.metric is not None:
        return library[node.metric].band
    return None


def _is_time_additive(tree: MetricTree, key: str, library: Library) -> bool:
    """Whether the node's value for a period is the sum of its days' values.

    True for summed metrics and for sums/differences of them (net sales,
    contribution profit); false for ratios and stock levels. Pace and run-rate
    forecasts scale only time-additive values.
    """
    node = tree.nodes[key]
    if node.metric is not None:
        return metric_time_additive(node.metric, library)
    if node.decomposition is Decomposition.ADDITIVE:
        return all(is_time_additive(tree, c, library) for c in node.child_keys)
    return False


def metric_time_additive(key: str, library: Library) -> bool:
    metric = library[key]
    if metric.aggregation is Aggregation.SUM:
        return True
    if metric.aggregation is Aggregation.LAST:
        return False
    return _additive_expression(library.expressions[key], library)


def _additive_expression(expression: Expression, library: Library) -> bool:
    for node in walk(expression):
        if isinstance(node, Binary) and node.op not in "+-":
            return False
        if isinstance(node, Name) and (
            node.key not in library or not metric_time_additive(node.key, library)
        ):
            return False
        if not isinstance(node, Binary | Unary | Name):
            return False
    return True


def unit_disagreements(tree: MetricTree, library: Library) -> list[tuple[str, str]]:
    """(node, message) for additive nodes whose children's units differ from it."""
    out = []
    for node in tree.nodes.values():
        if node.decomposition is not Decomposition.ADDITIVE:
            continue
        unit = node_unit(tree, node.key, library)
        for child in node.child_keys:
            child_unit = node_unit(tree, child, library)
            if child_unit is not unit and {child_unit, unit} != {
                Unit.RATIO,
                Unit.PERCENT,
            }:
                out.append(
                    (
                        node.key,
                        f"adds {child!r} in {child_unit.value} to a node in "
                        f"{unit.value}",
                    )
                )
    for node in tree.nodes.values():
        if node.decomposition is Decomposition.FORMULA and node.metric and node.formula:
            checked = node_formula(tree, node.key, library)
            unit = library[node.metric].unit
            if not unit_accepts(unit, checked.dimension):
                out.append(
                    (
                        node.key,
                        f"formula gives {describe_dim(checked.dimension)} but the "
                        f"metric is in {unit.value}",
                    )
                )
    return out


__all__ = [
    "ChildLink",
    "MetricNode",
    "MetricTree",
    "Owner",
    "TreeError",
    "build_tree",
]


T = TypeVar("T")


def _remember(
    name: str, compute: Callable[[MetricTree, str, Library], T]
) -> Callable[[MetricTree, str, Library], T]:
    """Per-tree memo: trees are immutable, so a node's unit or formula is too."""

    def lookup(tree: MetricTree, key: str, library: Library) -> T:
        memo_key = (name, key, id(library))
        if memo_key not in tree.memo:
            tree.memo[memo_key] = compute(tree, key, library)
        result: T = tree.memo[memo_key]
        return result

    lookup.__doc__ = compute.__doc__
    return lookup


node_unit = _remember("unit", _node_unit)
node_formula = _remember("formula", _node_formula)
node_direction = _remember("direction", _node_direction)
node_band = _remember("band", _node_band)
is_time_additive = _remember("time_additive", _is_time_additive)
