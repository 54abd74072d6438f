"""The site's navigation, chosen by the roles a user holds.

Apps append their own entries here as they land; an entry names a URL and the role
that sees it, so the base layout never hard-codes links.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.selectors import Roles


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str | Promise
    url_name: str
    role: str  # "anyone", "trainee", "coach", "org_admin", "champion", "staff"; "a|b" = either


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home", "anyone"),
    NavItem(_("Background jobs"), "jobs_status", "staff"),
    NavItem(_("Content admin"), "wagtailadmin_home", "staff"),
]


def _has_role(roles: Roles, role: str) -> bool:
    if "|" in role:
        return any(_has_role(roles, one) for one in role.split("|"))
    return {
        "anyone": True,
        "trainee": roles.is_trainee,
        "coach": roles.is_coach or roles.is_staff,
        "org_admin": roles.is_org_admin,
        "champion": roles.is_champion,
        "staff": roles.is_staff,
    }[role]


# The menu's shape: items whose URL is listed here sit in that group's drop-down;
# the rest are top-level links. A group with one visible item shows it top-level.
NAV_GROUPS: dict[str, str | Promise] = {
    "learning": _("My learning"),
    "coaching": _("Coaching"),
    "enterprise": _("Enterprise"),
    "admin": _("Administration"),
}
NAV_GROUP_OF: dict[str, str] = {
    "coaching:my_follow_ups": "learning",
    "certificates:mine": "learning",
    "coaching:review_queue": "coaching",
    "coaching:coach_trainees": "coaching",
    "workbook:shared": "coaching",
    "reporting:index": "enterprise",
    "coaching:champion_team": "enterprise",
    "coaching:retraining_index": "enterprise",
    "admissions:review": "coaching",
    "jobs_status": "admin",
    "wagtailadmin_home": "admin",
}


def _link(item: NavItem, current_path: str) -> dict[str, object] | None:
    try:
        url = reverse(item.url_name)
    except NoReverseMatch:
        return None
    active = current_path == url if url == "/" else current_path.startswith(url)
    return {"label": item.label, "url": url, "active": active}


def navigation_for(roles: Roles, current_path: str) -> list[dict[str, object]]:
    """Top-level links and drop-down groups (`{"label", "links", "active"}`), in order."""
    entries: list[dict[str, object]] = []
    groups: dict[str, dict[str, object]] = {}
    for item in NAV_ITEMS:
        if not _has_role(roles, item.role):
            continue
        link = _link(item, current_path)
        if link is None:
            continue
        group = NAV_GROUP_OF.get(item.url_name)
        if group is None:
            entries.append(link)
            continue
        if group not in groups:
            groups[group] = {"label": NAV_GROUPS[group], "links": [], "active": False}
            entries.append(groups[group])
        groups[group]["links"].append(link)  # type: ignore[attr-defined]
        groups[group]["active"] = groups[group]["active"] or link["active"]
    return [
        entry["links"][0] if len(entry.get("links", ())) == 1 else entry  # type: ignore[index,arg-type]
        for entry in entries
    ]
