"""The home panel: the diagnosis before the first session, surveys waiting."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.home import HomePanel
from cohorts.feedback import selectors


def pending_feedback_panel(request: HttpRequest) -> HomePanel | None:
    user = request.user
    if not user.is_authenticated:
        return None
    pending = selectors.pending_for(user=user)
    if not pending:
        return None
    return HomePanel(
        template="feedback/home_pending.html",
        context={"pending": pending},
        order=15,
    )
