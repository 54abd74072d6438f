"""Navigation entries this part registers at start-up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NAV_ITEMS, NavItem


def _add_nav(item: NavItem) -> None:
    if not any(existing.url_name == item.url_name for existing in NAV_ITEMS):
        NAV_ITEMS.append(item)


def register() -> None:
    """Called once from CoachingConfig.ready()."""
    _add_nav(NavItem(_("My team"), "coaching:champion_team", "champion"))
    _add_nav(NavItem(_("Re-training log"), "coaching:retraining_index", "org_admin"))
