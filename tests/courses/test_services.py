from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses import services
from courses.models import ChecklistTicks, LessonProgress, QuizAnswer
from courses.selectors import course_outline
from tests.courses.conftest import CourseTree
from tests.factories.accounts import UserFactory
from tests.factories.courses import LessonPageFactory, quiz_block

pytestmark = pytest.mark.django_db


def _quiz_id(lesson) -> str:  # type: ignore[no-untyped-def]
    return next(child.id for child in lesson.body if child.block_type == "quiz")


def test_mark_done_is_idempotent_and_can_be_undone(tree: CourseTree, trainee) -> None:  # type: ignore[no-untyped-def]
    lesson = tree.lessons[1]
    first = services.lesson_mark_done(user=trainee, lesson=lesson, course=tree.course)
    again = services.lesson_mark_done(user=trainee, lesson=lesson, course=tree.course)
    assert first.completed_at == again.completed_at is not None
    assert first.course_key == tree.course.translation_key
    services.lesson_mark_done(
        user=trainee, lesson=lesson, course=tree.course, done=False
    )
    assert LessonProgress.objects.get(user=trainee).completed_at is None


def test_a_trainee_not_enrolled_cannot_mark_a_lesson(tree: CourseTree) -> None:
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.lesson_mark_done(
            user=outsider, lesson=tree.lessons[1], course=tree.course
        )
    assert not LessonProgress.objects.exists()


def test_answering_the_last_quiz_marks_the_lesson_done(
    tree: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    lesson = LessonPageFactory(
        parent=tree.modules[0],
        body=[
            quiz_block(block_id="q1"),
            quiz_block(kind="multiple", correct=(0, 2), block_id="q2"),
        ],
    )
    wrong = services.quiz_answer_submit(
        user=trainee, lesson=lesson, course=tree.course, block_id="q1", choices=[0]
    )
    assert wrong.is_correct is False
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
    right = services.quiz_answer_submit(
        user=trainee, lesson=lesson, course=tree.course, block_id="q2", choices=[2, 0]
    )
    assert right.is_correct is True and right.choices == [0, 2]
    progress = LessonProgress.objects.get(
        user=trainee, lesson_key=lesson.translation_key
    )
    assert progress.completed_at is not None
    # Answering again keeps one row per question.
    services.quiz_answer_submit(
        user=trainee, lesson=lesson, course=tree.course, block_id="q1", choices=[1]
    )
    assert QuizAnswer.objects.filter(user=trainee).count() == 2
    assert QuizAnswer.objects.get(block_id="q1").is_correct is True


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([], "Choose an answer first."),
        ([7], "not one of the options"),
        ([0, 1], "Choose one answer."),
    ],
)
def test_bad_quiz_answers_are_refused(
    tree: CourseTree, trainee, choices, message
) -> None:  # type: ignore[no-untyped-def]
    lesson = tree.lessons[1]
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.quiz_answer_submit(
            user=trainee,
            lesson=lesson,
            course=tree.course,
            block_id=_quiz_id(lesson),
            choices=choices,
        )
    assert message in error.value.messages[0]
    assert not QuizAnswer.objects.exists()


def test_unknown_block_is_refused(tree: CourseTree, trainee) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.quiz_answer_submit(
            user=trainee,
            lesson=tree.lessons[1],
            course=tree.course,
            block_id="nope",
            choices=[1],
        )


def test_checklist_ticks_are_saved_per_trainee_and_clipped(
    tree: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    lesson = tree.lessons[1]
    block_id = next(c.id for c in lesson.body if c.block_type == "checklist")
    services.checklist_tick(
        user=trainee,
        lesson=lesson,
        course=tree.course,
        block_id=block_id,
        ticked=[2, 0, 9, 0],
    )
    assert ChecklistTicks.objects.get(user=trainee).ticked == [0, 2]
    services.checklist_tick(
        user=trainee, lesson=lesson, course=tree.course, block_id=block_id, ticked=[]
    )
    assert ChecklistTicks.objects.get(user=trainee).ticked == []


def test_progress_survives_content_edits_and_new_lessons(
    tree: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    for lesson in tree.lessons:
        services.lesson_mark_done(user=trainee, lesson=lesson, course=tree.course)
    outline = course_outline(course=tree.course, user=trainee)
    assert (outline.done_count, outline.total, outline.percent) == (3, 3, 100)

    edited = tree.lessons[1]
    edited.title = "改过的标题"
    edited.body = [{"type": "paragraph", "value": "<p>新内容</p>"}]
    edited.save_revision().publish()
    LessonPageFactory(parent=tree.modules[1])

    outline = course_outline(course=tree.course, user=trainee)
    assert (outline.done_count, outline.total) == (3, 4)
    assert [e.is_done for e in outline.lessons] == [True, True, True, False]
    assert outline.next_lesson is not None and outline.next_lesson.number == 4
