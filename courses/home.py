"""The trainee home's course panel: courses in progress and where to continue."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.home import HomePanel
from courses.selectors import courses_in_progress


def course_progress_panel(request: HttpRequest) -> HomePanel | None:
    outlines = courses_in_progress(user=request.user)
    if not outlines:
        return None
    return HomePanel(
        template="courses/home_progress_panel.html",
        context={"outlines": outlines},
        order=30,
    )
