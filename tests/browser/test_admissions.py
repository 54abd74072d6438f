"""A visitor applies with two colleagues; a reviewer approves one and rejects one;
staff record the agreement, a bank transfer and the issued invoice.

The visitor uses a phone; the reviewer and finance a laptop. Chinese throughout.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from cohorts.admissions import demo as admissions_demo
from cohorts.admissions.models import (
    Application,
    InvoiceRequest,
    Payment,
    RegistrantStatus,
)
from cohorts.models import Enrolment
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.admissions import VALID_TAX_ID
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COMPANY = "苏州澜海电子商务有限公司"


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo_cohorts()
    admissions_demo.seed(stdout=StringIO())


def _apply_on_a_phone(browser: Browser, base: str, shots: Path) -> Application:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(base + "/cohorts/kpi-public-class/")
    page.get_by_role("link", name="报名", exact=True).click()
    expect(page.get_by_role("heading", name="报名这个班期")).to_be_visible()

    page.get_by_label("公司名称").fill(COMPANY)
    page.get_by_label("您的姓名").fill("许晴")
    page.get_by_label("您的职位").fill("运营总监")
    page.get_by_label("团队规模（电商团队）").select_option("21-50")
    page.get_by_label("年销售额").select_option("50-200m")
    page.get_by_label("亚马逊美国站").check()
    page.get_by_label("TikTok Shop").check()
    page.get_by_label("广告费增长快于利润").check()
    page.get_by_label("其他需要我们了解的情况").fill("广告费占比越来越高，利润看不清。")

    rows = page.locator(".person-row")
    rows.nth(0).get_by_label("学员姓名").fill("许晴")
    rows.nth(0).get_by_label("学员邮箱").fill("xu.qing@lanhai.cn")
    page.get_by_role("button", name="添加同事").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("学员姓名").fill("高远")
    rows.nth(1).get_by_label("学员邮箱").fill("gao.yuan@lanhai.cn")
    rows.nth(1).get_by_label("学员职位").fill("仓储主管")
    page.get_by_role("button", name="添加同事").click()
    expect(rows).to_have_count(3)  # an empty third row is skipped

    page.get_by_label("联系电话").fill("12345")
    page.get_by_label("联系邮箱").fill("xu.qing@lanhai.cn")
    page.get_by_role("button", name="提交报名").click()
    expect(page.get_by_text("请输入可以拨打的电话")).to_be_visible()
    assert not Application.objects.filter(company_name=COMPANY).exists()
    page.screenshot(path=shots / "admissions-apply-error-phone.png", full_page=True)

    page.get_by_label("联系电话").fill("139 1234 5678")
    page.get_by_role("button", name="提交报名").click()
    expect(page.get_by_text("谢谢，我们已收到您的报名")).to_be_visible()
    expect(page.get_by_text("高远")).to_be_visible()
    expect(page.locator(".registrant-list .badge-warn")).to_have_count(2)
    page.screenshot(path=shots / "admissions-status-phone.png", full_page=True)

    page.get_by_role("link", name="提交开票信息").click()
    page.get_by_label("增值税普通发票").check()
    page.get_by_label("税号（统一社会信用代码）").fill("91330100716105852E")
    page.get_by_role("button", name="提交开票信息").click()
    expect(page.get_by_text("校验位")).to_be_visible()
    page.get_by_label("税号（统一社会信用代码）").fill(VALID_TAX_ID)
    page.get_by_role("button", name="提交开票信息").click()
    expect(page.get_by_text("我们已收到开票信息")).to_be_visible()
    context.close()
    return Application.objects.get(company_name=COMPANY)


def test_apply_review_pay_and_invoice(
    demo: None, live_server, browser: Browser, page: Page, screenshot_dir: Path
) -> None:
    base = live_server.url
    application = _apply_on_a_phone(browser, base, screenshot_dir)
    assert list(application.registrants.values_list("email", flat=True)) == [
        "xu.qing@lanhai.cn",
        "gao.yuan@lanhai.cn",
    ]

    # The reviewer, on a laptop.
    page.set_viewport_size(LAPTOP)
    sign_in(page, base, "staff@lodestar.demo")
    # The menu links to the queue (top-level or inside a drop-down group).
    expect(page.locator('#site-nav a[href="/apply/review/"]')).to_have_count(1)
    page.goto(base + "/apply/review/")
    expect(page.get_by_role("heading", name="报名审核")).to_be_visible()
    page.screenshot(path=screenshot_dir / "admissions-queue-laptop.png", full_page=True)
    page.get_by_role("link", name=COMPANY).click()
    expect(page.get_by_role("heading", name=COMPANY)).to_be_visible()

    page.screenshot(
        path=screenshot_dir / "admissions-review-pending-laptop.png", full_page=True
    )
    page.set_viewport_size(PHONE)
    page.screenshot(
        path=screenshot_dir / "admissions-review-pending-phone.png", full_page=True
    )
    page.set_viewport_size(LAPTOP)
    xu = page.locator(".registrant", has_text="许晴")
    gao = page.locator(".registrant", has_text="高远")
    xu.get_by_role("button", name="通过并报名").click()
    expect(xu.get_by_text("许晴 已通过并报名成功")).to_be_visible()
    gao.get_by_role("button", name="不通过").click()
    expect(gao.get_by_text("请填写原因")).to_be_visible()
    gao.get_by_label("不通过的原因").fill(
        "本期以运营岗位为主，仓储岗位建议参加供应链专题班。"
    )
    gao.get_by_role("button", name="不通过").click()
    expect(gao.get_by_text("高远 未通过")).to_be_visible()
    expect(page.locator("#application-state")).to_contain_text("部分通过")
    page.screenshot(
        path=screenshot_dir / "admissions-review-laptop.png", full_page=True
    )

    statuses = dict(application.registrants.values_list("email", "status"))
    assert statuses == {
        "xu.qing@lanhai.cn": RegistrantStatus.APPROVED,
        "gao.yuan@lanhai.cn": RegistrantStatus.REJECTED,
    }
    xu_user = User.objects.get(email="xu.qing@lanhai.cn")
    assert not xu_user.has_usable_password()
    assert Enrolment.objects.filter(
        user=xu_user, cohort__slug="kpi-public-class", status="active"
    ).exists()
    assert not User.objects.filter(email="gao.yuan@lanhai.cn").exists()

    # Finance: what was agreed, a bank transfer, the issued invoice.
    page.reload()
    page.get_by_label("约定价格").fill("12,800.00")
    page.get_by_label("优惠").fill("800")
    page.get_by_role("button", name="保存约定").click()
    expect(page.get_by_text("付款约定已保存")).to_be_visible()
    page.get_by_text("登记一笔银行转账").click()
    page.get_by_label("到账金额").fill("12.000,00")
    page.get_by_label("银行转账流水号").fill("CMB20261120-0042")
    page.get_by_role("button", name="登记付款").click()
    expect(page.get_by_text("金额请用数字填写")).to_be_visible()
    page.get_by_label("到账金额").fill("12,000.00")
    page.get_by_role("button", name="登记付款").click()
    expect(page.get_by_text("付款已登记")).to_be_visible()
    page.get_by_label("发票号码").fill("24442000000099887766")
    page.get_by_role("button", name="标记为已开票").click()
    expect(page.get_by_text("发票已标记为已开具")).to_be_visible()
    page.screenshot(path=screenshot_dir / "admissions-money-laptop.png", full_page=True)

    payment = Payment.objects.get(agreement__application=application)
    assert payment.amount == Decimal("12000.00")
    assert InvoiceRequest.objects.get(application=application).number == (
        "24442000000099887766"
    )

    page.get_by_role("link", name="本班期的全部付款").click()
    expect(page.get_by_role("row", name=COMPANY)).to_contain_text("已付清")
    page.screenshot(
        path=screenshot_dir / "admissions-payments-laptop.png", full_page=True
    )
    page.set_viewport_size(PHONE)
    page.screenshot(
        path=screenshot_dir / "admissions-payments-phone.png", full_page=True
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="导出给财务（XLSX）").click()
    assert download.value.suggested_filename.startswith("payments-kpi-public-class-")

    # The reviewer's page on a phone too.
    page.goto(base + f"/apply/review/{application.pk}/")
    page.screenshot(path=screenshot_dir / "admissions-review-phone.png", full_page=True)
