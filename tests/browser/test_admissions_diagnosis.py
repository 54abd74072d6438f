"""The colleague a reviewer approves gets an invitation, chooses a password on a phone and
fills the pre-training diagnosis before the first session."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import User
from cohorts.admissions.services import registrant_approve
from cohorts.feedback.models import DiagnosisAnswer, QuestionKind
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from tests.config.test_jobs import run_one_worker_cycle
from tests.factories.admissions import ApplicationFactory, RegistrantFactory
from tests.factories.cohorts import CohortFactory, SessionFactory
from tests.factories.feedback import QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_approved_colleague_sets_a_password_and_fills_the_diagnosis(
    transactional_db: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    seed_people()
    cohort = CohortFactory(slug="kpi-next-class", name="KPI 管理公开课 · 第 14 期")
    start = timezone.now() + dt.timedelta(days=5)
    SessionFactory(
        cohort=cohort, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    questionnaire = QuestionnaireFactory(course=cohort.course)
    QuestionFactory(questionnaire=questionnaire, text_zh="最想解决的管理问题是什么？")
    QuestionFactory(
        questionnaire=questionnaire,
        kind=QuestionKind.SCALE_5,
        text_zh="团队的 KPI 管理做到什么程度？",
    )
    registrant = RegistrantFactory(
        application=ApplicationFactory(cohort=cohort),
        name="许晴",
        email="xu.qing@lanhai.cn",
    )
    registrant_approve(
        registrant=registrant, reviewer=User.objects.get(email="staff@lodestar.demo")
    )
    for _ in range(10):  # the invitation goes out from the job worker
        time.sleep(0.2)  # the ORM broker hands out a task once its lock time has passed
        run_one_worker_cycle()
        sent = [m for m in mail.outbox if "xu.qing@lanhai.cn" in m.to]
        if sent:
            break
    (invitation,) = sent
    link = re.search(
        r"https?://\S+/accounts/password-reset/[^/\s]+/[^/\s]+/", invitation.body
    )
    assert link is not None, invitation.body
    path = "/accounts/" + link.group(0).split("/accounts/", 1)[1]

    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(live_server.url + path)
    page.locator("#id_new_password1").fill(DEMO_PASSWORD)
    page.locator("#id_new_password2").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    sign_in(page, live_server.url, "xu.qing@lanhai.cn")
    page.goto(f"{live_server.url}/feedback/{cohort.slug}/diagnosis/")
    page.get_by_label("最想解决的管理问题是什么？").fill(
        "广告费涨了，利润去哪了说不清。"
    )
    page.locator("fieldset", has_text="团队的 KPI 管理做到什么程度").get_by_role(
        "radio", name="2", exact=True
    ).check()
    page.get_by_role("button", name="提交我的回答").click()
    expect(page.locator(".message-success")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "admissions-approved-diagnosis-phone.png", full_page=True
    )
    answers = DiagnosisAnswer.objects.filter(
        response__cohort=cohort, response__user__email="xu.qing@lanhai.cn"
    )
    assert answers.count() == 2
