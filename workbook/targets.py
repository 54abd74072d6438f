"""Targets of a workbook: stored as `TargetValue` rows, read as a `kpi.TargetBook`.

Shared contract: the dashboard and review read targets only through `target_book`;
the targets grid writes them only through the services in this module, which keep
the audit trail (`TargetChange`) and the optimistic `version`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

import kpi
from accounts.models import User
from kpi._tree import is_time_additive, node_unit  # not re-exported by kpi (yet)
from workbook.facts import facts_frame, fx_frame
from workbook.models import TargetChange, TargetSource, TargetValue, Workbook


def segment_key(segment: Mapping[str, str] | None) -> str:
    """The stored form of a segment filter: "" for all, else "field=value;..." sorted."""
    if not segment:
        return ""
    return ";".join(
        f"{field}={value}" for field, value in sorted(segment.items()) if value
    )


def segment_from_key(key: str) -> dict[str, str]:
    if not key:
        return {}
    return dict(part.split("=", 1) for part in key.split(";") if "=" in part)


def target_book(workbook: Workbook) -> kpi.TargetBook:
    """Every target of the workbook in one query."""
    rows = TargetValue.objects.filter(workbook=workbook).values_list(
        "node_key", "period", "segment", "value"
    )
    return kpi.TargetBook(
        (
            kpi.Target(
                node=node,
                period=period,
                value=float(value),
                segment=tuple(sorted(segment_from_key(segment).items())),
            )
            for node, period, segment, value in rows
        ),
        fiscal_start=workbook.fiscal_year_start_month,
    )


@transaction.atomic
def targets_load(
    *,
    workbook: Workbook,
    user: User | None,
    targets: Iterable[Mapping[str, object]],
    source: str = TargetSource.TEMPLATE,
) -> int:
    """Write targets from a workbook document (template or file), with history."""
    count = 0
    for item in targets:
        value = item.get("value")
        if value is None:
            continue
        segment = segment_key(item.get("segment") or {})  # type: ignore[arg-type]
        node, period = str(item["node"]), str(item["period"])
        new = Decimal(str(value))
        existing = TargetValue.objects.filter(
            workbook=workbook, node_key=node, period=period, segment=segment
        ).first()
        if existing is None:
            TargetValue.objects.create(
                workbook=workbook,
                node_key=node,
                period=period,
                segment=segment,
                value=new,
                updated_by=user,
            )
            old = None
        else:
            old = existing.value
            existing.value, existing.version = new, existing.version + 1
            existing.updated_by = user
            existing.save()
        TargetChange.objects.create(
            workbook=workbook,
            node_key=node,
            period=period,
            segment=segment,
            old_value=old,
            new_value=new,
            source=source,
            changed_by=user,
        )
        count += 1
    return count


# --- Editing targets (the targets grid) ---------------------------------------------


class TargetConflict(ValidationError):
    """The cell changed since the user loaded it; their value was not saved."""


def _check_owner(workbook: Workbook, user: User) -> None:
    if workbook.owner_id != user.pk:
        raise PermissionDenied


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """What the checks need to know about one node of the tree."""

    unit: str
    time_additive: bool
    may_be_negative: bool


def _engine(workbook: Workbook) -> kpi.Workbook:
    try:
        return kpi.workbook_from_data(workbook.document)
    except kpi.WorkbookError as err:
        raise ValidationError(
            _("The tree has a problem to fix first: %(reason)s") % {"reason": str(err)}
        ) from None


def node_facts(engine: kpi.Workbook, key: str) -> NodeFacts:
    tree, library = engine.tree, engine.library
    if key not in tree.nodes:
        raise ValidationError(
            _("There is no metric “%(key)s” in this tree.") % {"key": key}
        )
    node = tree.nodes[key]
    unit = node_unit(tree, key, library).value
    definition = ""
    if node.metric and node.metric in library:
        definition = library[node.metric].formula or ""
    negative = (
        any(c.sign < 0 for c in node.children)
        or "-" in (node.formula or "")
        or "-" in definition
    )
    return NodeFacts(unit, is_time_additive(tree, key, library), negative)


def target_value_problem(facts: NodeFacts, value: Decimal) -> str | None:
    """Why ``value`` (stored units: percent as a fraction) is not a possible target."""
    if not value.is_finite():
        return _("Type a number.")
    if facts.unit == "percent" and not (0 <= value <= 1):
        return _("A percentage target must be between 0 and 100 percent.")
    if value < 0 and not (facts.unit == "money" and facts.may_be_negative):
        return _("This target cannot be negative.")
    if facts.unit == "count" and value != value.to_integral_value():
        return _("This metric counts things: type a whole number.")
    return None


def _decimals(facts: NodeFacts) -> int:
    return {"count": 0, "money": 2}.get(facts.unit, 6)


def _write(
    *,
    workbook: Workbook,
    user: User,
    node_key: str,
    period: str,
    segment: str,
    value: Decimal | None,
    source: str,
    existing: TargetValue | None,
) -> TargetValue | None:
    old = existing.value if existing is not None else None
    if value is None:
        if existing is None:
            return None
        existing.delete()
        result = None
    elif existing is None:
        result = TargetValue.objects.create(
            workbook=workbook,
            node_key=node_key,
            period=period,
            segment=segment,
            value=value,
            updated_by=user,
        )
    else:
        if existing.value == value:
            return existing
        existing.value, existing.version = value, existing.version + 1
        existing.updated_by = user
        existing.save(update_fields=["value", "version", "updated_by", "updated_at"])
        result = existing
    TargetChange.objects.create(
        workbook=workbook,
        node_key=node_key,
        period=period,
        segment=segment,
        old_value=old,
        new_value=value,
        source=TargetSource.DELETE if value is None else source,
        changed_by=user,
    )
    return result


def _period_label(workbook: Workbook, period: str) -> kpi.Period:
    try:
        return kpi.parse_period(period, workbook.fiscal_year_start_month)
    except kpi.PeriodError:
        raise ValidationError(
            _("“%(period)s” is not a period.") % {"period": period}
        ) from None


def _conflict(current: TargetValue | None) -> TargetConflict:
    if current is None:
        return TargetConflict(
            _(
                "Someone removed this target after you opened the page. "
                "Your value was not saved; reload to see the targets as they are now."
            ),
            code="conflict",
        )
    who = current.updated_by.display_name if current.updated_by else "?"
    return TargetConflict(
        _(
            "This target was changed to %(value)s by %(who)s after you opened the "
            "page. Your value was not saved; reload to see it, then type yours again."
        )
        % {"value": f"{current.value.normalize():f}", "who": who},
        code="conflict",
    )


@transaction.atomic
def target_set(
    *,
    workbook: Workbook,
    user: User,
    node_key: str,
    period: str,
    segment: Mapping[str, str] | None = None,
    value: Decimal | None,
    expected_version: int,
    source: str = TargetSource.MANUAL,
) -> TargetValue | None:
    """Set (or with ``value=None`` remove) one target cell.

    ``expected_version`` is the version the user saw (0: no target yet); if the cell
    has moved on since, nothing is written and ``TargetConflict`` says what it is now.
    """
    _check_owner(workbook, user)
    facts = node_facts(_engine(workbook), node_key)
    label = _period_label(workbook, period).label
    if value is not None:
        problem = target_value_problem(facts, value)
        if problem:
            raise ValidationError(problem, code="invalid")
    seg = segment_key(segment)
    current = (
        TargetValue.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(workbook=workbook, node_key=node_key, period=label, segment=seg)
        .first()
    )
    if (current.version if current else 0) != expected_version:
        raise _conflict(current)
    try:
        with transaction.atomic():
            return _write(
                workbook=workbook,
                user=user,
                node_key=node_key,
                period=label,
                segment=seg,
                value=value,
                source=source,
                existing=current,
            )
    except IntegrityError:  # another tab created the cell a moment ago
        raise _conflict(
            TargetValue.objects.select_related("updated_by")
            .filter(workbook=workbook, node_key=node_key, period=label, segment=seg)
            .first()
        ) from None


def target_delete(
    *,
    workbook: Workbook,
    user: User,
    node_key: str,
    period: str,
    segment: Mapping[str, str] | None = None,
    expected_version: int,
) -> None:
    target_set(
        workbook=workbook,
        user=user,
        node_key=node_key,
        period=period,
        segment=segment,
        value=None,
        expected_version=expected_version,
    )


def _write_many(
    *,
    workbook: Workbook,
    user: User,
    segment: str,
    values: Mapping[tuple[str, str], Decimal],
    source: str,
) -> list[TargetValue]:
    keys = {node for node, _period in values}
    periods = {period for _node, period in values}
    existing = {
        (t.node_key, t.period): t
        for t in TargetValue.objects.select_for_update().filter(
            workbook=workbook, segment=segment, node_key__in=keys, period__in=periods
        )
    }
    written = []
    for (node, period), value in values.items():
        result = _write(
            workbook=workbook,
            user=user,
            node_key=node,
            period=period,
            segment=segment,
            value=value,
            source=source,
            existing=existing.get((node, period)),
        )
        if result is not None:
            written.append(result)
    return written


def _current_value(
    workbook: Workbook, node_key: str, period: kpi.Period, segment: str
) -> Decimal:
    row = TargetValue.objects.filter(
        workbook=workbook, node_key=node_key, period=period.label, segment=segment
    ).first()
    if row is None:
        raise ValidationError(
            _("Set a target for %(period)s first, then split it.")
            % {"period": period.label}
        )
    return row.value


def _as_decimal(value: float, decimals: int) -> Decimal:
    return Decimal(str(round(value, decimals)))


def last_year_by_month(
    *, workbook: Workbook, engine: kpi.Workbook, node_key: str, period: kpi.Period
) -> dict[str, float]:
    """The node's actuals in each month of the same period last year."""
    last = period.last_year()
    months = last.subperiods(kpi.Grain.MONTH)
    facts = facts_frame(workbook, start=last.start, end=last.end)
    if facts.empty:
        return {}
    cube = kpi.prepare_cube(
        engine.tree,
        engine.library,
        facts,
        months,
        fx_rates=fx_frame(workbook),
        reporting_currency=workbook.reporting_currency,
    )
    return {
        p.label: v
        for p, v in kpi.node_trend(engine.tree, engine.library, cube, node_key)
        if v is not None
    }


@transaction.atomic
def target_allocate_periods(
    *,
    workbook: Workbook,
    user: User,
    node_key: str,
    period: str,
    segment: Mapping[str, str] | None = None,
    method: str,
    weights: Sequence[float] | None = None,
) -> list[TargetValue]:
    """Split a year's or quarter's target over its months (and a year's quarters as
    the sum of their months). Rates and ratios are copied, not split."""
    _check_owner(workbook, user)
    engine = _engine(workbook)
    facts = node_facts(engine, node_key)
    whole = _period_label(workbook, period)
    if whole.grain not in (kpi.Grain.YEAR, kpi.Grain.QUARTER):
        raise ValidationError(_("Only a year or a quarter can be split into months."))
    seg = segment_key(segment)
    total = float(_current_value(workbook, node_key, whole, seg))
    months = whole.subperiods(kpi.Grain.MONTH)
    labels = [m.label for m in months]
    decimals = _decimals(facts)
    try:
        if not facts.time_additive:
            split = dict.fromkeys(labels, total)
            source = TargetSource.EVEN
        elif method == TargetSource.EVEN:
            split = kpi.allocate_even(total, labels, decimals)
            source = TargetSource.EVEN
        elif method == TargetSource.WEIGHTS:
            if not weights or len(weights) != len(labels):
                raise ValidationError(
                    _("Give one weight per month (%(count)s numbers).")
                    % {"count": len(labels)}
                )
            split = kpi.allocate_weights(
                total, dict(zip(labels, weights, strict=True)), decimals
            )
            source = TargetSource.WEIGHTS
        elif method == TargetSource.SEASONALITY:
            history = last_year_by_month(
                workbook=workbook, engine=engine, node_key=node_key, period=whole
            )
            if not history:
                raise ValidationError(
                    _("There is no data for last year to take the seasonality from.")
                )
            split = kpi.allocate_seasonality(
                total, whole, history, kpi.Grain.MONTH, decimals
            )
            source = TargetSource.SEASONALITY
        else:
            raise ValidationError(_("Choose how to split the target."))
    except kpi.TargetError as err:
        raise ValidationError(str(err)) from None
    values = {(node_key, label): _as_decimal(v, decimals) for label, v in split.items()}
    for label, value in values.items():
        problem = target_value_problem(facts, value)
        if problem:
            raise ValidationError(f"{label[1]}: {problem}")
    if whole.grain is kpi.Grain.YEAR:
        for quarter in whole.subperiods(kpi.Grain.QUARTER):
            parts = [
                values[(node_key, m.label)] for m in quarter.subperiods(kpi.Grain.MONTH)
            ]
            values[(node_key, quarter.label)] = (
                sum(parts, Decimal(0)) if facts.time_additive else parts[0]
            )
    return _write_many(
        workbook=workbook, user=user, segment=seg, values=values, source=source
    )


@transaction.atomic
def target_allocate_children(
    *,
    workbook: Workbook,
    user: User,
    node_key: str,
    period: str,
    segment: Mapping[str, str] | None = None,
    method: str,
    weights: Sequence[float] | None = None,
) -> list[TargetValue]:
    """Split an additive node's target over its children (evenly or by weights)."""
    _check_owner(workbook, user)
    engine = _engine(workbook)
    node_facts(engine, node_key)
    node = engine.tree.nodes[node_key]
    if node.decomposition is not kpi.Decomposition.ADDITIVE:
        raise ValidationError(_("Only a sum of its children can be split over them."))
    if any(c.sign < 0 for c in node.children):
        raise ValidationError(
            _(
                "This metric subtracts some of its children; set their targets one by one."
            )
        )
    whole = _period_label(workbook, period)
    seg = segment_key(segment)
    total = float(_current_value(workbook, node_key, whole, seg))
    keys = list(node.child_keys)
    child_facts = {k: node_facts(engine, k) for k in keys}
    decimals = min(_decimals(f) for f in child_facts.values())
    try:
        if method == TargetSource.EVEN:
            split = kpi.allocate_even(total, keys, decimals)
            source = TargetSource.EVEN
        elif method == TargetSource.WEIGHTS:
            if not weights or len(weights) != len(keys):
                raise ValidationError(
                    _("Give one weight per child (%(count)s numbers).")
                    % {"count": len(keys)}
                )
            split = kpi.allocate_weights(
                total, dict(zip(keys, weights, strict=True)), decimals
            )
            source = TargetSource.WEIGHTS
        else:
            raise ValidationError(_("Choose how to split the target."))
    except kpi.TargetError as err:
        raise ValidationError(str(err)) from None
    values = {(k, whole.label): _as_decimal(v, decimals) for k, v in split.items()}
    for (key, _label), value in values.items():
        problem = target_value_problem(child_facts[key], value)
        if problem:
            raise ValidationError(f"{key}: {problem}")
    return _write_many(
        workbook=workbook, user=user, segment=seg, values=values, source=source
    )


@transaction.atomic
def target_solve(
    *,
    workbook: Workbook,
    user: User,
    node_key: str,
    free_child: str,
    period: str,
    segment: Mapping[str, str] | None = None,
) -> TargetValue:
    """Set a product's free factor so that the factors multiply to the node's target."""
    _check_owner(workbook, user)
    engine = _engine(workbook)
    whole = _period_label(workbook, period)
    seg = segment_key(segment)
    book = target_book(workbook)
    try:
        value = kpi.solve_factor_target(
            engine.tree,
            node_key,
            free_child,
            book,
            engine.library,
            whole,
            tuple(sorted(segment_from_key(seg).items())),
        )
    except kpi.TargetError as err:
        raise ValidationError(str(err)) from None
    facts = node_facts(engine, free_child)
    decimal = _as_decimal(value, 6)
    problem = target_value_problem(facts, decimal)
    if problem:
        raise ValidationError(
            _("The other targets give %(child)s = %(value)s: %(problem)s")
            % {
                "child": free_child,
                "value": f"{decimal.normalize():f}",
                "problem": problem,
            }
        )
    written = _write_many(
        workbook=workbook,
        user=user,
        segment=seg,
        values={(free_child, whole.label): decimal},
        source=TargetSource.SOLVE,
    )
    return written[0]
