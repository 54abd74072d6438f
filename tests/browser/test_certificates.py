"""A coach issues the Seabright cohort's certificates in bulk, watches the progress
finish, downloads the ZIP; anyone verifies a certificate on a phone."""

from __future__ import annotations

import io
import subprocess
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from cohorts.certificates import demo as certificates_demo
from cohorts.certificates.models import (
    BatchStatus,
    Certificate,
    CertificateBatch,
    CertificateStatus,
    CompletionRule,
    RequiredAssignments,
)
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_login_language import sign_in
from tests.config.test_jobs import run_one_worker_cycle
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SLUG = "seabright-in-house"


@pytest.fixture
def demo(transactional_db: None, settings) -> None:  # type: ignore[no-untyped-def]
    from django_q.brokers import get_broker

    seed_demo_cohorts()
    certificates_demo.seed(stdout=StringIO())
    # everyone meets the rules, so the bulk run has people to issue to
    CompletionRule.objects.filter(cohort__slug=SLUG).update(
        min_attendance_percent=None,
        min_lessons_percent=None,
        min_average_score=None,
        required_assignments=RequiredAssignments.NONE,
    )
    get_broker().purge_queue()


def test_coach_issues_in_bulk_and_downloads_the_zip(
    demo: None, live_server, page: Page, screenshot_dir: Path, tmp_path: Path
) -> None:
    li = Certificate.objects.get(user__email="li.na@seabright.demo")
    sign_in(page, live_server.url, "coach@lodestar.demo")  # she reads English
    page.goto(f"{live_server.url}/cohorts/{SLUG}/")
    page.locator("nav.cohort-tabs").get_by_role("link", name="Certificates").click()
    expect(page.get_by_role("heading", name="Certificates", exact=True)).to_be_visible()
    expect(page.locator(f"#trainee-{li.user_id}")).to_contain_text(li.code)
    page.screenshot(
        path=screenshot_dir / "certificates-cohort-laptop.png", full_page=True
    )

    page.get_by_role("button", name="Issue all eligible certificates").click()
    expect(page.get_by_role("heading", name="Issuing certificates")).to_be_visible()
    expect(page.locator("#batch-progress")).to_contain_text("Waiting to start")
    page.screenshot(path=screenshot_dir / "certificates-bulk-queued-laptop.png")

    run_one_worker_cycle()
    download_link = page.get_by_role("link", name="Download ZIP of PDFs")
    expect(download_link).to_be_visible(timeout=20_000)
    expect(page.locator("#batch-progress")).to_contain_text("Finished")
    batch = CertificateBatch.objects.get()
    assert batch.status == BatchStatus.DONE
    assert (batch.done, batch.failed) == (batch.total, 0)
    assert batch.total >= 2
    page.screenshot(
        path=screenshot_dir / "certificates-bulk-done-laptop.png", full_page=True
    )

    with page.expect_download() as caught:
        download_link.click()
    archive = zipfile.ZipFile(io.BytesIO(Path(caught.value.path()).read_bytes()))
    names = archive.namelist()
    valid = Certificate.objects.filter(
        cohort__slug=SLUG, status=CertificateStatus.VALID
    )
    assert len(names) == valid.count() == batch.total + 1
    assert {n.rsplit(" ", 1)[1][:-4] for n in names} == {c.code for c in valid}
    assert any(n.startswith("李娜 ") for n in names)
    assert all(archive.read(n).startswith(b"%PDF") for n in names)

    # the certificate itself, as an image to look at
    pdf_path = tmp_path / "li.pdf"
    pdf_path.write_bytes(archive.read(next(n for n in names if n.startswith("李娜 "))))
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            "-singlefile",
            str(pdf_path),
            str(screenshot_dir / "certificate-li-na"),
        ],
        check=True,
    )


def test_verify_on_a_phone(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    li = Certificate.objects.get(user__email="li.na@seabright.demo")
    kevin = Certificate.objects.get(user__email="kevin.zhang@seabright.demo")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/certificates/verify/")
    page.get_by_label("证书编号").fill(li.code.lower().replace("-", " "))
    page.get_by_role("button", name="验证").click()
    expect(page.locator(".cert-result")).to_contain_text("有效证书")
    expect(page.locator(".cert-holder")).to_contain_text("李娜")
    page.screenshot(
        path=screenshot_dir / "certificates-verify-valid-phone.png", full_page=True
    )

    page.goto(f"{live_server.url}/certificates/verify/{kevin.code}/")
    expect(page.locator(".cert-result")).to_contain_text("此证书已被撤销")
    expect(page.locator(".cert-result")).to_contain_text(kevin.revoked_reason)
    page.screenshot(
        path=screenshot_dir / "certificates-verify-revoked-phone.png", full_page=True
    )

    page.get_by_label("证书编号").fill("LS-1234-5678-ABCD")
    page.get_by_role("button", name="验证").click()
    expect(page.locator(".cert-result")).to_contain_text("这不是有效的证书编号")
    context.close()

    laptop = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    page = laptop.new_page()
    page.goto(f"{live_server.url}/certificates/verify/{li.code}/")
    page.screenshot(
        path=screenshot_dir / "certificates-verify-valid-laptop.png", full_page=True
    )
    laptop.close()


def test_trainee_sees_standing_and_own_certificates(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    li = Certificate.objects.get(user__email="li.na@seabright.demo")
    for name, viewport in (("phone", PHONE), ("laptop", LAPTOP)):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        sign_in(page, live_server.url, "li.na@seabright.demo")
        page.goto(f"{live_server.url}/certificates/mine/")
        expect(page.get_by_role("heading", name="我的证书")).to_be_visible()
        share = page.get_by_label("分享链接")
        expect(share).to_be_visible()
        assert share.input_value().endswith(f"/certificates/verify/{li.code}/")
        page.screenshot(
            path=screenshot_dir / f"certificates-mine-{name}.png", full_page=True
        )
        context.close()
