from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CoursePage, LessonPage
from tests.courses.conftest import CourseTree
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_a_lesson_needs_a_title(tree: CourseTree) -> None:
    with pytest.raises(ValidationError) as error:
        tree.course.add_child(instance=LessonPage(title="", slug="untitled"))
    assert "title" in error.value.message_dict
    assert not LessonPage.objects.filter(slug="untitled").exists()


def test_page_tree_rules() -> None:
    assert LessonPage.parent_page_types == [
        "courses.CoursePage",
        "courses.CourseModulePage",
    ]
    assert CoursePage.subpage_types == [
        "courses.CourseModulePage",
        "courses.LessonPage",
    ]
    assert LessonPage.subpage_types == []


def test_course_formats_and_outcomes(tree: CourseTree) -> None:
    course = tree.course
    course.offers_public_class, course.offers_in_house = True, True
    course.outcomes = "拆解目标\n\n  设计 KPI  \n"
    assert [str(f) for f in course.formats] == ["公开课", "企业内训"]
    assert course.outcome_list == ["拆解目标", "设计 KPI"]


def _form_errors(form) -> str:  # type: ignore[no-untyped-def]
    """Field errors, with StreamField errors down to the nested block."""
    found = []
    for errors in form.errors.as_data().values():
        for error in errors:
            if hasattr(error, "as_json_data"):
                found.append(json.dumps(error.as_json_data(), ensure_ascii=False))
            else:
                found.extend(error.messages)
    return " ".join(found)


def _admin_post(
    client, tree: CourseTree, *, title: str, correct: set[int], url: str = ""
):  # type: ignore[no-untyped-def]
    options = {
        str(i): {
            "value": {
                "text": f"答案 {i}",
                "explanation": "",
                **({"is_correct": "on"} if i in correct else {}),
            },
            "deleted": "",
            "order": str(i),
            "id": "",
        }
        for i in range(2)
    }
    blocks = [
        ("paragraph", rich_text("<p>正文</p>")),
        (
            "quiz",
            {
                "question": "几个核心 KPI？",
                "kind": "single",
                "options": {"count": 2, **options},
                "explanation": rich_text(""),
            },
        ),
    ]
    if url:
        blocks.append(("video", {"url": url, "video": "", "poster": "", "caption": ""}))
    data = nested_form_data(
        {
            "title": title,
            "slug": "quiz-lesson",
            "summary": "",
            "body": streamfield(blocks),
            "action-publish": "action-publish",
        }
    )
    add = reverse(
        "wagtailadmin_pages:add", args=("courses", "lessonpage", tree.course.pk)
    )
    return client.post(add, data)


@pytest.mark.parametrize(
    ("title", "correct", "url", "error"),
    [
        ("测验课", set(), "", "请至少标记一个正确答案"),
        ("", {1}, "", "必需字段"),
        ("测验课", {1}, "https://example.com/kpi.mp4", "这个地址无法嵌入"),
    ],
)
def test_editors_cannot_publish_a_broken_lesson(
    client, tree: CourseTree, title, correct, url, error
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = _admin_post(client, tree, title=title, correct=correct, url=url)
    assert response.status_code == 200
    assert error in _form_errors(response.context["form"])
    assert not LessonPage.objects.filter(slug="quiz-lesson").exists()


def test_editors_publish_a_valid_lesson(client, tree: CourseTree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = _admin_post(
        client, tree, title="测验课", correct={1}, url="https://vimeo.com/76979871"
    )
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="quiz-lesson")
    assert lesson.live
    assert [c.block_type for c in lesson.body] == ["paragraph", "quiz", "video"]
