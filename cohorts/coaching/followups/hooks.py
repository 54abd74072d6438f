"""Navigation entries and home panels this part registers at start-up."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.home import HomePanel, register_home_panel
from accounts.navigation import NAV_ITEMS, NavItem


def next_follow_up_panel(request: HttpRequest) -> HomePanel | None:
    """A trainee's next 1:1 follow-up (one query; nothing when none is booked)."""
    from cohorts.coaching.followups.selectors import next_follow_up_for_trainee

    user = request.user
    if not user.is_authenticated:
        return None
    follow_up = next_follow_up_for_trainee(user=user)
    if follow_up is None:
        return None
    return HomePanel(
        template="coaching/followups/home_next_follow_up.html",
        context={"follow_up": follow_up},
        order=25,
    )


def _add_nav(item: NavItem) -> None:
    if not any(existing.url_name == item.url_name for existing in NAV_ITEMS):
        NAV_ITEMS.append(item)


def register() -> None:
    """Called once from CoachingConfig.ready()."""
    _add_nav(NavItem(_("My follow-ups"), "coaching:my_follow_ups", "trainee"))
    _add_nav(NavItem(_("My trainees"), "coaching:coach_trainees", "coach"))
    register_home_panel(next_follow_up_panel)
