from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import ChecklistTicks, LessonProgress, QuizAnswer
from tests.courses.conftest import CourseTree, build_course
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import (
    CohortFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _templates(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.name for t in response.templates]


def test_catalogue_is_public_and_the_nav_link_finds_it(
    client: Client, tree: CourseTree
) -> None:
    response = client.get(reverse("courses:catalogue"))
    assert response.status_code == 302 and response["Location"] == tree.index.url
    response = client.get(tree.index.url)
    assert response.status_code == 200
    assert "courses/course_index_page.html" in _templates(response)
    assert tree.course.title in response.content.decode()


def test_catalogue_filters_and_search(client: Client, tree: CourseTree) -> None:
    other = build_course(lesson_count=1, modules=0).course
    other.title, other.level, other.offers_in_house = "亚马逊广告复盘", "advanced", True
    other.summary = "ACoS 与 TACoS"
    other.save_revision().publish()

    content = client.get(tree.index.url, {"level": "advanced"}).content.decode()
    assert "亚马逊广告复盘" in content and tree.course.title not in content
    content = client.get(tree.index.url, {"format": "in_house"}).content.decode()
    assert "亚马逊广告复盘" in content and tree.course.title not in content
    content = client.get(tree.index.url, {"q": "TACoS"}).content.decode()
    assert "亚马逊广告复盘" in content and tree.course.title not in content
    content = client.get(tree.index.url, {"q": "复盘"}).content.decode()
    assert "亚马逊广告复盘" in content and tree.course.title not in content
    content = client.get(tree.index.url, {"level": "nonsense"}).content.decode()
    assert "亚马逊广告复盘" in content and tree.course.title in content


def test_catalogue_htmx_answers_the_results_fragment(
    client: Client, tree: CourseTree
) -> None:
    response = client.get(tree.index.url, {"q": "KPI"}, headers=HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="catalogue-results"')
    assert "<html" not in content


def test_course_page_is_public_with_outline_and_cohorts(
    client: Client, tree: CourseTree
) -> None:
    cohort = CohortFactory(course=tree.course, name="第 12 期公开课")
    private = InHouseCohortFactory(course=tree.course, name="某公司内训")
    response = client.get(tree.course.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "courses/course_page.html" in _templates(response)
    for lesson in tree.lessons:
        assert lesson.title in content
    assert cohort.name in content and private.name not in content
    assert "免费试看" in content  # the preview lesson is marked for visitors


def test_preview_lesson_is_public(client: Client, tree: CourseTree) -> None:
    response = client.get(tree.lessons[0].url)
    assert response.status_code == 200
    assert "courses/lesson_page.html" in _templates(response)
    assert not LessonProgress.objects.exists()


@pytest.mark.parametrize("who", ["visitor", "outsider", "waitlisted"])
def test_other_lessons_show_how_to_enrol(
    client: Client, tree: CourseTree, who: str
) -> None:
    CohortFactory(course=tree.course, name="第 12 期公开课")
    if who == "outsider":
        client.force_login(UserFactory())
    if who == "waitlisted":
        enrolment = EnrolmentFactory(
            cohort=CohortFactory(course=tree.course), status="waitlisted"
        )
        client.force_login(enrolment.user)
    response = client.get(tree.lessons[1].url)
    content = response.content.decode()
    assert response.status_code == 403
    assert _templates(response)[0] == "courses/lesson_locked.html"
    assert "如何报名" in content and "第 12 期公开课" in content
    assert ("登录" in content) is True
    assert tree.lessons[0].title in content  # the free preview is offered
    assert "KPI 是有人负责的数字" not in content
    assert not LessonProgress.objects.exists()


def test_enrolled_trainee_reads_the_lesson_and_it_is_in_progress(
    client: Client, tree: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(trainee)
    response = client.get(tree.lessons[1].url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "KPI 是有人负责的数字" in content
    assert "标记本课时为已完成" in content
    assert "第 2 课 / 共 3 课" in content
    assert tree.lessons[2].title in content  # next lesson
    progress = LessonProgress.objects.get(user=trainee)
    assert progress.completed_at is None
    assert progress.course_key == tree.course.translation_key


@pytest.mark.parametrize("who", ["staff", "coach"])
def test_staff_and_the_course_coach_read_every_lesson(
    client: Client, tree: CourseTree, who: str
) -> None:
    user = UserFactory(is_staff=(who == "staff"), is_coach=(who == "coach"))
    if who == "coach":
        CohortFactory(course=tree.course, coaches=[user])
    client.force_login(user)
    assert client.get(tree.lessons[2].url).status_code == 200


def test_mark_done_with_htmx_returns_fragments_and_saves(
    client: Client, tree: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(trainee)
    url = reverse("courses:lesson_done", args=[tree.lessons[1].pk])
    response = client.post(url, {"done": "1"}, headers=HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="lesson-done"' in content and 'hx-swap-oob="true"' in content
    assert "你已完成本课时" in content
    assert "已完成 1 / 3 课时" in content
    assert LessonProgress.objects.get(user=trainee).completed_at is not None


def test_mark_done_without_javascript_redirects_back(
    client: Client, tree: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(trainee)
    response = client.post(reverse("courses:lesson_done", args=[tree.lessons[1].pk]))
    assert response.status_code == 302
    assert response["Location"] == tree.lessons[1].url + "#lesson-done"
    page = client.get(tree.course.url).content.decode()
    assert "已完成 1 / 3 课时" in page


@pytest.mark.parametrize("who", ["visitor", "outsider", "other_org"])
def test_lesson_actions_are_404_for_people_who_cannot_read_it(
    client: Client, tree: CourseTree, who: str, other_organization_user
) -> None:  # type: ignore[no-untyped-def]
    if who == "outsider":
        client.force_login(UserFactory())
    if who == "other_org":
        cohort = InHouseCohortFactory(course=tree.course)
        EnrolmentFactory(cohort=cohort)
        client.force_login(other_organization_user)
    lesson = tree.lessons[1]
    quiz_id = next(c.id for c in lesson.body if c.block_type == "quiz")
    for url, data in [
        (reverse("courses:lesson_done", args=[lesson.pk]), {}),
        (reverse("courses:quiz_answer", args=[lesson.pk, quiz_id]), {"choice": "1"}),
    ]:
        assert client.post(url, data, headers=HTMX).status_code == 404
    assert not LessonProgress.objects.exists() and not QuizAnswer.objects.exists()


def test_actions_need_post(client: Client, tree: CourseTree, trainee) -> None:  # type: ignore[no-untyped-def]
    client.force_login(trainee)
    assert (
        client.get(
            reverse("courses:lesson_done", args=[tree.lessons[1].pk])
        ).status_code
        == 405
    )


def test_quiz_answer_shows_explanations_and_finishes_the_lesson(
    client: Client, tree: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(trainee)
    lesson = tree.lessons[1]
    quiz_id = next(c.id for c in lesson.body if c.block_type == "quiz")
    url = reverse("courses:quiz_answer", args=[lesson.pk, quiz_id])
    response = client.post(url, {"choice": "0"}, headers=HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="lesson-quiz is-answered"')
    assert "解析 0" in content and "不是这个" in content and "正确答案" in content
    assert "你已完成本课时" in content  # the only quiz of the lesson
    assert QuizAnswer.objects.get(user=trainee).is_correct is False

    response = client.post(url, {}, headers=HTMX)
    assert "请先选择答案" in response.content.decode()


def test_checklist_tick_with_htmx(client: Client, tree: CourseTree, trainee) -> None:  # type: ignore[no-untyped-def]
    client.force_login(trainee)
    lesson = tree.lessons[1]
    block_id = next(c.id for c in lesson.body if c.block_type == "checklist")
    response = client.post(
        reverse("courses:checklist_tick", args=[lesson.pk, block_id]),
        {"item": ["0", "2"]},
        headers=HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "已勾选 2 / 3" in content and content.count("checked") == 2
    assert ChecklistTicks.objects.get(user=trainee).ticked == [0, 2]
    page = client.get(lesson.url).content.decode()
    assert "已勾选 2 / 3" in page


def test_cohort_schedule_route_hides_another_organizations_cohort(
    client: Client, tree: CourseTree, other_organization_user
) -> None:  # type: ignore[no-untyped-def]
    cohort = InHouseCohortFactory(course=tree.course)
    client.force_login(other_organization_user)
    url = tree.course.url + tree.course.reverse_subpage(
        "cohort_schedule", kwargs={"cohort_slug": cohort.slug}
    )
    assert client.get(url).status_code == 404


def test_unknown_page_is_the_sites_own_404(client: Client, tree: CourseTree) -> None:
    response = client.get(tree.course.url + "no-such-lesson/")
    assert response.status_code == 404
    assert "404.html" in _templates(response)


@pytest.mark.parametrize("lesson_count", [3, 15])
def test_lesson_page_query_count_does_not_grow_with_the_course(
    client: Client, django_assert_num_queries, lesson_count: int
) -> None:  # type: ignore[no-untyped-def]
    tree = build_course(lesson_count=lesson_count, modules=3)
    enrolment = EnrolmentFactory(cohort=CohortFactory(course=tree.course))
    client.force_login(enrolment.user)
    lesson = tree.lessons[1]
    client.get(lesson.url)  # warm caches (site root, content types, session)
    with django_assert_num_queries(LESSON_PAGE_QUERIES):
        response = client.get(lesson.url)
    assert response.status_code == 200


LESSON_PAGE_QUERIES = 29  # session, user, Wagtail routing (per depth), access, outline, state, unread count


def test_module_page_lists_only_its_lessons(client: Client, tree: CourseTree) -> None:
    response = client.get(tree.modules[1].url)
    content = response.content.decode()
    assert response.status_code == 200
    assert tree.lessons[2].title in content
    assert tree.lessons[0].title not in content


def test_home_shows_lessons_in_progress(
    client: Client, tree: CourseTree, trainee
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(trainee)
    client.get(tree.lessons[1].url)
    content = client.get("/").content.decode()
    assert "我的课程" in content and "学习中的课时" in content
    assert (
        f'<li><a href="{tree.lessons[1].url}">{tree.lessons[1].title}</a></li>'
        in content
    )
    assert "已完成 0 / 3 课时" in content
