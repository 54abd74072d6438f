"""Pages: applying, status, review, money; who may see what (404, login)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from cohorts.admissions.models import (
    Application,
    InvoiceRequest,
    Payment,
    PaymentAgreement,
    RegistrantStatus,
)
from cohorts.models import Enrolment
from tests.factories.accounts import OrgAdminFactory, UserFactory
from tests.factories.admissions import (
    VALID_TAX_ID,
    AdmissionSettingsFactory,
    ApplicationFactory,
    InvoiceRequestFactory,
    PaymentAgreementFactory,
    RegistrantFactory,
)
from tests.factories.cohorts import (
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
)

pytestmark = pytest.mark.django_db


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "company_name": "深圳潮汐电商有限公司",
        "applicant_name": "吴芳",
        "applicant_role": "运营总监",
        "team_size": "6-20",
        "revenue_band": "10-50m",
        "channels": ["amazon_us", "shopee"],
        "pains": ["no_targets"],
        "problems": "",
        "phone": "13800138000",
        "email": "wu.fang@tidewave.cn",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "30",
        "people-0-name": "张三",
        "people-0-email": "zhang@tidewave.cn",
        "people-0-role": "广告",
        "people-1-name": "李四",
        "people-1-email": "li@tidewave.cn",
        "people-1-role": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(client):  # type: ignore[no-untyped-def]
    user = UserFactory(is_staff=True, preferred_language="en")
    return user


# Applying --------------------------------------------------------------------


def test_visitor_applies_and_lands_on_the_status_page(
    client, mailoutbox, run_tasks, django_capture_on_commit_callbacks
):
    cohort = CohortFactory(capacity=10)
    url = reverse("admissions:apply", args=[cohort.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "Amazon US" in page.content.decode() or "亚马逊美国" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data())
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admissions:status", args=[application.access_key]
    )
    assert list(application.registrants.values_list("name", flat=True)) == [
        "张三",
        "李四",
    ]
    assert mailoutbox[0].to == ["wu.fang@tidewave.cn"]
    assert application.access_key in mailoutbox[0].body
    status = client.get(response["Location"])
    assert status.status_code == 200
    body = status.content.decode()
    assert "张三" in body and "李四" in body
    assert status["Referrer-Policy"] == "no-referrer"


def test_empty_rows_are_skipped_and_bad_rows_explained_in_chinese(client):
    cohort = CohortFactory()
    url = reverse("admissions:apply", args=[cohort.slug])
    response = client.post(
        url,
        form_data(
            phone="12345",
            channels=[],
            **{"people-1-name": "", "people-1-email": "not-an-email"},
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请输入可以拨打的电话" in body
    assert "至少选择一个平台或站点" in body
    assert "有效的" in body  # Django's own email message
    assert not Application.objects.exists()


def test_repeat_application_message_on_the_page(client):
    cohort = CohortFactory()
    url = reverse("admissions:apply", args=[cohort.slug])
    client.post(url, form_data())
    response = client.post(
        url,
        form_data(
            **{"people-0-email": "x@tidewave.cn", "people-1-email": "y@tidewave.cn"}
        ),
    )
    assert response.status_code == 200
    assert "报名过这个班期" in response.content.decode()
    assert Application.objects.count() == 1


def test_english_messages_follow_the_language_cookie(client):
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    client.cookies["lodestar_language"] = "en"
    response = client.get(reverse("admissions:apply", args=[cohort.slug]))
    assert (
        "This cohort is full, so it takes no more applications"
        in response.content.decode()
    )


def test_full_cohort_post_is_refused_with_a_message(client):
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    response = client.post(reverse("admissions:apply", args=[cohort.slug]), form_data())
    assert "已满" in response.content.decode()
    assert not Application.objects.exists()


def test_add_a_colleague_row_with_htmx_and_without(client):
    cohort = CohortFactory()
    row = client.get(
        reverse("admissions:person_row", args=[cohort.slug]) + "?index=2",
        HTTP_HX_REQUEST="true",
    )
    body = row.content.decode()
    assert 'name="people-2-email"' in body
    assert 'value="3" id="id_people-TOTAL_FORMS" hx-swap-oob="true"' in body
    assert "index=3" in body
    plain = client.post(
        reverse("admissions:apply", args=[cohort.slug]),
        form_data(add_person="1"),
    )
    page = plain.content.decode()
    assert 'name="people-2-email"' in page
    assert 'value="li@tidewave.cn"' in page
    assert "field-error" not in page
    assert not Application.objects.exists()


def test_in_house_cohort_apply_page_is_404_for_outsiders(
    client, other_organization_user
):
    cohort = InHouseCohortFactory()
    AdmissionSettingsFactory(cohort=cohort)
    urls = [
        reverse("admissions:apply", args=[cohort.slug]),
        reverse("admissions:person_row", args=[cohort.slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(other_organization_user)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(urls[0], form_data()).status_code == 404
    assert not Application.objects.exists()


def test_signed_in_user_is_sent_to_their_application(client, run_tasks):
    user = UserFactory(email="wu.fang@tidewave.cn")
    client.force_login(user)
    cohort = CohortFactory()
    response = client.post(reverse("admissions:apply", args=[cohort.slug]), form_data())
    application = Application.objects.get()
    assert response["Location"] == reverse("admissions:detail", args=[application.pk])
    mine = client.get(reverse("admissions:mine"))
    assert cohort.name in mine.content.decode()
    home = client.get("/")
    assert reverse("admissions:detail", args=[application.pk]) in home.content.decode()


def test_schedule_page_shows_apply(client):
    cohort = CohortFactory()
    page = client.get(cohort.get_absolute_url())
    assert reverse("admissions:apply", args=[cohort.slug]) in page.content.decode()


# Status pages and their permissions ------------------------------------------


def test_status_link_with_a_wrong_key_is_404(client):
    ApplicationFactory()
    assert client.get(reverse("admissions:status", args=["x" * 32])).status_code == 404
    assert (
        client.get(reverse("admissions:status_invoice", args=["short"])).status_code
        == 404
    )


def test_an_applicant_cannot_see_another_application(client):
    mine = ApplicationFactory(email="me@tidewave.cn")
    theirs = ApplicationFactory()
    client.force_login(UserFactory(email="me@tidewave.cn"))
    assert client.get(reverse("admissions:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admissions:detail", args=[theirs.pk])).status_code == 404
    assert (
        client.get(reverse("admissions:invoice", args=[theirs.pk])).status_code == 404
    )


def test_anonymous_is_sent_to_login(client):
    application = ApplicationFactory()
    cohort = application.cohort
    for url in [
        reverse("admissions:mine"),
        reverse("admissions:detail", args=[application.pk]),
        reverse("admissions:invoice", args=[application.pk]),
        reverse("admissions:review"),
        reverse("admissions:review_detail", args=[application.pk]),
        reverse("admissions:settings", args=[cohort.slug]),
        reverse("admissions:payments", args=[cohort.slug]),
        reverse("admissions:payments_xlsx", args=[cohort.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_org_admin_sees_and_sends_invoice_details_for_their_organization_only(
    client, other_organization_user
):
    admin = OrgAdminFactory()
    application = ApplicationFactory(organization=admin.organization)
    other_admin = OrgAdminFactory()
    client.force_login(other_admin.user)
    url = reverse("admissions:invoice", args=[application.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url,
            {
                "kind": "general",
                "title": "x",
                "tax_id": VALID_TAX_ID,
                "email": "a@b.cn",
            },
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("admissions:detail", args=[application.pk])).status_code
        == 404
    )
    assert not InvoiceRequest.objects.exists()

    client.force_login(admin.user)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "general",
            "title": "海明家居",
            "tax_id": "91330100716105852E",
            "email": "f@seabright.cn",
        },
    )
    assert "校验位" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "general",
            "title": "海明家居",
            "tax_id": VALID_TAX_ID,
            "email": "f@seabright.cn",
        },
    )
    assert response.status_code == 302
    assert InvoiceRequest.objects.get().submitted_by == admin.user


def test_visitor_sends_invoice_details_through_the_status_link(client):
    application = ApplicationFactory()
    url = reverse("admissions:status_invoice", args=[application.access_key])
    response = client.post(
        url,
        {
            "kind": "special",
            "title": "潮汐",
            "tax_id": VALID_TAX_ID,
            "email": "f@tidewave.cn",
        },
    )
    assert response.status_code == 200
    assert "增值税专用发票需要填写此项" in response.content.decode()
    response = client.post(
        url,
        {"kind": "general", "title": "潮汐", "tax_id": "ABC", "email": "f@tidewave.cn"},
    )
    assert "18 位" in response.content.decode()
    assert not InvoiceRequest.objects.exists()


# Review ----------------------------------------------------------------------


def test_non_staff_cannot_see_the_review_queue(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admissions:review")).status_code == 404
    registrant = RegistrantFactory()
    assert (
        client.get(
            reverse("admissions:review_detail", args=[registrant.application_id])
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("admissions:approve", args=[registrant.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("admissions:reject", args=[registrant.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    registrant.refresh_from_db()
    assert registrant.status == RegistrantStatus.PENDING


def test_a_coach_reviews_their_cohort_only(client, run_tasks):
    coach = CoachFactory()
    mine = RegistrantFactory(application__cohort=CohortFactory(coaches=[coach]))
    other = RegistrantFactory()
    client.force_login(coach)
    queue = client.get(reverse("admissions:review"))
    assert queue.status_code == 200
    assert mine.application.company_name in queue.content.decode()
    assert other.application.company_name not in queue.content.decode()
    assert (
        client.get(
            reverse("admissions:review_detail", args=[other.application_id])
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("admissions:approve", args=[other.pk])).status_code == 404
    )
    assert (
        client.get(
            reverse("admissions:review") + f"?cohort={other.cohort.slug}"
        ).status_code
        == 404
    )
    detail = client.get(reverse("admissions:review_detail", args=[mine.application_id]))
    assert "Record what was agreed" not in detail.content.decode()
    assert "记录约定金额" not in detail.content.decode()
    # coaches are not finance
    assert (
        client.get(reverse("admissions:payments", args=[mine.cohort.slug])).status_code
        == 404
    )
    assert (
        client.get(reverse("admissions:settings", args=[mine.cohort.slug])).status_code
        == 404
    )


def test_review_queue_queries_do_not_grow(client, staff, django_assert_max_num_queries):
    cohort = CohortFactory()
    for _ in range(8):
        application = ApplicationFactory(cohort=cohort)
        RegistrantFactory(application=application)
        RegistrantFactory(application=application, status=RegistrantStatus.APPROVED)
    client.force_login(staff)
    client.get(reverse("admissions:review"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("admissions:review") + "?state=all")
    assert response.content.decode().count("person-chip") == 16


def test_approve_and_reject_with_htmx(client, staff, run_tasks):
    cohort = CohortFactory(capacity=5)
    application = ApplicationFactory(cohort=cohort)
    one = RegistrantFactory(
        application=application, name="张三", email="zhang@tidewave.cn"
    )
    two = RegistrantFactory(application=application, name="李四")
    client.force_login(staff)
    approved = client.post(
        reverse("admissions:approve", args=[one.pk]), HTTP_HX_REQUEST="true"
    )
    assert approved.status_code == 200
    assert f'id="registrant-{one.pk}"' in approved.content.decode()
    assert "is approved and enrolled" in approved.content.decode()
    assert Enrolment.objects.filter(
        cohort=cohort, user__email="zhang@tidewave.cn"
    ).exists()

    refused = client.post(
        reverse("admissions:reject", args=[two.pk]),
        {"reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Give a reason" in refused.content.decode()
    two.refresh_from_db()
    assert two.status == RegistrantStatus.PENDING
    rejected = client.post(
        reverse("admissions:reject", args=[two.pk]), {"reason": "只收亚马逊卖家"}
    )
    assert rejected.status_code == 302
    two.refresh_from_db()
    assert (two.status, two.reason) == (RegistrantStatus.REJECTED, "只收亚马逊卖家")
    queue = client.get(reverse("admissions:review") + "?state=partial")
    assert application.company_name in queue.content.decode()


def test_approval_beyond_capacity_shows_the_message(client, staff):
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    registrant = RegistrantFactory(application__cohort=cohort)
    client.force_login(staff)
    response = client.post(
        reverse("admissions:approve", args=[registrant.pk]), HTTP_HX_REQUEST="true"
    )
    assert "No seat left" in response.content.decode()


# Staff: settings and money ---------------------------------------------------


def test_staff_change_settings(client, staff):
    cohort = CohortFactory()
    client.force_login(staff)
    url = reverse("admissions:settings", args=[cohort.slug])
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "is_open": "on",
            "approval": "automatic",
            "price": "12.800,00",
            "currency": "CNY",
        },
    )
    assert "e.g. 12800 or 12,800.00" in bad.content.decode()
    client.post(
        url,
        {
            "is_open": "on",
            "approval": "automatic",
            "price": "12,800.00",
            "currency": "CNY",
        },
    )
    assert cohort.admission_settings.price == Decimal("12800.00")
    assert cohort.admission_settings.is_automatic


def test_staff_record_agreement_payment_and_issue_invoice(client, staff):
    application = ApplicationFactory()
    RegistrantFactory(application=application, status=RegistrantStatus.APPROVED)
    client.force_login(staff)
    bad = client.post(
        reverse("admissions:agreement_add", args=[application.pk]),
        {"price": "abc", "discount": "", "currency": "CNY", "registrant": ""},
    )
    assert bad.status_code == 400
    assert not PaymentAgreement.objects.exists()
    client.post(
        reverse("admissions:agreement_add", args=[application.pk]),
        {
            "price": "25,600.00",
            "discount": "2560",
            "currency": "CNY",
            "registrant": "",
            "due_on": "2026-12-31",
        },
    )
    agreement = PaymentAgreement.objects.get()
    assert agreement.amount_due == Decimal("23040.00")
    bad = client.post(
        reverse("admissions:payment_add", args=[agreement.pk]),
        {"amount": "-5", "received_on": "2026-11-20", "reference": "CMB1"},
    )
    assert bad.status_code == 400 and "cannot be negative" in bad.content.decode()
    client.post(
        reverse("admissions:payment_add", args=[agreement.pk]),
        {"amount": "10,000.00", "received_on": "2026-11-20", "reference": "CMB1"},
    )
    assert Payment.objects.get().amount == Decimal("10000.00")
    InvoiceRequestFactory(application=application)
    client.post(
        reverse("admissions:invoice_issue", args=[application.pk]),
        {"number": "24442000000012345678", "issued_on": "2026-11-21"},
    )
    assert InvoiceRequest.objects.get().number == "24442000000012345678"
    listing = client.get(reverse("admissions:payments", args=[application.cohort.slug]))
    body = listing.content.decode()
    assert "23,040.00" in body and "10,000.00" in body and "13,040.00" in body
    export = client.get(
        reverse("admissions:payments_xlsx", args=[application.cohort.slug])
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert export.content[:2] == b"PK"


def test_money_pages_are_404_for_non_staff(client):
    agreement = PaymentAgreementFactory()
    InvoiceRequestFactory(application=agreement.application)
    client.force_login(UserFactory())
    slug = agreement.application.cohort.slug
    assert client.get(reverse("admissions:payments", args=[slug])).status_code == 404
    assert (
        client.get(reverse("admissions:payments_xlsx", args=[slug])).status_code == 404
    )
    assert (
        client.post(
            reverse("admissions:agreement_add", args=[agreement.application_id]),
            {"price": "1", "currency": "CNY"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("admissions:payment_add", args=[agreement.pk]),
            {"amount": "1", "received_on": "2026-11-01", "reference": "x"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("admissions:invoice_issue", args=[agreement.application_id]),
            {"number": "1", "issued_on": "2026-11-01"},
        ).status_code
        == 404
    )
    assert not Payment.objects.exists()


def test_payments_page_queries_do_not_grow(client, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cohort = CohortFactory()
    AdmissionSettingsFactory(cohort=cohort)
    client.force_login(staff)
    url = reverse("admissions:payments", args=[cohort.slug])
    counts = []
    for _ in range(2):
        for _ in range(3):
            agreement = PaymentAgreementFactory(application__cohort=cohort)
            InvoiceRequestFactory(application=agreement.application)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9


def test_reviewers_see_how_many_people_wait_on_their_home_page(client, staff):
    RegistrantFactory()
    RegistrantFactory(status=RegistrantStatus.APPROVED)
    client.force_login(staff)
    home = client.get("/").content.decode()
    assert "1 person is waiting for your decision." in home
    client.force_login(UserFactory())
    assert "waiting for your decision" not in client.get("/").content.decode()
