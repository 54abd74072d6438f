"""The workbook's tabs, in order. A tab whose URL does not exist yet is not shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Tab:
    key: str
    label: str | Promise
    url_name: str


TABS = [
    Tab("overview", _("Overview"), "workbook:detail"),
    Tab("dashboard", _("Dashboard"), "workbook:dashboard"),
    Tab("tree", _("Metric tree"), "workbook:tree"),
    Tab("targets", _("Targets"), "workbook:targets"),
    Tab("review", _("Weekly review"), "workbook:reviews"),
    Tab("data", _("Data"), "workbook:data"),
    Tab("snapshots", _("Snapshots and sharing"), "workbook:snapshots"),
    Tab("exports", _("Exports"), "workbook:exports"),
]


def tabs_for(workbook_pk: int, active: str) -> list[dict[str, object]]:
    shown = []
    for tab in TABS:
        try:
            url = reverse(tab.url_name, args=[workbook_pk])
        except NoReverseMatch:
            continue
        shown.append({"label": tab.label, "url": url, "active": tab.key == active})
    return shown
