from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cohorts import services
from cohorts.models import Enrolment, EnrolmentStatus
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.cohorts import (
    CohortFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
)

pytestmark = pytest.mark.django_db


def test_join_with_code_enrols_and_is_idempotent():
    cohort = CohortFactory(join_code="ABCD2345")
    user = UserFactory()
    first = services.enrolment_join_with_code(user=user, code=" abcd 2345 ")
    assert first.created and first.enrolment.status == EnrolmentStatus.ACTIVE
    again = services.enrolment_join_with_code(user=user, code="ABCD2345")
    assert not again.created
    assert Enrolment.objects.filter(cohort=cohort, user=user).count() == 1


@pytest.mark.parametrize("code", ["", "NOPE0000", "abc"])
def test_wrong_code_is_refused_and_writes_nothing(code):
    CohortFactory(join_code="ABCD2345")
    with pytest.raises(services.CohortError, match="not right"):
        services.enrolment_join_with_code(user=UserFactory(), code=code)
    assert not Enrolment.objects.exists()


def test_expired_code_is_refused():
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    CohortFactory(join_code="OLDCODE1", join_code_expires_on=yesterday)
    with pytest.raises(services.CohortError, match="expired"):
        services.enrolment_join_with_code(user=UserFactory(), code="OLDCODE1")
    assert not Enrolment.objects.exists()


def test_in_house_code_reads_as_wrong_for_another_organization(
    other_organization_user,
):
    cohort = InHouseCohortFactory(join_code="INHOUSE1")
    with pytest.raises(services.CohortError, match="not right"):
        services.enrolment_join_with_code(user=other_organization_user, code="INHOUSE1")
    member = MembershipFactory(organization=cohort.organization).user
    assert services.enrolment_join_with_code(user=member, code="INHOUSE1").created


def test_full_cohort_waitlists_and_withdrawal_promotes_the_first_waiting():
    cohort = CohortFactory(capacity=1, join_code="FULL0001")
    seated, first, second = UserFactory(), UserFactory(), UserFactory()
    services.enrolment_join_with_code(user=seated, code="FULL0001")
    w1 = services.enrolment_join_with_code(user=first, code="FULL0001").enrolment
    w2 = services.enrolment_join_with_code(user=second, code="FULL0001").enrolment
    assert w1.status == w2.status == EnrolmentStatus.WAITLISTED

    seat = Enrolment.objects.get(cohort=cohort, user=seated)
    promoted = services.enrolment_withdraw(enrolment=seat, user=seated)
    assert promoted == w1
    statuses = dict(Enrolment.objects.values_list("user_id", "status"))
    assert statuses == {
        seated.pk: EnrolmentStatus.WITHDRAWN,
        first.pk: EnrolmentStatus.ACTIVE,
        second.pk: EnrolmentStatus.WAITLISTED,
    }


def test_withdrawing_from_the_waitlist_frees_no_seat():
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    waiting = EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.WAITLISTED)
    assert services.enrolment_withdraw(enrolment=waiting, user=waiting.user) is None


def test_only_the_trainee_withdraws_their_enrolment():
    enrolment = EnrolmentFactory()
    with pytest.raises(services.CohortError):
        services.enrolment_withdraw(enrolment=enrolment, user=UserFactory())
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_withdrawn_trainee_can_rejoin():
    enrolment = EnrolmentFactory(status=EnrolmentStatus.WITHDRAWN)
    outcome = services.enrolment_join_with_code(
        user=enrolment.user, code=enrolment.cohort.join_code
    )
    assert outcome.created and outcome.enrolment.status == EnrolmentStatus.ACTIVE


def test_promotion_is_emailed_in_the_trainees_language(
    django_capture_on_commit_callbacks, monkeypatch
):
    from django.core import mail

    from cohorts import tasks

    queued = []
    monkeypatch.setattr(
        "django_q.tasks.async_task", lambda *args, **kwargs: queued.append(args)
    )
    cohort = CohortFactory(capacity=1)
    seat = EnrolmentFactory(cohort=cohort)
    waiting = EnrolmentFactory(
        cohort=cohort,
        status=EnrolmentStatus.WAITLISTED,
        user=UserFactory(preferred_language="zh-hans"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_withdraw(enrolment=seat, user=seat.user)
    assert queued == [("cohorts.tasks.send_promotion_email", waiting.pk)]
    tasks.send_promotion_email(waiting.pk)
    assert mail.outbox[0].to == [waiting.user.email]
    assert "名额" in mail.outbox[0].subject
