"""Trainee actions on a lesson: mark done, answer a quiz, tick a checklist.

Pages themselves are served by Wagtail; these views take the POSTs. Each answers
htmx with the fragment to swap, and without JavaScript redirects back to the lesson.
Anything the user may not read answers 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from courses import selectors, services
from courses.models import CoursePage, LessonPage


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """A stable address for the catalogue (navigation), whatever its page slug."""
    index = selectors.catalogue_page()
    if index is None:
        raise Http404
    return redirect(index.url)


def _lesson(lesson_id: int) -> tuple[LessonPage, CoursePage]:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    return lesson, selectors.course_for_page(page=lesson)


def _int_list(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.strip().isdigit()]


def _progress_update(request: HttpRequest, lesson: LessonPage) -> str:
    reading = selectors.lesson_reading(lesson=lesson, user=request.user)
    response = render(
        request,
        "courses/lesson_page.html#progress_update",
        {"page": lesson, "reading": reading, "oob": True},
    )
    return response.content.decode()


@require_POST
def lesson_done(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson, course = _lesson(lesson_id)
    try:
        services.lesson_mark_done(
            user=request.user,
            lesson=lesson,
            course=course,
            done=request.POST.get("done", "1") != "0",
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    if not request.htmx:  # type: ignore[attr-defined]
        return HttpResponseRedirect(lesson.url + "#lesson-done")
    return HttpResponse(_progress_update(request, lesson))


def _render_block(request: HttpRequest, lesson: LessonPage, block_id: str) -> str:
    answers, ticks = selectors.block_states(user=request.user, lesson=lesson)
    for part in selectors.body_parts(lesson.body, answers, ticks):
        if part.block.id == block_id:
            return part.block.render(
                context={
                    "page": lesson,
                    "request": request,
                    "user": request.user,
                    "state": part.state,
                    "block_id": block_id,
                    "csrf_token": get_token(request),
                }
            )
    raise Http404


@require_POST
def quiz_answer(request: HttpRequest, lesson_id: int, block_id: str) -> HttpResponse:
    lesson, course = _lesson(lesson_id)
    error = ""
    try:
        services.quiz_answer_submit(
            user=request.user,
            lesson=lesson,
            course=course,
            block_id=block_id,
            choices=_int_list(request.POST.getlist("choice")),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        error = exc.messages[0]
    if not request.htmx:  # type: ignore[attr-defined]
        return HttpResponseRedirect(f"{lesson.url}#block-{block_id}")
    html = _render_block(request, lesson, block_id)
    if error:
        html = html.replace(
            "<!--quiz-error-->",
            str(format_html('<p class="field-error" role="alert">{}</p>', error)),
            1,
        )
    return HttpResponse(html + _progress_update(request, lesson))


@require_POST
def checklist_tick(request: HttpRequest, lesson_id: int, block_id: str) -> HttpResponse:
    lesson, course = _lesson(lesson_id)
    try:
        services.checklist_tick(
            user=request.user,
            lesson=lesson,
            course=course,
            block_id=block_id,
            ticked=_int_list(request.POST.getlist("item")),
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    if not request.htmx:  # type: ignore[attr-defined]
        return HttpResponseRedirect(f"{lesson.url}#block-{block_id}")
    return HttpResponse(_render_block(request, lesson, block_id))
