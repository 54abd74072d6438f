"""Homework end to end: a trainee hands in on a phone, the coach claims, scores and
returns it, the trainee resubmits, the coach approves."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cohorts.coaching import demo as coaching_demo
from cohorts.coaching.models import Assignment, Submission, SubmissionStatus
from cohorts.models import Cohort
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.coaching import assignment_with_rubric
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "作业 4：复盘一周广告数据"


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo_cohorts()
    coaching_demo.seed(stdout=StringIO())
    assignment_with_rubric(
        cohort=Cohort.objects.get(slug="seabright-in-house"),
        title=TITLE,
        instructions="<p>用上周的广告报表，写出 <strong>3 个发现</strong>和对应动作。</p>",
        due_at=timezone.now() + dt.timedelta(days=5),
    )


def _shot(page: Page, directory: Path, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=directory / f"{name}.png", full_page=True)


def test_homework_round_trip(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    trainee_context = browser.new_context(viewport=PHONE, locale="zh-CN")
    trainee = trainee_context.new_page()
    sign_in(trainee, live_server.url, "li.na@seabright.demo")
    trainee.goto(live_server.url + "/coaching/cohorts/seabright-in-house/homework/")
    expect(trainee.get_by_role("heading", name="作业", exact=True)).to_be_visible()
    _shot(trainee, screenshot_dir, "homework-list-phone")
    trainee.get_by_role("link", name=TITLE).click()
    trainee.get_by_label("你的作业答案").fill(
        "发现 1：自动广告 ACoS 58%，高于目标 30%。\n动作：否定 12 个不相关词。"
    )
    trainee.get_by_role("button", name="提交", exact=True).click()
    expect(trainee.get_by_text("第 1 版已提交")).to_be_visible()
    _shot(trainee, screenshot_dir, "homework-assignment-phone")
    submission = Submission.objects.get(assignment__title=TITLE)
    assert submission.version_count == 1

    coach_context = browser.new_context(viewport=LAPTOP)
    coach = coach_context.new_page()
    sign_in(coach, live_server.url, "coach@lodestar.demo")
    coach.goto(live_server.url + "/coaching/reviews/")
    expect(coach.get_by_role("heading", name="Review queue")).to_be_visible()
    _shot(coach, screenshot_dir, "homework-queue-laptop")
    coach.goto(live_server.url + f"/coaching/reviews/{submission.pk}/")
    coach.get_by_role("button", name="Claim for review").click()
    expect(coach.get_by_text("You claimed this submission")).to_be_visible()
    coach.get_by_label("Points for 拆解逻辑").fill("3")
    coach.get_by_label("Points for 指标定义").fill("1")
    coach.get_by_label("Comment on 指标定义").fill("ACoS 目标 30% 的口径没写清楚。")
    coach.get_by_label("Overall comment").fill("发现找得准，请补上目标口径后再交。")
    coach.get_by_label("Action item", exact=True).first.fill("写清 ACoS 目标的口径")
    coach.get_by_label("Action item due").first.fill(
        (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    )
    coach.get_by_label("Return for revision").check()
    _shot(coach, screenshot_dir, "homework-review-form-laptop")
    coach.get_by_role("button", name="Save the review").click()
    expect(coach.get_by_text("Review saved: 58.33%")).to_be_visible()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.action_items.count() == 1

    trainee.reload()
    expect(trainee.get_by_text("发现找得准，请补上目标口径后再交。")).to_be_visible()
    expect(trainee.get_by_text("写清 ACoS 目标的口径")).to_be_visible()
    expect(trainee.locator(".hw-score strong").first).to_have_text("58.33%")
    _shot(trainee, screenshot_dir, "homework-feedback-phone")
    answer = trainee.get_by_label("你的作业答案")
    answer.fill(
        answer.input_value() + "\n口径：ACoS = 广告花费 ÷ 广告销售额，目标 30%。"
    )
    trainee.get_by_role("button", name="提交新版本").click()
    expect(trainee.get_by_text("第 2 版已提交")).to_be_visible()

    coach.goto(live_server.url + f"/coaching/reviews/{submission.pk}/")
    expect(coach.locator(".hw-diff-add").first).to_contain_text("口径")
    coach.set_viewport_size(PHONE)
    _shot(coach, screenshot_dir, "homework-review-form-phone")
    coach.set_viewport_size(LAPTOP)
    coach.get_by_label("Points for 拆解逻辑").fill("4")
    coach.get_by_label("Points for 指标定义").fill("4")
    coach.get_by_label("Approve").check()
    coach.get_by_role("button", name="Save the review").click()
    expect(coach.get_by_text("Review saved: 100.00%")).to_be_visible()
    coach.set_viewport_size(PHONE)
    _shot(coach, screenshot_dir, "homework-queue-phone")
    submission.refresh_from_db()
    assert (submission.status, submission.version_count) == (
        SubmissionStatus.APPROVED,
        2,
    )

    trainee.goto(live_server.url + "/")
    expect(trainee.get_by_role("heading", name="作业", exact=True)).to_be_visible()
    _shot(trainee, screenshot_dir, "homework-home-trainee-phone")
    trainee.goto(live_server.url + f"/coaching/homework/{submission.assignment_id}/")
    expect(trainee.get_by_text("已通过，无需再提交。")).to_be_visible()
    _shot(trainee, screenshot_dir, "homework-approved-phone")
    trainee.set_viewport_size(LAPTOP)
    _shot(trainee, screenshot_dir, "homework-feedback-laptop")
    coach.set_viewport_size(LAPTOP)
    coach.goto(live_server.url + "/coaching/reviews/stats/")
    expect(
        coach.get_by_role("heading", name="Review figures per coach")
    ).to_be_visible()
    _shot(coach, screenshot_dir, "homework-stats-laptop")
    coach_context.close()
    trainee_context.close()


def test_coach_builds_an_assignment_with_a_rubric(
    demo: None, live_server, page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "coach@lodestar.demo")
    page.goto(live_server.url + "/coaching/cohorts/seabright-in-house/homework/")
    page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Assignment title").fill("作业 5：库存周转复盘")
    page.get_by_label("Instructions").fill(
        "算出上月每个 SKU 的周转天数。\n标出超过 90 天的。"
    )
    page.get_by_label("Due (date and time)").fill("2031-03-01T20:00")
    page.get_by_label("Criterion title").fill("计算正确")
    page.get_by_label("Level descriptors").fill("0 | 缺失 | 没算\n4 | 完整 | 全部正确")
    page.get_by_role("button", name="Add a criterion").click()
    expect(page.locator("fieldset.hw-criterion-form")).to_have_count(2)
    expect(page.get_by_label("Criterion title").first).to_have_value("计算正确")
    page.get_by_label("Criterion title").nth(1).fill("结论可执行")
    page.get_by_label("Weight").nth(1).fill("2")
    _shot(page, screenshot_dir, "homework-editor-laptop")
    page.set_viewport_size(PHONE)
    _shot(page, screenshot_dir, "homework-editor-phone")
    page.get_by_role("button", name="Save assignment").click()
    expect(page.get_by_text("Assignment saved.")).to_be_visible()
    _shot(page, screenshot_dir, "homework-assignment-coach-phone")
    page.goto(live_server.url + "/coaching/cohorts/seabright-in-house/homework/")
    _shot(page, screenshot_dir, "homework-list-coach-phone")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Homework to review")).to_be_visible()
    _shot(page, screenshot_dir, "homework-home-coach-phone")
    assignment = Assignment.objects.get(title="作业 5：库存周转复盘")
    assert list(assignment.criteria.values_list("title", "weight")) == [
        ("计算正确", 1),
        ("结论可执行", 2),
    ]
    # 20:00 in Shanghai is 12:00 UTC
    assert assignment.due_at == dt.datetime(2031, 3, 1, 12, 0, tzinfo=dt.UTC)
