"""Naming champions and logging re-training sessions: rules and refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone, translation

from cohorts.coaching.champions import selectors, services
from cohorts.coaching.models import CohortChampion, RetrainingSession
from tests.coaching.followups_setup import in_house_cohort
from tests.factories.accounts import MembershipFactory, OrgAdminFactory, UserFactory
from tests.factories.cohorts import CoachFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    return in_house_cohort()


def test_coach_names_and_removes_a_champion(setup):
    access = selectors.champions_access_or_404(user=setup.coach, slug=setup.cohort.slug)
    champion = services.champion_name(
        access=access,
        organization=setup.organization,
        user=setup.trainee,
        by=setup.coach,
    )
    again = services.champion_name(
        access=access,
        organization=setup.organization,
        user=setup.trainee,
        by=setup.coach,
    )
    assert champion == again and champion.named_by == setup.coach
    assert CohortChampion.objects.count() == 1
    services.champion_remove(access=access, champion=champion)
    assert CohortChampion.objects.count() == 0


def test_the_org_admin_names_only_their_own_organizations_champion(setup):
    # A public cohort with people of two organisations.
    other = MembershipFactory().organization
    outsider = MembershipFactory(organization=other).user
    EnrolmentFactory(cohort=setup.cohort, user=outsider)
    access = selectors.champions_access_or_404(user=setup.admin, slug=setup.cohort.slug)
    assert [o.pk for o in access.organizations] == [setup.organization.pk]
    with pytest.raises(PermissionDenied):
        services.champion_name(
            access=access, organization=other, user=outsider, by=setup.admin
        )
    other_admin = OrgAdminFactory(organization=other).user
    other_access = selectors.champions_access_or_404(
        user=other_admin, slug=setup.cohort.slug
    )
    assert [o.pk for o in other_access.organizations] == [other.pk]
    with pytest.raises(PermissionDenied):
        services.champion_name(
            access=other_access,
            organization=setup.organization,
            user=setup.trainee,
            by=other_admin,
        )


def test_strangers_and_other_coaches_get_404(setup):
    for person in (CoachFactory(), UserFactory(), setup.trainee):
        with pytest.raises(Http404):
            selectors.champions_access_or_404(user=person, slug=setup.cohort.slug)


def test_a_champion_is_an_enrolled_member(setup):
    access = selectors.champions_access_or_404(user=setup.coach, slug=setup.cohort.slug)
    not_enrolled = MembershipFactory(organization=setup.organization).user
    with pytest.raises(ValidationError, match="enrolled"):
        services.champion_name(
            access=access,
            organization=setup.organization,
            user=not_enrolled,
            by=setup.coach,
        )
    stranger = EnrolmentFactory(cohort=setup.cohort).user
    with pytest.raises(ValidationError, match="member"):
        services.champion_name(
            access=access,
            organization=setup.organization,
            user=stranger,
            by=setup.coach,
        )


def _champion(setup) -> CohortChampion:
    return CohortChampion.objects.create(
        cohort=setup.cohort, organization=setup.organization, user=setup.trainee
    )


def _details(**kwargs) -> services.RetrainingDetails:
    fields = {
        "held_on": timezone.localdate(),
        "topic": "指标树分享",
        "attendees": [],
        "attendee_count": 5,
    }
    fields.update(kwargs)
    return services.RetrainingDetails(**fields)


def test_the_champion_logs_a_session_with_attendees_and_a_file(setup):
    championship = _champion(setup)
    upload = SimpleUploadedFile("slides.pdf", b"%PDF-1.4 demo", "application/pdf")
    session = services.retraining_session_log(
        championship=championship,
        champion=setup.trainee,
        details=_details(attendees=[setup.colleague], materials=upload),
    )
    assert session.organization == setup.organization
    assert session.cohort == setup.cohort
    assert list(session.attendees.all()) == [setup.colleague]
    assert session.materials.read() == b"%PDF-1.4 demo"


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"topic": "  "}, "topic"),
        ({"held_on": dt.date.today() + dt.timedelta(days=3)}, "future"),
        (
            {"materials": SimpleUploadedFile("run.exe", b"MZ", "application/x-msdos")},
            "type",
        ),
    ],
)
def test_bad_sessions_are_refused_and_nothing_saved(setup, details, message):
    championship = _champion(setup)
    with pytest.raises(ValidationError, match=message):
        services.retraining_session_log(
            championship=championship,
            champion=setup.trainee,
            details=_details(**details),
        )
    assert RetrainingSession.objects.count() == 0


def test_a_file_over_the_limit_is_refused(setup, settings):
    settings.HOMEWORK_MAX_BYTES = 10
    championship = _champion(setup)
    upload = SimpleUploadedFile("big.pdf", b"x" * 11, "application/pdf")
    with pytest.raises(ValidationError, match="larger"):
        services.retraining_session_log(
            championship=championship,
            champion=setup.trainee,
            details=_details(materials=upload),
        )
    assert RetrainingSession.objects.count() == 0


def test_attendees_must_be_members_and_only_the_champion_logs(setup):
    championship = _champion(setup)
    with pytest.raises(ValidationError, match="members"):
        services.retraining_session_log(
            championship=championship,
            champion=setup.trainee,
            details=_details(attendees=[UserFactory()]),
        )
    with pytest.raises(PermissionDenied):
        services.retraining_session_log(
            championship=championship, champion=setup.colleague, details=_details()
        )
    session = services.retraining_session_log(
        championship=championship, champion=setup.trainee, details=_details()
    )
    with pytest.raises(PermissionDenied):
        services.retraining_session_update(
            session=session, champion=setup.colleague, details=_details(topic="x")
        )


def test_a_named_champion_is_offered_as_a_workbook_share(setup):
    from tests.factories.workbook import WorkbookFactory
    from workbook.selectors_build import share_candidates

    _champion(setup)
    workbook = WorkbookFactory(owner=setup.colleague, organization=setup.organization)
    offered = {c.user.pk: c for c in share_candidates(workbook)}
    assert setup.trainee.pk in offered
    assert offered[setup.trainee.pk].role == "champion"
