"""Panels admissions adds to the signed-in home page (accounts.home)."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.home import HomePanel
from cohorts.admissions import selectors


def applicant_panel(request: HttpRequest) -> HomePanel | None:
    """Applications of the user still waiting for a decision; nothing otherwise."""
    user = request.user
    if not user.is_authenticated:
        return None
    pending = selectors.pending_applications_of(user=user)
    if not pending:
        return None
    return HomePanel(
        template="admissions/home_applicant.html",
        context={"applications": pending},
        order=15,
    )


def reviewer_panel(request: HttpRequest) -> HomePanel | None:
    """How many people wait for the reviewer's decision (staff and coaches)."""
    user = request.user
    if not user.is_authenticated or not (user.is_staff or user.is_coach):
        return None
    waiting = selectors.pending_review_count(user=user)
    if not waiting:
        return None
    return HomePanel(
        template="admissions/home_reviewer.html",
        context={"waiting": waiting},
        order=12,
    )
