"""`{% snapshot_rows snapshot as view %}`: the frozen tree of a snapshot for pages of
other apps (the coach's homework review) that include a workbook template by name."""

from __future__ import annotations

from django import template

from workbook.models import Snapshot
from workbook.selectors_build import SnapshotView, snapshot_view

register = template.Library()


@register.simple_tag
def snapshot_rows(snapshot: Snapshot | None) -> SnapshotView | None:
    if snapshot is None:
        return None
    return snapshot_view(snapshot)


@register.filter
def comment_for(comments: dict[str, str] | None, key: str) -> str:
    return (comments or {}).get(key, "")
