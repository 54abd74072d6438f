"""Approving and rejecting each person: accounts, enrolments, seats, emails."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.models import Notification, NotificationKind, User
from cohorts.admissions import services, tasks
from cohorts.admissions.models import RegistrantStatus
from cohorts.models import Enrolment, EnrolmentSource, EnrolmentStatus
from tests.admissions.helpers import details, people
from tests.factories.accounts import UserFactory
from tests.factories.admissions import RegistrantFactory
from tests.factories.cohorts import CoachFactory, CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    return UserFactory(is_staff=True, display_name="王晓岚")


def test_approval_creates_the_account_and_the_enrolment(
    staff, run_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    registrant = RegistrantFactory(email="new.person@tidewave.cn", name="新同事")
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.registrant_approve(registrant=registrant, reviewer=staff)
    assert decided.status == RegistrantStatus.APPROVED
    assert decided.decided_by == staff and decided.decided_at
    user = User.objects.get(email="new.person@tidewave.cn")
    assert decided.user == user
    assert not user.has_usable_password()
    assert user.preferred_language == "zh-hans"
    enrolment = Enrolment.objects.get(cohort=registrant.cohort, user=user)
    assert (enrolment.status, enrolment.source) == (
        EnrolmentStatus.ACTIVE,
        EnrolmentSource.STAFF,
    )
    assert run_tasks == [
        (
            "cohorts.admissions.tasks.send_application_update",
            registrant.application_id,
            f"registrant-{registrant.pk}-approved",
        )
    ]
    by_recipient = {m.to[0]: m for m in mailoutbox}
    assert set(by_recipient) == {registrant.application.email, user.email}
    assert "新同事" in by_recipient[registrant.application.email].subject
    assert f"/apply/status/{registrant.application.access_key}/" in (
        by_recipient[registrant.application.email].body
    )
    invite = by_recipient[user.email]
    assert "/accounts/password-reset/" in invite.body
    assert registrant.cohort.name in invite.subject


def test_approval_enrols_an_existing_account_without_a_new_password(
    staff, run_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    existing = UserFactory(email="li@tidewave.cn", preferred_language="en")
    registrant = RegistrantFactory(email="li@tidewave.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.registrant_approve(registrant=registrant, reviewer=staff)
    existing.refresh_from_db()
    assert existing.has_usable_password()
    assert Enrolment.objects.filter(user=existing, cohort=registrant.cohort).exists()
    message = next(m for m in mailoutbox if m.to == ["li@tidewave.cn"])
    assert message.subject.startswith("You are enrolled in")
    assert "/cohorts/" in message.body
    assert Notification.objects.filter(
        user=existing, kind=NotificationKind.APPLICATION_STATUS
    ).exists()


def test_rejection_needs_a_reason_and_emails_it(
    staff, run_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    registrant = RegistrantFactory()
    for blank in ("", "   "):
        with pytest.raises(services.AdmissionError, match="Give a reason"):
            services.registrant_reject(
                registrant=registrant, reviewer=staff, reason=blank
            )
    registrant.refresh_from_db()
    assert registrant.status == RegistrantStatus.PENDING
    with translation.override("zh-hans"):
        with pytest.raises(services.AdmissionError) as zh:
            services.registrant_reject(registrant=registrant, reviewer=staff, reason="")
        assert "原因" in str(zh.value.message)

    with django_capture_on_commit_callbacks(execute=True):
        services.registrant_reject(
            registrant=registrant, reviewer=staff, reason="本期只收亚马逊卖家"
        )
    registrant.refresh_from_db()
    assert registrant.status == RegistrantStatus.REJECTED
    assert registrant.reason == "本期只收亚马逊卖家"
    assert not User.objects.filter(email=registrant.email).exists()
    [message] = mailoutbox
    assert message.to == [registrant.application.email]
    assert "本期只收亚马逊卖家" in message.body


def test_each_change_sends_one_email_and_a_retried_job_sends_nothing_twice(
    staff, run_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    applicant = UserFactory(email="boss@tidewave.cn")
    cohort = CohortFactory()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(
            cohort=cohort,
            applicant=applicant,
            details=details(email="boss@tidewave.cn"),
            people=people("a@tidewave.cn", "b@tidewave.cn"),
            language="zh-hans",
        )
    first, second = application.registrants.all()
    with django_capture_on_commit_callbacks(execute=True):
        services.registrant_approve(registrant=first, reviewer=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.registrant_reject(registrant=second, reviewer=staff, reason="名额已满")
    to_applicant = [m for m in mailoutbox if m.to == ["boss@tidewave.cn"]]
    assert len(to_applicant) == 3  # received, approved, rejected
    assert Notification.objects.filter(user=applicant).count() == 3
    tasks.send_application_update(application.pk, f"registrant-{second.pk}-rejected")
    assert len([m for m in mailoutbox if m.to == ["boss@tidewave.cn"]]) == 3


def test_a_decided_person_cannot_be_decided_again(staff, run_tasks):
    registrant = RegistrantFactory()
    services.registrant_reject(registrant=registrant, reviewer=staff, reason="重复")
    with pytest.raises(services.AdmissionError, match="already decided"):
        services.registrant_approve(registrant=registrant, reviewer=staff)
    assert not Enrolment.objects.exists()


def test_approving_beyond_capacity_is_refused_and_writes_nothing(staff):
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    registrant = RegistrantFactory(
        application__cohort=cohort, email="late@tidewave.cn", name="晚到"
    )
    with pytest.raises(services.AdmissionError) as error:
        services.registrant_approve(registrant=registrant, reviewer=staff)
    assert "No seat left for 晚到: 1 of 1 seats are taken" in str(error.value.message)
    registrant.refresh_from_db()
    assert registrant.status == RegistrantStatus.PENDING
    assert not User.objects.filter(email="late@tidewave.cn").exists()
    assert Enrolment.objects.filter(cohort=cohort).count() == 1


def test_the_cohorts_coach_reviews_but_another_coach_does_not(run_tasks):
    coach = CoachFactory()
    cohort = CohortFactory(coaches=[coach])
    registrant = RegistrantFactory(application__cohort=cohort)
    with pytest.raises(services.AdmissionError, match="Only staff and the cohort"):
        services.registrant_approve(registrant=registrant, reviewer=CoachFactory())
    with pytest.raises(services.AdmissionError):
        services.registrant_reject(
            registrant=registrant, reviewer=UserFactory(), reason="x"
        )
    assert services.registrant_approve(
        registrant=registrant, reviewer=coach
    ).status == (RegistrantStatus.APPROVED)


def test_a_waitlisted_person_who_is_approved_gets_a_seat(staff):
    cohort = CohortFactory(capacity=2)
    waiting = EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.WAITLISTED)
    registrant = RegistrantFactory(application__cohort=cohort, email=waiting.user.email)
    services.registrant_approve(registrant=registrant, reviewer=staff)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ACTIVE


def test_plain_text_emails_are_not_html_escaped(
    staff, run_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    registrant = RegistrantFactory(
        application__company_name="A&B <Trading>", email="ab@tidewave.cn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.registrant_approve(registrant=registrant, reviewer=staff)
    invite = next(m for m in mailoutbox if m.to == ["ab@tidewave.cn"])
    assert "A&B <Trading>" in invite.body
    assert "&amp;" not in invite.body
