"""Navigation entries and home panels the homework part registers at start-up."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.home import HomePanel, register_home_panel
from accounts.navigation import NAV_ITEMS, NavItem
from cohorts.coaching.homework import queue, selectors


def trainee_homework_panel(request: HttpRequest) -> HomePanel | None:
    """Homework to hand in and homework returned for revision; hidden when neither."""
    user = request.user
    if not user.is_authenticated:
        return None
    homework = selectors.homework_for_trainee_home(user)
    if not homework.due and not homework.returned:
        return None
    return HomePanel(
        template="coaching/homework/home_trainee.html",
        context={"homework": homework, "now": timezone.now()},
        order=25,
    )


def coach_reviews_panel(request: HttpRequest) -> HomePanel | None:
    user = request.user
    if not user.is_authenticated or not (user.is_coach or user.is_staff):
        return None
    return HomePanel(
        template="coaching/homework/home_coach.html",
        context={"pending": queue.pending_count_for(user)},
        order=12,
    )


def register() -> None:
    """Called once from CoachingConfig.ready()."""
    if not any(item.url_name == "coaching:review_queue" for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(_("Review queue"), "coaching:review_queue", "coach"))
    register_home_panel(trainee_homework_panel)
    register_home_panel(coach_reviews_panel)
