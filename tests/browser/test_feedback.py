"""Diagnosis and feedback in a browser: a trainee on a phone, a coach on a laptop."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from cohorts.feedback import demo as feedback_demo
from cohorts.feedback.models import DiagnosisAnswer, SessionFeedback
from cohorts.models import Cohort, Session
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.cohorts import (
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
    seed_demo_cohorts,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(transactional_db: None) -> Cohort:
    """The demo cohorts and feedback, plus a cohort that starts next week."""
    seed_demo_cohorts()
    feedback_demo.seed(stdout=StringIO())
    in_house = Cohort.objects.get(slug="seabright-in-house")
    upcoming = CohortFactory(
        course=in_house.course,
        slug="kpi-next-week",
        name="KPI 管理公开课 · 第 13 期",
        coaches=[User.objects.get(email="coach@lodestar.demo")],
    )
    start = timezone.now() + dt.timedelta(days=6)
    SessionFactory(
        cohort=upcoming,
        title="第 1 讲：从 GMV 到指标树",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    EnrolmentFactory(
        cohort=upcoming, user=User.objects.get(email="li.na@seabright.demo")
    )
    return upcoming


def _phone(browser: Browser):  # type: ignore[no-untyped-def]
    return browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)


def test_trainee_fills_the_diagnosis_on_a_phone(
    demo: Cohort, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = _phone(browser)
    page = context.new_page()
    sign_in(page, live_server.url, "li.na@seabright.demo")
    panel = page.locator(".feedback-home")
    expect(panel).to_contain_text("请在")
    page.screenshot(path=screenshot_dir / "feedback-home-phone.png", full_page=True)
    panel.get_by_role("link", name="请在").first.click()
    expect(page.get_by_role("heading", name="训前需求诊断")).to_be_visible()

    # Sending too early: a clear message, nothing saved.
    page.get_by_role("button", name="提交我的回答").click()
    expect(page.locator(".form-errors")).to_contain_text("尚未保存任何内容")
    expect(page.locator(".field-error").first).to_contain_text("请回答这个问题")
    page.screenshot(
        path=screenshot_dir / "feedback-diagnosis-errors-phone.png", full_page=True
    )
    assert not DiagnosisAnswer.objects.filter(response__cohort=demo).exists()

    page.get_by_text("亚马逊", exact=True).click()
    page.get_by_text("Shopify 独立站", exact=True).click()
    page.get_by_text("美元", exact=True).click()
    page.get_by_text("店铺运营", exact=True).click()
    page.get_by_text("广告投放", exact=True).click()
    page.get_by_label("电商团队有多少人？").fill("８")
    page.locator("fieldset", has_text="目前 KPI 管理做到什么程度").get_by_role(
        "radio", name="2", exact=True
    ).check()
    page.get_by_text("手工整理 Excel", exact=True).click()
    page.get_by_label("你们最大的管理痛点是什么？").fill(
        "目标靠拍脑袋，广告花费涨了却说不清利润去哪了。"
    )
    page.screenshot(
        path=screenshot_dir / "feedback-diagnosis-filled-phone.png", full_page=True
    )
    page.get_by_role("button", name="提交我的回答").click()
    expect(page.locator(".message-success")).to_contain_text("教练会在第一次课前阅读")
    expect(page.get_by_role("button", name="保存修改")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "feedback-diagnosis-saved-phone.png", full_page=False
    )
    values = {
        a.question.text_zh: a.value
        for a in DiagnosisAnswer.objects.filter(response__cohort=demo).select_related(
            "question"
        )
    }
    assert values["你们在哪些平台销售？"] == ["amazon", "shopify"]
    assert values["公司的经营报表用哪种货币？"] == "USD"
    assert values["电商团队有多少人？"] == 8
    assert values["目前 KPI 管理做到什么程度？"] == 2

    # The first workbook starts from the answers.
    page.goto(live_server.url + "/workbooks/new/")
    expect(page.locator(".message", has_text="已根据你的需求诊断预填")).to_be_visible()
    expect(page.locator("#id_reporting_currency")).to_have_value("USD")
    expect(page.locator("#id_template_key")).to_have_value("multi_platform")
    page.screenshot(
        path=screenshot_dir / "feedback-workbook-prefill-phone.png", full_page=True
    )
    context.close()


def test_coach_reads_the_cohort_summary(
    demo: Cohort, live_server, browser: Browser, page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "coach@lodestar.demo")
    page.goto(live_server.url + "/cohorts/seabright-in-house/")
    page.get_by_role("link", name="Diagnosis summary").click()
    expect(page.get_by_role("heading", name="Diagnosis summary")).to_be_visible()
    expect(page.locator(".stat").first).to_contain_text("3 / 3")
    platforms = page.locator(".question-summary", has_text="Which platforms")
    expect(platforms.locator("svg.feedback-chart")).to_be_visible()
    expect(platforms).to_contain_text("3 answers")
    expect(page.locator(".question-summary", has_text="How mature")).to_contain_text(
        "mean 2.33"
    )
    expect(page.get_by_text("各平台口径不一样")).to_be_visible()
    page.screenshot(path=screenshot_dir / "feedback-summary-laptop.png", full_page=True)
    page.get_by_role("link", name="陈思远").first.click()
    expect(page.get_by_role("heading", name="陈思远")).to_be_visible()
    expect(page.locator(".answer-list")).to_contain_text("Amazon")
    page.screenshot(
        path=screenshot_dir / "feedback-trainee-answers-laptop.png", full_page=True
    )

    page.goto(live_server.url + "/feedback/kpi-public-class-11/results/")
    expect(page.locator(".stat").filter(has_text="NPS")).to_contain_text("+33.3")
    page.screenshot(path=screenshot_dir / "feedback-results-laptop.png", full_page=True)

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/feedback/seabright-in-house/diagnosis/summary/")
    page.screenshot(path=screenshot_dir / "feedback-summary-phone.png", full_page=True)
    page.set_viewport_size(LAPTOP)


def test_trainee_answers_a_session_survey_on_a_phone(
    demo: Cohort, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    session = Session.objects.get(
        cohort__slug="seabright-in-house", title="第 2 讲：广告 ACoS 与利润"
    )
    context = _phone(browser)
    page = context.new_page()
    sign_in(page, live_server.url, "kevin.zhang@seabright.demo")
    page.goto(f"{live_server.url}/cohorts/seabright-in-house/sessions/{session.pk}/")
    page.get_by_role("link", name="Rate this session").click()
    expect(page.get_by_role("heading", name=session.title)).to_be_visible()
    other_tab = context.new_page()  # the same form left open in a second tab
    other_tab.goto(page.url)

    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("What was most useful?").fill("ACoS 和 TACoS 的区别讲得很清楚。")
    page.get_by_label("What was unclear?").fill("达人佣金的口径。")
    page.screenshot(path=screenshot_dir / "feedback-survey-phone.png", full_page=True)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".message-success")).to_contain_text(
        "Thank you for your feedback."
    )
    expect(page.get_by_text("Answers are final once sent", exact=False)).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "feedback-survey-done-phone.png", full_page=True
    )
    saved = SessionFeedback.objects.get(
        session=session, user__email__startswith="kevin"
    )
    assert (saved.rating, saved.unclear) == (4, "达人佣金的口径。")

    other_tab.get_by_role("radio", name="1", exact=True).check()
    other_tab.get_by_role("button", name="Send feedback").click()
    expect(other_tab.locator(".message-warning")).to_contain_text(
        "You already answered this survey"
    )
    other_tab.screenshot(
        path=screenshot_dir / "feedback-survey-twice-phone.png", full_page=False
    )
    assert SessionFeedback.objects.get(pk=saved.pk).rating == 4
    context.close()

    laptop = browser.new_context(viewport=LAPTOP)
    coach = laptop.new_page()
    sign_in(coach, live_server.url, "coach@lodestar.demo")
    coach.goto(
        f"{live_server.url}/feedback/seabright-in-house/sessions/{session.pk}/results/"
    )
    expect(coach.get_by_text("达人佣金的口径。")).to_be_visible()
    coach.screenshot(
        path=screenshot_dir / "feedback-session-results-laptop.png", full_page=True
    )
    laptop.close()


def test_trainee_evaluates_a_finished_course_on_a_phone(
    demo: Cohort, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    finished = Cohort.objects.get(slug="kpi-public-class-11")
    li = User.objects.get(email="li.na@seabright.demo")
    EnrolmentFactory(cohort=finished, user=li)
    context = _phone(browser)
    page = context.new_page()
    sign_in(page, live_server.url, "li.na@seabright.demo")
    page.goto(live_server.url + "/cohorts/kpi-public-class-11/")
    page.get_by_role("link", name="课程评价").click()
    expect(page.get_by_role("heading", name="课程评价")).to_be_visible()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".form-errors")).to_contain_text("尚未提交任何内容")
    page.locator("fieldset", has_text="总体来说").get_by_role(
        "radio", name="5", exact=True
    ).check()
    page.locator("fieldset", has_text="推荐给同事").get_by_role(
        "radio", name="9", exact=True
    ).check()
    page.get_by_label("什么对你帮助最大？").fill("周复盘的节奏。")
    page.get_by_text("可以了解一下", exact=True).click()
    page.screenshot(
        path=screenshot_dir / "feedback-evaluation-phone.png", full_page=True
    )
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".message-success")).to_contain_text("谢谢你评价这门课程")
    evaluation = finished.evaluations.get(user=li)
    assert (evaluation.rating, evaluation.recommend, evaluation.follow_up) == (
        5,
        9,
        "maybe",
    )
    context.close()
