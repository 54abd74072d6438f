"""Content in the reader's language (Wagtail Locales), falling back to Chinese."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Site

from courses import services
from courses.selectors import catalogue, course_outline, courses_in_progress
from tests.courses.conftest import CourseTree
from tests.factories.accounts import UserFactory
from tests.factories.courses import LessonPageFactory, english, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual(tree: CourseTree) -> CourseTree:
    translate(Site.objects.get(is_default_site=True).root_page)
    translate(tree.index, title="Courses")
    translate(
        tree.course, title="KPI Management in Practice", summary="Own the numbers."
    )
    for module in tree.modules:
        translate(module, title=f"EN {module.title}")
    for lesson in tree.lessons[:2]:  # the third lesson is not translated yet
        translate(lesson, title=f"EN {lesson.title}")
    return tree


def test_english_reader_gets_the_english_tree_at_the_same_address(
    client: Client, bilingual: CourseTree
) -> None:
    english = UserFactory(preferred_language="en")
    client.force_login(english)
    content = client.get(bilingual.course.url).content.decode()
    assert "KPI Management in Practice" in content
    assert f"EN {bilingual.lessons[0].title}" in content
    # Untranslated lesson: listed in its Chinese original, in its place.
    assert bilingual.lessons[2].title in content


def test_chinese_reader_gets_the_chinese_tree(
    client: Client, bilingual: CourseTree
) -> None:
    content = client.get(bilingual.course.url).content.decode()
    assert bilingual.course.title in content
    assert "KPI Management in Practice" not in content


def test_untranslated_lesson_falls_back_to_chinese(
    client: Client, bilingual: CourseTree
) -> None:
    client.cookies["lodestar_language"] = "en"
    response = client.get(bilingual.course.url + "module-x/")
    assert response.status_code == 404
    untranslated = bilingual.lessons[2]
    staff = UserFactory(is_staff=True, preferred_language="en")
    client.force_login(staff)
    response = client.get(untranslated.url)
    assert response.status_code == 200
    assert untranslated.title in response.content.decode()


def test_progress_is_shared_between_languages(bilingual: CourseTree, trainee) -> None:  # type: ignore[no-untyped-def]
    english_lesson = bilingual.lessons[1].get_translation(
        bilingual.course.get_translation_or_none(
            __import__("wagtail.models", fromlist=["Locale"]).Locale.objects.get(
                language_code="en"
            )
        ).locale
    )
    english_course = english_lesson.get_parent().get_parent().specific
    services.lesson_mark_done(
        user=trainee, lesson=english_lesson.specific, course=english_course
    )
    chinese = course_outline(course=bilingual.course, user=trainee)
    assert [e.is_done for e in chinese.lessons] == [False, True, False]
    english = course_outline(course=english_course, user=trainee)
    assert [e.is_done for e in english.lessons] == [False, True, False]
    assert english.lessons[1].page.pk == english_lesson.pk


def test_catalogue_falls_back_to_untranslated_courses(bilingual: CourseTree) -> None:
    from tests.factories.courses import CoursePageFactory

    chinese_only = CoursePageFactory(parent=bilingual.index, title="只有中文的课")
    LessonPageFactory(parent=chinese_only)
    english_index = bilingual.index.get_translation(english())
    titles = [c.title for c in catalogue(index=english_index, params={}).courses]
    assert titles == ["KPI Management in Practice", "只有中文的课"]


def test_home_panel_lists_courses_in_the_readers_language(
    client: Client, bilingual: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    services.lesson_progress_start(
        user=trainee, lesson=bilingual.lessons[0], course=bilingual.course
    )
    assert [o.course.title for o in courses_in_progress(user=trainee)] == [
        bilingual.course.title
    ]
    trainee.preferred_language = "en"
    trainee.save()
    client.force_login(trainee)
    content = client.get("/").content.decode()
    assert "Your courses" in content
    assert "KPI Management in Practice" in content
    assert f"Continue: EN {bilingual.lessons[0].title}" in content
