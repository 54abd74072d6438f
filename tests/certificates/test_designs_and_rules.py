"""Designs refuse unknown placeholders (naming them), bad colours and bad images;
issuing refuses trainees who do not meet the rules unless staff override with a reason;
a trainee's standing says what is met and what is left."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from cohorts.certificates import services
from cohorts.certificates.eligibility import cohort_standings
from cohorts.certificates.models import (
    Certificate,
    CertificateAction,
    CertificateDesign,
    RequiredAssignments,
)
from cohorts.coaching.models import SubmissionStatus
from tests.factories.certificates import CertificateDesignFactory
from tests.factories.coaching import AssignmentFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def png_bytes(size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#1f3a5f").save(buffer, "PNG")
    return buffer.getvalue()


def test_unknown_placeholder_is_refused_with_its_name() -> None:
    design = CertificateDesign(
        name="x", body_zh="恭喜 {name} 完成 {courses}，得分 {grade}"
    )
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        design.full_clean()
    message = " ".join(caught.value.message_dict["body_zh"])
    assert "{courses}" in message and "{grade}" in message
    assert "{name}" not in message.split("Use one of")[0]


def test_unbalanced_braces_are_refused() -> None:
    design = CertificateDesign(name="x", body_en="Well done {name")
    with pytest.raises(ValidationError) as caught:
        design.full_clean()
    assert "body_en" in caught.value.message_dict


def test_known_placeholders_and_colours_pass() -> None:
    design = CertificateDesign(
        name="ok",
        body_zh="{name} {course} {cohort} {start_date} {end_date} {hours} {score}",
        primary_colour="#123abc",
    )
    design.full_clean()


def test_colour_must_be_hex() -> None:
    design = CertificateDesign(name="x", primary_colour="navy")
    with pytest.raises(ValidationError) as caught:
        design.full_clean()
    assert "primary_colour" in caught.value.message_dict


def test_logo_that_is_not_an_image_is_refused() -> None:
    design = CertificateDesign(name="x")
    design.logo = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        design.full_clean()
    assert "not an image" in " ".join(caught.value.message_dict["logo"])


def test_logo_too_large_is_refused() -> None:
    design = CertificateDesign(name="x")
    big = png_bytes() + b"\0" * (2 * 1024 * 1024 + 1)
    design.logo = SimpleUploadedFile("logo.png", big)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        design.full_clean()
    assert "limit is 2 MB" in " ".join(caught.value.message_dict["logo"])


def test_logo_png_is_accepted_and_printed(
    cohort: Any, coach: Any, trainee: Any
) -> None:
    design = cohort.completion_rule.design
    design.logo = SimpleUploadedFile("logo.png", png_bytes())
    design.full_clean()
    design.save()
    certificate = services.certificate_issue(
        cohort=cohort, trainee=trainee, actor=coach
    )
    assert certificate.frozen["logo"] == design.logo.name
    assert b"/Subtype /Image" in certificate.pdf.read()


def test_admin_form_refuses_unknown_placeholder(client: Client, staff: Any) -> None:
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.post(
        reverse("wagtailsnippets_certificates_certificatedesign:add"),
        {
            "name": "新设计",
            "language": "bilingual",
            "title_zh": "结业证书",
            "title_en": "Certificate",
            "body_zh": "兹证明 {name} 完成 {course_name}",
            "body_en": "",
            "issuer_name": "Lodestar",
            "primary_colour": "#1f3a5f",
            "accent_colour": "#b8893b",
            "signatures-TOTAL_FORMS": "1",
            "signatures-INITIAL_FORMS": "0",
            "signatures-MIN_NUM_FORMS": "1",
            "signatures-MAX_NUM_FORMS": "3",
            "signatures-0-signer_name": "王明远",
            "signatures-0-signer_title": "讲师",
            "signatures-0-ORDER": "1",
            "signatures-0-id": "",
            "signatures-0-DELETE": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "{course_name}" in response.content.decode()
    assert not CertificateDesign.objects.filter(name="新设计").exists()


def _rules(cohort: Any, **fields: Any) -> Any:
    rule = cohort.completion_rule
    for key, value in fields.items():
        setattr(rule, key, value)
    rule.save()
    return rule


def test_standing_counts_required_assignments(cohort: Any, trainee: Any) -> None:
    _rules(cohort, required_assignments=RequiredAssignments.ALL)
    assignments = [AssignmentFactory(cohort=cohort, is_required=True) for _ in range(3)]
    AssignmentFactory(cohort=cohort, is_required=False)
    for assignment in assignments[:2]:
        SubmissionFactory(
            assignment=assignment,
            trainee=trainee,
            status=SubmissionStatus.APPROVED,
            approved_at=timezone.now(),
            score_percent=Decimal("90"),
        )
    with translation.override("en"):
        standing = cohort_standings(cohort, [trainee.pk])[trainee.pk]
    check = next(c for c in standing.checks if c.key == "assignments")
    assert check.actual == "2 of 3 approved"
    assert not check.met
    assert check.remaining == "1 more assignment to be approved"
    assert not standing.eligible


def test_not_eligible_is_refused_without_override(
    cohort: Any, coach: Any, trainee: Any, staff: Any
) -> None:
    _rules(cohort, min_average_score=Decimal("80"))
    with pytest.raises(services.CertificateError, match=r"不满足|does not meet"):
        services.certificate_issue(cohort=cohort, trainee=trainee, actor=coach)
    # a coach cannot override, even with a reason
    with pytest.raises(services.CertificateError):
        services.certificate_issue(
            cohort=cohort, trainee=trainee, actor=coach, override_reason="表现很好"
        )
    assert not Certificate.objects.exists()
    # staff can, with a reason, and it is audited
    certificate = services.certificate_issue(
        cohort=cohort,
        trainee=trainee,
        actor=staff,
        override_reason="补考已通过（线下）",
    )
    assert certificate.override_reason == "补考已通过（线下）"
    event = certificate.events.get()
    assert event.action == CertificateAction.ISSUED_OVERRIDE
    assert event.actor == staff and event.reason == "补考已通过（线下）"


def test_blank_override_reason_is_no_override(
    cohort: Any, trainee: Any, staff: Any
) -> None:
    _rules(cohort, min_attendance_percent=Decimal("80"))
    with pytest.raises(services.CertificateError):
        services.certificate_issue(
            cohort=cohort, trainee=trainee, actor=staff, override_reason="   "
        )
    assert not Certificate.objects.exists()


def test_final_assessment_must_be_approved(
    cohort: Any, coach: Any, trainee: Any
) -> None:
    final = AssignmentFactory(cohort=cohort, is_required=False, title="结业考核")
    _rules(cohort, final_assessment=final)
    with pytest.raises(services.CertificateError):
        services.certificate_issue(cohort=cohort, trainee=trainee, actor=coach)
    SubmissionFactory(
        assignment=final, trainee=trainee, status=SubmissionStatus.APPROVED
    )
    assert services.certificate_issue(cohort=cohort, trainee=trainee, actor=coach)


def test_final_assessment_of_another_cohort_is_refused(cohort: Any) -> None:
    other = AssignmentFactory()
    rule = cohort.completion_rule
    rule.final_assessment = other
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert "final_assessment" in caught.value.message_dict


def test_design_with_no_signature_image_still_renders(cohort: Any) -> None:
    design = CertificateDesignFactory(signatures=False)
    assert design.signatures.count() == 0
