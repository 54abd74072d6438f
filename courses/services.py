"""Writes: a trainee's progress, quiz answers and checklist ticks.

Each service checks that the user may read the lesson; callers turn
`PermissionDenied` into a 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import (
    ChecklistTicks,
    CoursePage,
    LessonPage,
    LessonProgress,
    QuizAnswer,
)
from courses.selectors import user_can_read_lesson

if TYPE_CHECKING:
    from accounts.models import User


def _check(user: User, lesson: LessonPage, course: CoursePage) -> None:
    if not user.is_authenticated or not user_can_read_lesson(
        user=user, lesson=lesson, course=course
    ):
        raise PermissionDenied


def lesson_progress_start(
    *, user: User, lesson: LessonPage, course: CoursePage
) -> LessonProgress:
    """Record that the trainee opened the lesson (for "lessons in progress")."""
    _check(user, lesson, course)
    progress, _created = LessonProgress.objects.get_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={"course_key": course.translation_key},
    )
    return progress


def lesson_mark_done(
    *, user: User, lesson: LessonPage, course: CoursePage, done: bool = True
) -> LessonProgress:
    _check(user, lesson, course)
    progress, _created = LessonProgress.objects.get_or_create(
        user=user,
        lesson_key=lesson.translation_key,
        defaults={"course_key": course.translation_key},
    )
    completed_at = (progress.completed_at or timezone.now()) if done else None
    if progress.completed_at != completed_at:
        progress.completed_at = completed_at
        progress.save(update_fields=["completed_at"])
    return progress


def _block(lesson: LessonPage, block_id: str, block_type: str):  # type: ignore[no-untyped-def]
    for child in lesson.body:
        if child.id == block_id and child.block_type == block_type:
            return child
    raise PermissionDenied


@transaction.atomic
def quiz_answer_submit(
    *,
    user: User,
    lesson: LessonPage,
    course: CoursePage,
    block_id: str,
    choices: Sequence[int],
) -> QuizAnswer:
    """Save the trainee's answer; answering the lesson's last quiz marks it done."""
    _check(user, lesson, course)
    quiz = _block(lesson, block_id, "quiz").value
    options = list(quiz["options"])
    chosen = sorted(set(choices))
    if not chosen:
        raise ValidationError(_("Choose an answer first."))
    if any(index < 0 or index >= len(options) for index in chosen):
        raise ValidationError(_("That answer is not one of the options."))
    if quiz["kind"] == "single" and len(chosen) > 1:
        raise ValidationError(_("Choose one answer."))
    correct = [index for index, option in enumerate(options) if option["is_correct"]]
    answer, _created = QuizAnswer.objects.update_or_create(
        user=user,
        block_id=block_id,
        defaults={
            "lesson_key": lesson.translation_key,
            "choices": chosen,
            "is_correct": chosen == correct,
        },
    )
    quiz_ids = {child.id for child in lesson.body if child.block_type == "quiz"}
    answered = set(
        QuizAnswer.objects.filter(user=user, block_id__in=quiz_ids).values_list(
            "block_id", flat=True
        )
    )
    if answered == quiz_ids:
        lesson_mark_done(user=user, lesson=lesson, course=course)
    return answer


def checklist_tick(
    *,
    user: User,
    lesson: LessonPage,
    course: CoursePage,
    block_id: str,
    ticked: Sequence[int],
) -> ChecklistTicks:
    _check(user, lesson, course)
    checklist = _block(lesson, block_id, "checklist").value
    size = len(checklist["items"])
    row, _created = ChecklistTicks.objects.update_or_create(
        user=user,
        block_id=block_id,
        defaults={
            "lesson_key": lesson.translation_key,
            "ticked": sorted({index for index in ticked if 0 <= index < size}),
        },
    )
    return row
