"""Wagtail registration, and the lesson access check before Wagtail serves a page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses import selectors, services
from courses.models import LessonPage, LessonVideo

register_snippet(LessonVideo)


@hooks.register("before_serve_page")
def lesson_access(
    page: Any, request: HttpRequest, serve_args: Any, serve_kwargs: Any
) -> HttpResponse | None:
    """Lessons not marked preview are for the course's trainees, coaches and staff.

    Everyone else gets a page that says how to enrol (status 403), not a 404 or a
    login loop; a signed-in reader's visit is recorded as "in progress".
    """
    if not isinstance(page, LessonPage):
        return None
    course = selectors.course_for_page(page=page)
    user = request.user
    if not selectors.user_can_read_lesson(user=user, lesson=page, course=course):
        overview = selectors.course_overview(course=course, user=user)
        return TemplateResponse(
            request,
            "courses/lesson_locked.html",
            {"page": page, "course": course, "overview": overview},
            status=403,
        )
    if user.is_authenticated:
        services.lesson_progress_start(user=user, lesson=page, course=course)
    return None
