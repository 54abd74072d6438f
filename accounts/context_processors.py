from __future__ import annotations

from django.http import HttpRequest

from accounts.navigation import navigation_for
from accounts.selectors import user_roles


def navigation(request: HttpRequest) -> dict[str, object]:
    roles = user_roles(getattr(request, "user", None))
    return {"roles": roles, "nav_items": navigation_for(roles, request.path)}
