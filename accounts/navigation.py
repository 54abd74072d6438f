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


def navigation_for(roles: Roles, current_path: str) -> list[dict[str, object]]:
    items = []
    for item in NAV_ITEMS:
        if not _has_role(roles, item.role):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
