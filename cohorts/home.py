"""Panels cohorts adds to the signed-in home page (accounts.home)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.home import HomePanel
from cohorts import selectors


def trainee_cohorts_panel(request: HttpRequest) -> HomePanel | None:
    user = request.user
    if not user.is_authenticated:
        return None
    cards = [c for c in selectors.cohorts_for_user(user=user) if c.status]
    if not cards and user.is_coach:
        return None
    return HomePanel(
        template="cohorts/home_trainee.html",
        context={
            "cards": cards,
            "next_session": selectors.next_session_for_trainee(user=user),
            "replies": selectors.recent_replies_for(user=user),
        },
        order=20,
    )


def coach_panel(request: HttpRequest) -> HomePanel | None:
    user = request.user
    if not user.is_authenticated or not user.is_coach:
        return None
    cards = [c for c in selectors.cohorts_for_user(user=user) if c.is_coach]
    return HomePanel(
        template="cohorts/home_coach.html",
        context={
            "cards": cards,
            "today": selectors.sessions_today_for_coach(user=user),
            "to_take": selectors.sessions_missing_attendance(user=user),
        },
        order=10,
        wide=True,
    )
