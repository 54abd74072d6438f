from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision

from courses.models import CourseModulePage, CoursePage, LessonPage

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_bilingual_course_once() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Page.objects.count(), Revision.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (Page.objects.count(), Revision.objects.count()) == counts

    course = CoursePage.objects.get(
        slug="kpi-management", locale__language_code="zh-hans"
    )
    english = course.get_translation_or_none(course.get_translations().get().locale)
    assert english.title == "KPI Management for Cross-border E-commerce Teams"
    for page in (course, english):
        modules = CourseModulePage.objects.child_of(page).live()
        lessons = LessonPage.objects.descendant_of(page).live()
        assert modules.count() == 3
        assert lessons.count() >= 6
        assert all(
            lesson.get_parent().specific_class is CourseModulePage for lesson in lessons
        )
        types = [child.block_type for lesson in lessons for child in lesson.body]
        assert {"quiz", "downloads", "video", "checklist", "callout"} <= set(types)
        assert all(len({c.block_type for c in lesson.body}) >= 3 for lesson in lessons)
    zh_ids = [
        c.id for lesson in LessonPage.objects.descendant_of(course) for c in lesson.body
    ]
    en_ids = [
        c.id
        for lesson in LessonPage.objects.descendant_of(english)
        for c in lesson.body
    ]
    assert zh_ids == en_ids  # answers and ticks follow the block across languages


def test_demo_course_is_served_to_visitors(client) -> None:  # type: ignore[no-untyped-def]
    call_command("seed_demo", stdout=io.StringIO())
    assert client.get("/courses/").status_code == 200
    assert client.get("/courses/kpi-management/").status_code == 200
    assert client.get("/courses/kpi-management/targets/why-kpis/").status_code == 200
    assert client.get("/courses/kpi-management/design/three-levels/").status_code == 403
