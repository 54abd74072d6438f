"""Issuing renders a PDF whose Chinese name is real text and whose QR code decodes
back to the public verify URL; the frozen copy does not follow later edits."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from accounts.models import Notification, NotificationKind
from cohorts.certificates import services
from cohorts.certificates.codes import normalize_code
from cohorts.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateName,
)
from cohorts.certificates.pdf import render_pdf

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def decode_qr(content: bytes, tmp_path: Path) -> str:
    """Rasterise the page with poppler and read the QR code with zbar (zbar-tools)."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-png",
            "-singlefile",
            str(path),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    decoded = subprocess.run(
        [
            "zbarimg",
            "--quiet",
            "--raw",
            "-Sdisable",
            "-Sqrcode.enable",
            str(tmp_path / "p.png"),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return decoded.strip()


def test_issue_renders_chinese_name_as_text_and_qr_to_verify_url(
    cohort: Any, coach: Any, trainee: Any, tmp_path: Path
) -> None:
    CertificateName.objects.create(user=trainee, name_zh="李娜", name_latin="Li Na")
    certificate = services.certificate_issue(
        cohort=cohort, trainee=trainee, actor=coach
    )

    assert normalize_code(certificate.code) == certificate.code
    content = certificate.pdf.read()
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "李娜" in text
    assert "Li Na" in text
    assert certificate.code in text
    assert "海明 2026 秋季内训" in text
    assert decode_qr(content, tmp_path) == (
        f"https://lodestar.example/certificates/verify/{certificate.code}/"
    )
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "certificate.pdf")], capture_output=True, text=True
    ).stdout
    assert "Certificate-Serif" in fonts  # embedded subset, so the name is text

    event = certificate.events.get()
    assert event.action == CertificateAction.ISSUED
    assert event.actor == coach


def test_holder_is_notified_in_their_language(
    cohort: Any, coach: Any, trainee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(
            cohort=cohort, trainee=trainee, actor=coach
        )
    notification = Notification.objects.get(
        user=trainee, kind=NotificationKind.CERTIFICATE_ISSUED
    )
    assert cohort.name in notification.title
    assert certificate.code in notification.body
    assert notification.url == "/certificates/mine/"


def test_frozen_copy_keeps_text_after_edits(
    cohort: Any, coach: Any, trainee: Any, tmp_path: Path
) -> None:
    certificate = services.certificate_issue(
        cohort=cohort, trainee=trainee, actor=coach
    )
    first = pdf_text(certificate.pdf.read(), tmp_path)

    trainee.display_name = "李娜娜"
    trainee.save()
    cohort.course.title = "新课程名"
    cohort.course.save()
    design = cohort.completion_rule.design
    design.body_zh = "改过的正文 {name}"
    design.save()

    certificate.refresh_from_db()
    again = pdf_text(render_pdf(certificate.frozen), tmp_path)
    assert again == first
    assert "李娜娜" not in again and "改过的正文" not in again


def test_one_valid_certificate_per_trainee(
    cohort: Any, coach: Any, trainee: Any
) -> None:
    services.certificate_issue(cohort=cohort, trainee=trainee, actor=coach)
    with pytest.raises(services.CertificateError, match="already holds"):
        services.certificate_issue(cohort=cohort, trainee=trainee, actor=coach)
    assert Certificate.objects.count() == 1


def test_bilingual_text_in_both_languages(
    cohort: Any, coach: Any, trainee: Any, tmp_path: Path
) -> None:
    certificate = services.certificate_issue(
        cohort=cohort, trainee=trainee, actor=coach
    )
    frozen = certificate.frozen
    assert set(frozen["title"]) == {"zh", "en"}
    assert "24" in frozen["body"]["zh"] and "24 hours" in frozen["body"]["en"]
    text = pdf_text(certificate.pdf.read(), tmp_path)
    assert "结业证书" in text
    assert "CERTIFICATE OF COMPLETION" in text.upper()


def test_rare_name_characters_fall_back_to_the_full_font_as_text(
    cohort: Any, coach: Any, trainee: Any, tmp_path: Path
) -> None:
    """堃 and 喆 are outside the bundled GB2312 subset: still text, not tofu."""
    CertificateName.objects.create(user=trainee, name_zh="王堃喆", name_latin="")
    certificate = services.certificate_issue(
        cohort=cohort, trainee=trainee, actor=coach
    )
    assert "王堃喆" in pdf_text(certificate.pdf.read(), tmp_path)
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "certificate.pdf")], capture_output=True, text=True
    ).stdout
    assert "Certificate-Serif" in fonts and "Noto-Serif-CJK-SC" in fonts
