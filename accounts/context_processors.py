from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from accounts import inbox
from accounts.navigation import navigation_for
from accounts.selectors import user_roles


def navigation(request: HttpRequest) -> dict[str, object]:
    roles = user_roles(getattr(request, "user", None))
    return {"roles": roles, "nav_items": navigation_for(roles, request.path)}


class NotificationBadge:
    """The bell's unread count, counted only if a template shows it (one query)."""

    def __init__(self, user: object) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        if not getattr(self._user, "is_authenticated", False):
            return 0
        return inbox.unread_count(self._user)

    @property
    def label(self) -> str:
        limit = inbox.UNREAD_BADGE_LIMIT
        return f"{limit}+" if self.count > limit else str(self.count)


def notifications(request: HttpRequest) -> dict[str, object]:
    return {"notification_badge": NotificationBadge(getattr(request, "user", None))}
