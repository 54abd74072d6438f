"""Every certificate page checks who asks: anonymous → login, others → 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cohorts.certificates import services
from cohorts.certificates.models import Certificate, CertificateName
from tests.factories.accounts import OrgAdminFactory, UserFactory
from tests.factories.cohorts import CoachFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(cohort: Any, coach: Any, trainee: Any) -> Certificate:
    return services.certificate_issue(cohort=cohort, trainee=trainee, actor=coach)


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "name,args",
    [
        ("certificates:mine", []),
        ("certificates:name", []),
        ("certificates:staff_list", []),
    ],
)
def test_anonymous_is_sent_to_login(client: Client, name: str, args: Any) -> None:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_anonymous_cannot_download_or_open_cohort_pages(
    client: Client, certificate: Certificate, cohort: Any
) -> None:
    for url in (
        reverse("certificates:download", args=[certificate.code]),
        reverse("certificates:cohort", args=[cohort.slug]),
        reverse("certificates:standing", args=[cohort.slug]),
        reverse("certificates:manage", args=[certificate.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url


def test_holder_downloads_own_pdf(
    client: Client, certificate: Certificate, trainee: Any
) -> None:
    response = _login(client, trainee).get(
        reverse("certificates:download", args=[certificate.code])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_other_trainee_cannot_download(
    client: Client, certificate: Certificate, cohort: Any
) -> None:
    classmate = UserFactory()
    EnrolmentFactory(cohort=cohort, user=classmate)
    response = _login(client, classmate).get(
        reverse("certificates:download", args=[certificate.code])
    )
    assert response.status_code == 404


def test_other_org_admin_cannot_issue_or_download(
    client: Client, certificate: Certificate, cohort: Any, trainee: Any
) -> None:
    stranger = OrgAdminFactory().user
    _login(client, stranger)
    assert (
        client.get(
            reverse("certificates:download", args=[certificate.code])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("certificates:cohort", args=[cohort.slug])).status_code
        == 404
    )
    response = client.post(
        reverse("certificates:issue", args=[cohort.slug, trainee.pk])
    )
    assert response.status_code == 404
    assert (
        client.post(reverse("certificates:bulk", args=[cohort.slug])).status_code == 404
    )


def test_own_org_admin_issues_for_in_house_cohort(
    client: Client, cohort: Any, org_admin: Any, trainee: Any
) -> None:
    _login(client, org_admin)
    page = client.get(reverse("certificates:cohort", args=[cohort.slug]))
    assert page.status_code == 200
    assert trainee.display_name in page.content.decode()
    response = client.post(
        reverse("certificates:issue", args=[cohort.slug, trainee.pk])
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(user=trainee)
    assert certificate.issued_by == org_admin
    download = client.get(reverse("certificates:download", args=[certificate.code]))
    assert download.status_code == 200


def test_coach_of_another_cohort_gets_404(client: Client, cohort: Any) -> None:
    _login(client, CoachFactory())
    assert (
        client.get(reverse("certificates:cohort", args=[cohort.slug])).status_code
        == 404
    )


def test_cohort_page_queries_do_not_grow_with_trainees(
    client: Client, cohort: Any, coach: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        EnrolmentFactory(cohort=cohort)
    _login(client, coach)
    client.get(reverse("certificates:cohort", args=[cohort.slug]))  # warm caches
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("certificates:cohort", args=[cohort.slug]))
    for _ in range(10):
        EnrolmentFactory(cohort=cohort)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("certificates:cohort", args=[cohort.slug]))
    assert response.status_code == 200


def test_trainee_standing_page(client: Client, cohort: Any, trainee: Any) -> None:
    response = _login(client, trainee).get(
        reverse("certificates:standing", args=[cohort.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "你已满足全部规则" in response.content.decode()  # her language


def test_standing_of_a_cohort_one_is_not_in_is_404(client: Client, cohort: Any) -> None:
    response = _login(client, UserFactory()).get(
        reverse("certificates:standing", args=[cohort.slug])
    )
    assert response.status_code == 404


def test_trainee_sets_certificate_name(client: Client, trainee: Any) -> None:
    _login(client, trainee)
    response = client.post(
        reverse("certificates:name"), {"name_zh": "李娜", "name_latin": "Li Na"}
    )
    assert response.status_code == 302
    saved = CertificateName.objects.get(user=trainee)
    assert (saved.name_zh, saved.name_latin) == ("李娜", "Li Na")
    response = client.post(
        reverse("certificates:name"), {"name_zh": "", "name_latin": ""}
    )
    assert response.status_code == 200
    saved.refresh_from_db()
    assert saved.name_zh == "李娜"


def test_my_certificates_lists_share_link(
    client: Client, certificate: Certificate, trainee: Any
) -> None:
    page = _login(client, trainee).get(reverse("certificates:mine")).content.decode()
    assert certificate.code in page
    assert f"https://lodestar.example/certificates/verify/{certificate.code}/" in page


def test_manage_is_staff_only(
    client: Client, certificate: Certificate, coach: Any, staff: Any
) -> None:
    url = reverse("certificates:manage", args=[certificate.code])
    assert _login(client, coach).post(url, {"reason": "x"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == "valid"
    client.force_login(staff)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "身份信息有误"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_reason == "身份信息有误"
    page = client.get(url).content.decode()
    assert "身份信息有误" in page and staff.display_name in page


def test_staff_list_and_preview_are_staff_only(
    client: Client, certificate: Certificate, cohort: Any, coach: Any, staff: Any
) -> None:
    design = cohort.completion_rule.design
    _login(client, coach)
    assert client.get(reverse("certificates:staff_list")).status_code == 404
    assert (
        client.get(reverse("certificates:design_preview", args=[design.pk])).status_code
        == 404
    )
    client.force_login(staff)
    assert (
        certificate.code
        in client.get(reverse("certificates:staff_list"), {"q": "李"}).content.decode()
    )
    preview = client.get(reverse("certificates:design_preview", args=[design.pk]))
    assert preview.status_code == 200
    assert preview.content.startswith(b"%PDF")


def test_issue_refused_shows_message_and_writes_nothing(
    client: Client, cohort: Any, coach: Any, trainee: Any
) -> None:
    rule = cohort.completion_rule
    rule.min_attendance_percent = 90
    rule.save()
    _login(client, coach)
    response = client.post(
        reverse("certificates:issue", args=[cohort.slug, trainee.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "尚未满足结业规则" in response.content.decode()  # the coach's language
    assert not Certificate.objects.exists()


def test_staff_override_from_the_cohort_page_needs_a_reason(
    client: Client, cohort: Any, staff: Any, trainee: Any
) -> None:
    rule = cohort.completion_rule
    rule.min_attendance_percent = 90
    rule.save()
    staff.preferred_language = "en"
    staff.save()
    _login(client, staff)
    url = reverse("certificates:issue", args=[cohort.slug, trainee.pk])
    page = client.post(url, {"override_reason": ""}, follow=True).content.decode()
    assert "does not meet the completion rules" in page
    assert not Certificate.objects.exists()
    client.post(url, {"override_reason": "线下补课已完成"})
    certificate = Certificate.objects.get()
    assert certificate.override_reason == "线下补课已完成"
    assert certificate.events.get().reason == "线下补课已完成"


def test_home_panel_shows_standing_and_certificates(
    client: Client, cohort: Any, coach: Any, trainee: Any
) -> None:
    _login(client, trainee)
    page = client.get(reverse("home")).content.decode()
    assert reverse("certificates:standing", args=[cohort.slug]) in page
    certificate = services.certificate_issue(
        cohort=cohort, trainee=trainee, actor=coach
    )
    page = client.get(reverse("home")).content.decode()
    assert certificate.code in page


def test_cohort_tabs_link_issuers_and_trainees(
    client: Client, cohort: Any, coach: Any, trainee: Any
) -> None:
    url = reverse("certificates:standing", args=[cohort.slug])
    page = _login(client, trainee).get(url).content.decode()
    assert 'aria-current="page">我的证书' in page
    client.force_login(coach)
    page = client.get(
        reverse("certificates:cohort", args=[cohort.slug])
    ).content.decode()
    assert reverse("certificates:cohort", args=[cohort.slug]) + '" aria-current' in page


def test_cohort_without_rules_links_staff_to_the_admin(
    client: Client, cohort: Any, staff: Any
) -> None:
    cohort.completion_rule.delete()
    page = _login(client, staff).get(reverse("certificates:cohort", args=[cohort.slug]))
    assert page.status_code == 200
    assert reverse("wagtailsnippets_certificates_completionrule:add") in (
        page.content.decode()
    )


def test_wagtail_design_listing_offers_a_preview(
    client: Client, cohort: Any, staff: Any
) -> None:
    staff.is_superuser = True
    staff.save()
    design = cohort.completion_rule.design
    page = _login(client, staff).get(
        reverse("wagtailsnippets_certificates_certificatedesign:list")
    )
    assert page.status_code == 200
    assert reverse("certificates:design_preview", args=[design.pk]) in (
        page.content.decode()
    )
