"""The public verify page: valid, revoked (with reason and date), unknown, malformed,
rate-limited; it shows the certificate's frozen facts and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cohorts.certificates import services
from cohorts.certificates.codes import check_symbol, new_code, normalize_code
from cohorts.certificates.models import CertificateAction, CertificateEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(cohort: Any, coach: Any, trainee: Any) -> Any:
    return services.certificate_issue(cohort=cohort, trainee=trainee, actor=coach)


def test_codes_are_well_formed_and_check_symbol_catches_typos() -> None:
    code = new_code()
    assert code.startswith("LS-") and len(code) == 17
    assert normalize_code(code) == code
    assert normalize_code(code.lower().replace("-", " ")) == code
    payload = code.replace("-", "")[2:]
    wrong = "1" if payload[3] != "1" else "2"
    typo = payload[:3] + wrong + payload[4:]
    assert normalize_code(typo) is None
    swapped = payload[1] + payload[0] + payload[2:]
    if payload[0] != payload[1]:
        assert normalize_code(swapped) is None
    assert normalize_code("LS-1234") is None
    assert normalize_code("hello") is None
    assert check_symbol("0000000000") == "0"


def test_valid_certificate_shows_holder_course_and_dates(
    client: Client, certificate: Any, trainee: Any
) -> None:
    response = client.get(reverse("certificates:verify_code", args=[certificate.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "有效证书" in page or "Valid certificate" in page
    assert "李娜" in page
    assert certificate.frozen["course"]["zh"] in page
    assert certificate.frozen["start_date"] in page
    assert trainee.email not in page  # nothing else about the holder


def test_verify_form_redirects_a_typed_code(client: Client, certificate: Any) -> None:
    typed = certificate.code.lower().replace("-", "")
    response = client.get(reverse("certificates:verify"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "certificates:verify_code", args=[certificate.code]
    )


def test_revocation_shows_reason_and_date(
    client: Client, certificate: Any, staff: Any
) -> None:
    services.certificate_revoke(
        certificate=certificate, actor=staff, reason="作业抄袭，经核实撤销"
    )
    response = client.get(
        reverse("certificates:verify_code", args=[certificate.code]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This certificate was revoked" in page
    assert "作业抄袭，经核实撤销" in page
    assert certificate.code in page
    event = CertificateEvent.objects.get(action=CertificateAction.REVOKED)
    assert event.actor == staff and event.reason == "作业抄袭，经核实撤销"

    services.certificate_reinstate(
        certificate=certificate, actor=staff, reason="申诉成立"
    )
    page = client.get(
        reverse("certificates:verify_code", args=[certificate.code]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Valid certificate" in page
    assert list(
        certificate.events.order_by("created_at", "id").values_list("action", flat=True)
    ) == ["issued", "revoked", "reinstated"]


def test_revoke_needs_staff_and_a_reason(
    certificate: Any, coach: Any, staff: Any
) -> None:
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=certificate, actor=coach, reason="x")
    with pytest.raises(services.CertificateError, match="reason"):
        services.certificate_revoke(certificate=certificate, actor=staff, reason="  ")
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_unknown_code_is_404_with_a_clear_message(client: Client) -> None:
    code = new_code()
    response = client.get(
        reverse("certificates:verify_code", args=[code]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert "No certificate has this number" in response.content.decode()


def test_malformed_code_answers_without_a_query(
    client: Client, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.get(
            reverse("certificates:verify_code", args=["LS-1234-5678-XXXX"]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert "This is not a certificate number" in response.content.decode()


def test_lookups_are_rate_limited_per_ip(client: Client, certificate: Any) -> None:
    url = reverse("certificates:verify_code", args=[new_code()])
    for _ in range(20):
        assert client.get(url, REMOTE_ADDR="10.0.0.1").status_code == 404
    response = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many lookups" in response.content.decode()
    # the real code is refused too from that address, but not from another one
    real = reverse("certificates:verify_code", args=[certificate.code])
    assert client.get(real, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(real, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_rate_limit_page_in_chinese(client: Client) -> None:
    client.cookies["lodestar_language"] = "zh-hans"
    url = reverse("certificates:verify_code", args=[new_code()])
    for _ in range(21):
        response = client.get(
            url, REMOTE_ADDR="10.0.0.9", HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 429
    assert "查询次数过多" in response.content.decode()


def test_malformed_codes_do_not_spend_the_budget(client: Client) -> None:
    for _ in range(30):
        client.get(
            reverse("certificates:verify_code", args=["nope"]), REMOTE_ADDR="10.0.0.3"
        )
    url = reverse("certificates:verify_code", args=[new_code()])
    assert client.get(url, REMOTE_ADDR="10.0.0.3").status_code == 404
