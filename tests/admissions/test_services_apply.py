"""Submitting an application: what is checked, and that nothing is half-saved."""

from __future__ import annotations

import pytest
from django.utils import translation

from accounts.models import User
from cohorts.admissions import services
from cohorts.admissions.models import (
    Application,
    ApprovalMode,
    Registrant,
    RegistrantStatus,
)
from cohorts.models import Enrolment, EnrolmentStatus
from tests.admissions.helpers import details, people
from tests.factories.accounts import MembershipFactory, OrgAdminFactory, UserFactory
from tests.factories.admissions import AdmissionSettingsFactory
from tests.factories.cohorts import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def submit(cohort, *emails, applicant=None, **overrides):  # type: ignore[no-untyped-def]
    return services.application_submit(
        cohort=cohort,
        applicant=applicant,
        details=details(**overrides),
        people=people(*emails),
        language="zh-hans",
    )


def test_a_visitor_applies_for_two_colleagues(django_capture_on_commit_callbacks):
    cohort = CohortFactory(capacity=10)
    with django_capture_on_commit_callbacks() as callbacks:
        application = submit(cohort, "a@tidewave.cn", "B@Tidewave.cn")
    assert len(callbacks) == 1
    assert application.submitted_by is None
    assert application.channels == ["amazon_us", "tiktok_shop"]
    assert len(application.access_key) >= 32
    rows = list(application.registrants.values_list("email", "status", "position"))
    assert rows == [
        ("a@tidewave.cn", RegistrantStatus.PENDING, 0),
        ("b@tidewave.cn", RegistrantStatus.PENDING, 1),
    ]
    assert not Enrolment.objects.exists()
    assert not User.objects.filter(email="a@tidewave.cn").exists()


def test_signed_in_applicant_is_linked_to_their_organization():
    admin = OrgAdminFactory()
    member = MembershipFactory(organization=admin.organization).user
    application = submit(CohortFactory(), "x@tidewave.cn", applicant=admin.user)
    assert application.submitted_by == admin.user
    assert application.organization == admin.organization
    other = submit(
        CohortFactory(), "y@tidewave.cn", applicant=member, email=member.email
    )
    assert other.organization == admin.organization


def test_the_same_applicant_cannot_apply_twice_for_a_cohort():
    cohort = CohortFactory()
    submit(cohort, "a@tidewave.cn")
    with pytest.raises(services.AdmissionError, match="already applied") as error:
        submit(cohort, "c@tidewave.cn", email="WU.FANG@tidewave.cn")
    assert error.value.field == "email"
    assert Application.objects.count() == 1
    with translation.override("zh-hans"), pytest.raises(services.AdmissionError) as zh:
        submit(cohort, "d@tidewave.cn")
    assert "报名过这个班期" in str(zh.value.message)


def test_a_person_already_listed_cannot_be_listed_again():
    cohort = CohortFactory()
    submit(cohort, "a@tidewave.cn")
    with pytest.raises(
        services.AdmissionError, match=r"a@tidewave\.cn already applied"
    ):
        submit(cohort, "new@tidewave.cn", "A@tidewave.cn", email="boss@other.cn")
    assert Registrant.objects.count() == 1
    assert Application.objects.count() == 1


def test_a_rejected_person_may_apply_again():
    cohort = CohortFactory()
    first = submit(cohort, "a@tidewave.cn")
    first.registrants.update(status=RegistrantStatus.REJECTED, reason="时间冲突")
    again = submit(cohort, "a@tidewave.cn")
    assert again.registrants.get().status == RegistrantStatus.PENDING


def test_someone_already_enrolled_is_refused():
    cohort = CohortFactory()
    EnrolmentFactory(cohort=cohort, user=UserFactory(email="a@tidewave.cn"))
    with pytest.raises(services.AdmissionError, match="already enrolled"):
        submit(cohort, "a@tidewave.cn")
    assert not Application.objects.exists()


def test_the_same_email_twice_in_one_list_is_refused():
    with pytest.raises(services.AdmissionError, match="appears twice"):
        submit(CohortFactory(), "a@tidewave.cn", "A@TIDEWAVE.CN")
    assert not Application.objects.exists()


def test_no_people_is_refused():
    with pytest.raises(services.AdmissionError, match="at least one person"):
        submit(CohortFactory())


def test_a_full_cohort_takes_no_applications():
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    with pytest.raises(services.AdmissionError, match="This cohort is full"):
        submit(cohort, "a@tidewave.cn")
    assert not Application.objects.exists()
    with translation.override("zh-hans"), pytest.raises(services.AdmissionError) as zh:
        submit(cohort, "a@tidewave.cn")
    assert "已满" in str(zh.value.message)


def test_waitlisted_people_do_not_fill_a_cohort():
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.WAITLISTED)
    assert submit(cohort, "a@tidewave.cn").pk


def test_a_closed_cohort_takes_no_applications():
    settings = AdmissionSettingsFactory(is_open=False)
    with pytest.raises(services.AdmissionError, match="not taking applications"):
        submit(settings.cohort, "a@tidewave.cn")


def test_in_house_cohorts_are_closed_unless_opened():
    from tests.factories.cohorts import InHouseCohortFactory

    cohort = InHouseCohortFactory()
    with pytest.raises(services.AdmissionError, match="not taking applications"):
        submit(cohort, "a@tidewave.cn")
    AdmissionSettingsFactory(cohort=cohort)
    assert submit(cohort, "a@tidewave.cn").pk


def test_automatic_cohort_enrols_everyone_and_creates_accounts(
    run_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    settings = AdmissionSettingsFactory(
        approval=ApprovalMode.AUTOMATIC, cohort=CohortFactory(capacity=5)
    )
    existing = UserFactory(email="b@tidewave.cn", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(settings.cohort, "a@tidewave.cn", "b@tidewave.cn")
    statuses = set(application.registrants.values_list("status", flat=True))
    assert statuses == {RegistrantStatus.APPROVED}
    new = User.objects.get(email="a@tidewave.cn")
    assert not new.has_usable_password()
    assert new.display_name == "同事 1"
    assert set(
        Enrolment.objects.filter(cohort=settings.cohort).values_list("user", "status")
    ) == {(new.pk, EnrolmentStatus.ACTIVE), (existing.pk, EnrolmentStatus.ACTIVE)}
    # the visitor's confirmation + one message to each enrolled person
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == ["a@tidewave.cn", "b@tidewave.cn", "wu.fang@tidewave.cn"]
    invitation = next(m for m in mailoutbox if m.to == ["a@tidewave.cn"])
    assert "/accounts/password-reset/" in invitation.body


def test_automatic_cohort_refuses_more_people_than_seats_and_saves_nothing():
    settings = AdmissionSettingsFactory(
        approval=ApprovalMode.AUTOMATIC, cohort=CohortFactory(capacity=2)
    )
    EnrolmentFactory(cohort=settings.cohort)
    with pytest.raises(
        services.AdmissionError, match=r"Seats left: 1\. You listed 2 people"
    ):
        submit(settings.cohort, "a@tidewave.cn", "b@tidewave.cn")
    assert not Application.objects.exists()
    assert not User.objects.filter(email__endswith="@tidewave.cn").exists()
    assert Enrolment.objects.count() == 1
