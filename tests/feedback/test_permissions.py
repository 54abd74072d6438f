"""Every feedback view answers 404 to anyone who may not see it; anonymous → login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.feedback.models import DiagnosisResponse
from tests.factories.accounts import MembershipFactory, OrganizationFactory, UserFactory
from tests.factories.cohorts import (
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
    SessionFactory,
)
from tests.factories.feedback import make_questionnaire

pytestmark = pytest.mark.django_db


def _urls(cohort, session, trainee) -> dict[str, str]:  # type: ignore[no-untyped-def]
    slug = cohort.slug
    return {
        "diagnosis": reverse("feedback:diagnosis", args=[slug]),
        "summary": reverse("feedback:diagnosis_summary", args=[slug]),
        "trainee": reverse("feedback:diagnosis_trainee", args=[slug, trainee.pk]),
        "survey": reverse("feedback:session_survey", args=[slug, session.pk]),
        "session_results": reverse("feedback:session_results", args=[slug, session.pk]),
        "evaluation": reverse("feedback:evaluation", args=[slug]),
        "results": reverse("feedback:results", args=[slug]),
    }


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    organization = OrganizationFactory()
    coach = CoachFactory()
    cohort = InHouseCohortFactory(organization=organization, coaches=[coach])
    trainee = UserFactory()
    MembershipFactory(user=trainee, organization=organization)
    EnrolmentFactory(cohort=cohort, user=trainee)
    start = timezone.now() - dt.timedelta(hours=3)
    session = SessionFactory(
        cohort=cohort, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    make_questionnaire(cohort.course)
    DiagnosisResponse.objects.create(
        questionnaire=cohort.course.diagnosis_questionnaires.get(),
        cohort=cohort,
        user=trainee,
        submitted_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return cohort, session, trainee, coach, organization


def test_anonymous_is_sent_to_login(client, world) -> None:  # type: ignore[no-untyped-def]
    cohort, session, trainee, _coach, _org = world
    for name, url in _urls(cohort, session, trainee).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert "/accounts/login/" in response["Location"], name


def test_other_organization_gets_404_everywhere(
    client, world, other_organization_user
) -> None:  # type: ignore[no-untyped-def]
    cohort, session, trainee, _coach, _org = world
    client.force_login(other_organization_user)
    for name, url in _urls(cohort, session, trainee).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"rating": "5"}).status_code in (404, 405), name


def test_coach_of_another_cohort_gets_404(client, world) -> None:  # type: ignore[no-untyped-def]
    cohort, session, trainee, _coach, _org = world
    stranger = CoachFactory()
    CohortFactory(coaches=[stranger])
    client.force_login(stranger)
    for name, url in _urls(cohort, session, trainee).items():
        assert client.get(url).status_code == 404, name


def test_member_of_the_organization_not_enrolled_gets_404(client, world) -> None:  # type: ignore[no-untyped-def]
    cohort, session, trainee, _coach, organization = world
    colleague = MembershipFactory(organization=organization).user
    client.force_login(colleague)
    for name, url in _urls(cohort, session, trainee).items():
        assert client.get(url).status_code == 404, name


def test_trainee_cannot_read_answers_or_results(client, world) -> None:  # type: ignore[no-untyped-def]
    cohort, session, trainee, _coach, organization = world
    classmate = UserFactory()
    MembershipFactory(user=classmate, organization=organization)
    EnrolmentFactory(cohort=cohort, user=classmate)
    client.force_login(classmate)
    urls = _urls(cohort, session, trainee)
    for name in ("summary", "trainee", "session_results", "results"):
        assert client.get(urls[name]).status_code == 404, name
    own = client.get(urls["diagnosis"])
    assert own.status_code == 200


def test_org_admin_cannot_read_trainee_answers(client, world) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.accounts import OrgAdminFactory

    cohort, session, trainee, _coach, organization = world
    admin = OrgAdminFactory(organization=organization).user
    client.force_login(admin)
    urls = _urls(cohort, session, trainee)
    for name in ("summary", "trainee", "results", "diagnosis", "survey"):
        assert client.get(urls[name]).status_code == 404, name


def test_coach_and_staff_read_everything(client, world) -> None:  # type: ignore[no-untyped-def]
    cohort, session, trainee, coach, _org = world
    staff = UserFactory(is_staff=True)
    for user in (coach, staff):
        client.force_login(user)
        urls = _urls(cohort, session, trainee)
        for name in ("summary", "trainee", "session_results", "results"):
            assert client.get(urls[name]).status_code == 200, name
        # The trainee pages send a coach to the summaries.
        assert client.get(urls["diagnosis"])["Location"].endswith(urls["summary"])
        assert client.get(urls["evaluation"])["Location"].endswith(urls["results"])


def test_trainee_answers_of_someone_who_did_not_answer_is_404(client, world) -> None:  # type: ignore[no-untyped-def]
    cohort, _session, _trainee, coach, _org = world
    outsider = UserFactory()
    client.force_login(coach)
    url = reverse("feedback:diagnosis_trainee", args=[cohort.slug, outsider.pk])
    assert client.get(url).status_code == 404
