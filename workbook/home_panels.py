"""The trainee's open action items on the signed-in home page (accounts.home).

Register from `WorkbookConfig.ready()`:
    from accounts.home import register_home_panel
    from workbook.home_panels import action_items_panel
    register_home_panel(action_items_panel)
"""

from __future__ import annotations

from django.http import HttpRequest

from accounts.home import HomePanel
from workbook.reviews import open_action_items_for


def action_items_panel(request: HttpRequest) -> HomePanel | None:
    user = request.user
    if not user.is_authenticated:
        return None
    items = open_action_items_for(user)
    if not items:
        return None
    return HomePanel(
        template="workbook/insight/home_action_items.html",
        context={"items": items},
        order=30,
    )
