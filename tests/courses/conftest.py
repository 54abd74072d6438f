from __future__ import annotations

from dataclasses import dataclass

import pytest

from courses.models import CourseIndexPage, CourseModulePage, CoursePage, LessonPage
from tests.factories.cohorts import CohortFactory, EnrolmentFactory
from tests.factories.courses import (
    CourseIndexPageFactory,
    CourseModulePageFactory,
    CoursePageFactory,
    LessonPageFactory,
)


@dataclass
class CourseTree:
    index: CourseIndexPage
    course: CoursePage
    modules: list[CourseModulePage]
    lessons: list[LessonPage]


def build_course(lesson_count: int = 3, modules: int = 2) -> CourseTree:
    index = CourseIndexPage.objects.first() or CourseIndexPageFactory()
    course = CoursePageFactory(parent=index)
    module_pages = [CourseModulePageFactory(parent=course) for _ in range(modules)]
    lessons = []
    for number in range(lesson_count):
        parent = module_pages[number * modules // lesson_count] if modules else course
        lessons.append(
            LessonPageFactory(
                parent=parent, is_preview=number == 0, duration_minutes=10
            )
        )
    return CourseTree(index, course, module_pages, lessons)


@pytest.fixture
def tree(db) -> CourseTree:  # type: ignore[no-untyped-def]
    return build_course()


@pytest.fixture
def trainee(tree: CourseTree):  # type: ignore[no-untyped-def]
    return EnrolmentFactory(cohort=CohortFactory(course=tree.course)).user
