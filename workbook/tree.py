"""Changing a workbook's metric tree (``Workbook.document["tree"]``).

Every change is checked by the engine (``kpi.workbook_from_data``) before it is
saved, so the stored document always loads; a change the engine refuses raises
``ValidationError`` with its message and leaves the workbook as it was.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

import kpi
from accounts.models import User
from workbook.models import TargetChange, TargetValue, Workbook

NODE_FIELDS = (
    "name_zh",
    "name_en",
    "metric",
    "decomposition",
    "formula",
    "level",
    "owner_role",
    "owner_person",
)


def _check_owner(workbook: Workbook, user: User) -> None:
    if workbook.owner_id != user.pk:
        raise PermissionDenied


def _locked(workbook: Workbook) -> Workbook:
    return Workbook.objects.select_for_update().get(pk=workbook.pk)


def _nodes(document: dict[str, Any]) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = document.setdefault("tree", {}).setdefault(
        "nodes", []
    )
    return nodes


def _find(document: dict[str, Any], key: str) -> dict[str, Any]:
    for node in _nodes(document):
        if node["key"] == key:
            return node
    raise ValidationError(
        _("There is no metric “%(key)s” in this tree.") % {"key": key}
    )


def _child_key(child: Any) -> str:
    return child if isinstance(child, str) else str(child["key"])


def _parent_of(document: dict[str, Any], key: str) -> dict[str, Any] | None:
    for node in _nodes(document):
        if key in [_child_key(c) for c in node.get("children", [])]:
            return node
    return None


def subtree_keys(document: dict[str, Any], key: str) -> list[str]:
    """``key`` and every node below it, parents first."""
    by_key = {n["key"]: n for n in _nodes(document)}
    out: list[str] = []
    stack = [key]
    while stack:
        current = stack.pop()
        if current in out or current not in by_key:
            continue
        out.append(current)
        stack.extend(_child_key(c) for c in by_key[current].get("children", []))
    return out


def _apply_fields(node: dict[str, Any], values: dict[str, Any]) -> None:
    for name in ("name_zh", "name_en"):
        if name in values:
            node[name] = values[name] or ""
    if "metric" in values:
        if values["metric"]:
            node["metric"] = values["metric"]
        else:
            node.pop("metric", None)
    if values.get("level"):
        node["level"] = values["level"]
    if values.get("decomposition"):
        node["decomposition"] = values["decomposition"]
    if "formula" in values:
        if values["formula"] and node.get("decomposition") == "formula":
            node["formula"] = values["formula"]
        else:
            node.pop("formula", None)
    if "owner_role" in values or "owner_person" in values:
        owner = {
            k: v
            for k, v in (
                ("role", values.get("owner_role", "")),
                ("person", values.get("owner_person", "")),
            )
            if v
        }
        if owner:
            node["owners"] = [owner]
        else:
            node.pop("owners", None)


def _save(workbook: Workbook, document: dict[str, Any]) -> Workbook:
    try:
        kpi.workbook_from_data(document)
    except kpi.WorkbookError as err:
        raise ValidationError(
            _("The tree cannot be saved like this: %(reason)s") % {"reason": str(err)}
        ) from None
    workbook.document = document
    workbook.save(update_fields=["document", "updated_at"])
    return workbook


@transaction.atomic
def tree_node_add(
    *, workbook: Workbook, user: User, parent_key: str, key: str, values: dict[str, Any]
) -> Workbook:
    """Add a node under ``parent_key``; a leaf parent becomes additive."""
    _check_owner(workbook, user)
    workbook = _locked(workbook)
    document = copy.deepcopy(workbook.document)
    if any(n["key"] == key for n in _nodes(document)):
        raise ValidationError(
            _("The key “%(key)s” is already used in this tree.") % {"key": key}
        )
    parent = _find(document, parent_key)
    node: dict[str, Any] = {"key": key, "decomposition": "none", "core": True}
    _apply_fields(node, values)
    _nodes(document).append(node)
    parent.setdefault("children", []).append(key)
    if parent.get("decomposition", "none") == "none":
        parent["decomposition"] = "additive"
    return _save(workbook, document)


@transaction.atomic
def tree_node_update(
    *, workbook: Workbook, user: User, key: str, values: dict[str, Any]
) -> Workbook:
    _check_owner(workbook, user)
    workbook = _locked(workbook)
    document = copy.deepcopy(workbook.document)
    _apply_fields(_find(document, key), values)
    return _save(workbook, document)


@transaction.atomic
def tree_node_move(
    *, workbook: Workbook, user: User, key: str, parent_key: str
) -> Workbook:
    """Hang ``key`` (with everything below it) under another parent."""
    _check_owner(workbook, user)
    workbook = _locked(workbook)
    document = copy.deepcopy(workbook.document)
    if key == document["tree"]["root"]:
        raise ValidationError(_("The top metric of the tree cannot be moved."))
    if parent_key in subtree_keys(document, key):
        raise ValidationError(
            _("A metric cannot move under itself or one of its own children.")
        )
    new_parent = _find(document, parent_key)
    old_parent = _parent_of(document, key)
    if old_parent is not None:
        _detach(old_parent, key)
    new_parent.setdefault("children", []).append(key)
    if new_parent.get("decomposition", "none") == "none":
        new_parent["decomposition"] = "additive"
    return _save(workbook, document)


def _detach(parent: dict[str, Any], key: str) -> None:
    parent["children"] = [c for c in parent["children"] if _child_key(c) != key]
    if not parent["children"]:
        parent.pop("children")
        parent["decomposition"] = "none"
        parent.pop("formula", None)


@dataclass(frozen=True, slots=True)
class RemovalPlan:
    """What removing a node takes with it, shown before the user confirms."""

    keys: list[str]
    target_count: int
    change_count: int
    problems: list[str] = field(default_factory=list)


def tree_node_removal_plan(*, workbook: Workbook, key: str) -> RemovalPlan:
    document = workbook.document
    _find(document, key)
    keys = subtree_keys(document, key)
    problems = []
    if key == document["tree"]["root"]:
        problems.append(_("The top metric of the tree cannot be removed."))
    return RemovalPlan(
        keys=keys,
        target_count=TargetValue.objects.filter(
            workbook=workbook, node_key__in=keys
        ).count(),
        change_count=TargetChange.objects.filter(
            workbook=workbook, node_key__in=keys
        ).count(),
        problems=problems,
    )


@transaction.atomic
def tree_node_remove(
    *, workbook: Workbook, user: User, key: str, confirmed: bool
) -> list[str]:
    """Remove a node, the nodes below it, and their targets and target history.

    Refused unless ``confirmed``: the history goes with the node for good."""
    _check_owner(workbook, user)
    if not confirmed:
        raise ValidationError(_("Confirm that the targets and their history go too."))
    workbook = _locked(workbook)
    document = copy.deepcopy(workbook.document)
    if key == document["tree"]["root"]:
        raise ValidationError(_("The top metric of the tree cannot be removed."))
    keys = subtree_keys(document, key)
    parent = _parent_of(document, key)
    if parent is not None:
        _detach(parent, key)
    document["tree"]["nodes"] = [n for n in _nodes(document) if n["key"] not in keys]
    _save(workbook, document)
    TargetValue.objects.filter(workbook=workbook, node_key__in=keys).delete()
    TargetChange.objects.filter(workbook=workbook, node_key__in=keys).delete()
    return keys


def formula_problem(
    *, workbook: Workbook, key: str | None, text: str
) -> kpi.FormulaError | None:
    """The first problem of a formula typed for node ``key`` (live validation).

    A formula node computes from its children, so only their keys are allowed;
    a node with no children yet may use the library's metrics."""
    if not text.strip():
        return None
    from workbook.selectors_build import node_units

    library = kpi.load_library()
    names: dict[str, kpi.Unit] | None = None
    if key:
        try:
            node = _find(workbook.document, key)
        except ValidationError:
            node = {}
        children = [_child_key(c) for c in node.get("children", [])]
        if children:
            units = node_units(workbook.document, library)
            names = {c: units[c] for c in children if c in units}
    return library.validate(text, names=names)
