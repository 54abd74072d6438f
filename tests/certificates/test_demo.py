from __future__ import annotations

import pytest

from cohorts.certificates import demo
from cohorts.certificates.models import (
    Certificate,
    CertificateDesign,
    CertificateStatus,
    CompletionRule,
)
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db


def test_demo_seeds_design_rules_and_two_certificates_once() -> None:
    seed_demo_cohorts()
    demo.seed()
    demo.seed()
    assert CertificateDesign.objects.count() == 1
    assert CompletionRule.objects.count() == 2
    li = Certificate.objects.get(user__email="li.na@seabright.demo")
    assert li.status == CertificateStatus.VALID
    assert li.frozen["name"] == {"zh": "李娜", "latin": "Li Na"}
    assert li.pdf
    kevin = Certificate.objects.get(user__email="kevin.zhang@seabright.demo")
    assert kevin.status == CertificateStatus.REVOKED
    assert kevin.revoked_reason
    assert Certificate.objects.count() == 2
