"""A visitor browses the catalogue and a course; a trainee reads, answers, finishes."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import User
from courses import demo
from courses.models import CoursePage, LessonProgress, QuizAnswer
from tests.browser.conftest import LAPTOP, PHONE
from tests.factories.cohorts import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COURSE = "/courses/kpi-management/"


@pytest.fixture
def demo_course(transactional_db: None) -> CoursePage:
    seed_people()
    demo.seed(stdout=StringIO())
    course = CoursePage.objects.get(
        slug="kpi-management", locale__language_code="zh-hans"
    )
    cohort = CohortFactory(
        course=course, name="KPI 管理公开课 · 第 12 期", slug="kpi-12"
    )
    EnrolmentFactory(cohort=cohort, user=User.objects.get(email="li.na@seabright.demo"))
    return course


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".nav-user")).to_be_visible()


def test_visitor_browses_the_catalogue_and_a_course(
    demo_course: CoursePage, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.goto(live_server.url + "/learn/")
        expect(page).to_have_url(live_server.url + "/courses/")
        expect(page.get_by_role("heading", name="课程", exact=True)).to_be_visible()
        expect(page.locator(".course-card")).to_have_count(2)
        page.screenshot(
            path=screenshot_dir / f"courses-catalogue-{name}.png", full_page=True
        )

        # Filters work with htmx (the address follows) and without.
        page.get_by_label("级别").select_option("intermediate")
        expect(page.locator(".course-card")).to_have_count(1)
        expect(page.locator(".course-card")).to_contain_text("亚马逊广告指标与复盘")
        expect(page).to_have_url(re.compile(r"level=intermediate"))
        page.get_by_label("级别").select_option("")
        expect(page.locator(".course-card")).to_have_count(2)
        page.get_by_label("搜索课程").fill("激励")
        page.get_by_label("搜索课程").press("Enter")
        expect(page).to_have_url(re.compile(r"q=%E6%BF%80"))
        expect(page.locator(".course-card")).to_have_count(1)
        expect(page.locator(".course-card")).to_contain_text(
            "跨境电商团队的 KPI 管理实战"
        )

        page.locator(
            ".course-card a", has_text="跨境电商团队的 KPI 管理实战"
        ).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "跨境电商团队的 KPI 管理实战"
        )
        expect(page.locator(".outline-lesson")).to_have_count(7)
        expect(page.get_by_text("KPI 管理公开课 · 第 12 期")).to_be_visible()
        page.screenshot(
            path=screenshot_dir / f"courses-course-{name}.png", full_page=True
        )

        # A locked lesson explains how to enrol; the preview lesson is open.
        page.get_by_role("link", name="周复盘：指标 → 原因 → 行动").click()
        expect(page.get_by_role("heading", name="如何报名")).to_be_visible()
        page.screenshot(
            path=screenshot_dir / f"courses-locked-{name}.png", full_page=True
        )
        page.get_by_role("link", name="为什么跨境团队需要 KPI").first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "为什么跨境团队需要 KPI"
        )
        expect(page.get_by_text("登录后作答")).to_be_visible()
        context.close()


def test_trainee_reads_answers_and_sees_progress_move(
    demo_course: CoursePage, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "li.na@seabright.demo")
    page.goto(live_server.url + COURSE)
    expect(page.get_by_text("已完成 0 / 7 课时")).to_be_visible()
    page.get_by_role("link", name=re.compile("开始学习")).click()

    # Lesson 1: answer the quiz wrong, then right; answering finishes the lesson.
    expect(page.get_by_role("heading", level=1)).to_have_text("为什么跨境团队需要 KPI")
    quiz = page.locator(".lesson-quiz")
    quiz.get_by_label("提升店铺表现").check()
    quiz.get_by_role("button", name="提交答案").click()
    expect(page.locator(".lesson-quiz")).to_contain_text("不完全对")
    expect(page.locator(".lesson-quiz")).to_contain_text("没有口径、目标和负责人。")
    expect(page.locator("#lesson-done")).to_contain_text("你已完成本课时")
    expect(page.locator("#lesson-outline")).to_contain_text("已完成 1 / 7 课时")
    page.locator(".lesson-quiz").get_by_label(re.compile("美国站 3 月 ACoS")).check()
    page.locator(".lesson-quiz").get_by_role("button", name="重新作答").click()
    expect(page.locator(".lesson-quiz")).to_contain_text("答对了")
    page.screenshot(
        path=screenshot_dir / "courses-lesson-quiz-laptop.png", full_page=True
    )
    assert QuizAnswer.objects.get().is_correct

    # Lesson 2: tick the checklist, mark done by hand, progress moves.
    page.get_by_role("link", name=re.compile("下一课")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("从年度目标拆到月度目标")
    page.get_by_label("拿到去年分月的 GMV").check()
    expect(page.locator(".lesson-checklist")).to_contain_text("已勾选 1 / 3")
    page.get_by_role("button", name="标记本课时为已完成").click()
    expect(page.locator("#lesson-outline")).to_contain_text("已完成 2 / 7 课时")
    expect(page.locator(".outline-lesson.is-done")).to_have_count(2)
    page.screenshot(
        path=screenshot_dir / "courses-lesson-done-laptop.png", full_page=True
    )

    # Ticks persist after a reload.
    page.reload()
    expect(page.get_by_label("拿到去年分月的 GMV")).to_be_checked()

    page.set_viewport_size(PHONE)
    page.get_by_role("link", name=re.compile("下一课")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "公司、部门、岗位三级 KPI"
    )
    page.screenshot(path=screenshot_dir / "courses-lesson-phone.png", full_page=True)

    # Home shows the course in progress and where to continue.
    page.goto(live_server.url + "/")
    panel = page.locator("section", has=page.get_by_role("heading", name="我的课程"))
    expect(panel).to_contain_text("已完成 2 / 7 课时")
    expect(panel.get_by_role("link", name=re.compile("继续学习"))).to_contain_text(
        "公司、部门、岗位三级 KPI"
    )
    page.screenshot(path=screenshot_dir / "courses-home-phone.png", full_page=True)
    user = User.objects.get(email="li.na@seabright.demo")
    assert (
        LessonProgress.objects.filter(user=user, completed_at__isnull=False).count()
        == 2
    )
    context.close()


def test_english_trainee_reads_the_english_course(
    demo_course: CoursePage, live_server, page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "kevin.zhang@seabright.demo")
    page.goto(live_server.url + COURSE)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "KPI Management for Cross-border E-commerce Teams"
    )
    page.get_by_role("link", name="Why cross-border teams need KPIs").first.click()
    expect(page.locator(".callout")).to_contain_text("Start with one pilot team")
    page.screenshot(
        path=screenshot_dir / "courses-lesson-english-laptop.png", full_page=True
    )
