"""Champion pages: naming, the team page (no private workbooks), the re-training log
seen by the coach and the org admin, 404 for everyone else, login for anonymous."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.coaching.models import CohortChampion, RetrainingSession, SubmissionStatus
from courses.models import LessonProgress
from tests.coaching.followups_setup import in_house_cohort
from tests.factories.accounts import MembershipFactory, OrgAdminFactory
from tests.factories.coaching import (
    AssignmentFactory,
    RetrainingSessionFactory,
    SubmissionFactory,
)
from tests.factories.cohorts import (
    AttendanceFactory,
    CoachFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
    SessionFactory,
)
from tests.factories.courses import LessonPageFactory
from tests.factories.workbook import WorkbookFactory
from workbook.models import WorkbookShare

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    setup = in_house_cohort()
    setup.championship = CohortChampion.objects.create(
        cohort=setup.cohort, organization=setup.organization, user=setup.trainee
    )
    setup.session = RetrainingSessionFactory(
        organization=setup.organization,
        cohort=setup.cohort,
        champion=setup.trainee,
        topic="指标树内部分享",
        materials=SimpleUploadedFile("outline.md", b"# outline"),
    )
    return setup


def _urls(setup) -> list[tuple[str, str]]:
    slug = setup.cohort.slug
    return [
        ("get", reverse("coaching:champions_cohort", args=[slug])),
        ("post", reverse("coaching:champion_name", args=[slug])),
        (
            "post",
            reverse("coaching:champion_remove", args=[slug, setup.championship.pk]),
        ),
        ("get", reverse("coaching:retraining_log", args=[setup.organization.slug])),
        ("get", reverse("coaching:retraining_materials", args=[setup.session.pk])),
        ("get", reverse("coaching:retraining_edit", args=[setup.session.pk])),
        ("get", reverse("coaching:champion_team")),
        ("get", reverse("coaching:retraining_new")),
        ("get", reverse("coaching:retraining_index")),
    ]


def test_anonymous_users_are_sent_to_sign_in(client, setup):
    for method, url in _urls(setup):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


def test_another_organizations_admin_and_member_get_404(client, setup):
    other = InHouseCohortFactory(coaches=[CoachFactory()])
    for person in (
        OrgAdminFactory(organization=other.organization).user,
        MembershipFactory(organization=other.organization).user,
        other.coaches.first(),
    ):
        client.force_login(person)
        for method, url in _urls(setup):
            response = getattr(client, method)(url)
            if url == reverse("coaching:retraining_index"):
                # Their own organisation's log (or nothing), never this one.
                assert setup.organization.slug not in response.get("Location", "")
                continue
            assert response.status_code == 404, (person, url)
    assert CohortChampion.objects.count() == 1


def test_a_plain_colleague_sees_none_of_it(client, setup):
    client.force_login(setup.colleague)
    for method, url in _urls(setup):
        assert getattr(client, method)(url).status_code == 404, url


def test_the_coach_and_the_org_admin_see_the_log(client, setup):
    url = reverse("coaching:retraining_log", args=[setup.organization.slug])
    for person in (setup.coach, setup.admin):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert "指标树内部分享" in response.content.decode()
        materials = client.get(
            reverse("coaching:retraining_materials", args=[setup.session.pk])
        )
        assert materials.status_code == 200
        assert b"".join(materials.streaming_content) == b"# outline"
    # The org admin reaches the log from the navigation's index.
    client.force_login(setup.admin)
    response = client.get(reverse("coaching:retraining_index"))
    assert response.url == url
    assert (
        reverse("coaching:retraining_index")
        in client.get(reverse("home")).content.decode()
    )


def test_the_champion_cannot_edit_anothers_session(client, setup):
    theirs = RetrainingSessionFactory(
        organization=setup.organization, champion=setup.colleague
    )
    client.force_login(setup.trainee)
    assert (
        client.get(reverse("coaching:retraining_edit", args=[theirs.pk])).status_code
        == 404
    )


def test_org_admin_names_a_champion_through_the_page(client, setup):
    client.force_login(setup.admin)
    response = client.post(
        reverse("coaching:champion_name", args=[setup.cohort.slug]),
        {"organization": setup.organization.pk, "user": setup.colleague.pk},
    )
    assert response.status_code == 302
    assert CohortChampion.objects.filter(user=setup.colleague).exists()
    page = client.get(reverse("coaching:champions_cohort", args=[setup.cohort.slug]))
    blocks = page.context["blocks"]
    assert {c.user for c in blocks[0].champions} == {setup.trainee, setup.colleague}
    client.post(
        reverse(
            "coaching:champion_remove", args=[setup.cohort.slug, setup.championship.pk]
        )
    )
    assert not CohortChampion.objects.filter(pk=setup.championship.pk).exists()


def test_champion_logs_a_session_through_the_form(client, setup):
    client.force_login(setup.trainee)
    response = client.post(
        reverse("coaching:retraining_new"),
        {
            "held_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "topic": "广告指标分享",
            "attendees": [setup.colleague.pk],
            "attendee_count": 2,
            "attendee_names": "王芳, 刘洋",
            "materials_url": "https://example.com/slides",
            "notes": "讲了 ACoS",
            "materials": SimpleUploadedFile("slides.pptx", b"PK\x03\x04"),
        },
    )
    assert response.status_code == 302
    session = RetrainingSession.objects.get(topic="广告指标分享")
    assert list(session.attendees.all()) == [setup.colleague]
    assert session.attendee_count == 2
    assert session.materials.name.endswith(".pptx")


def test_session_form_refuses_a_bad_file_and_a_short_count(client, setup):
    client.force_login(setup.trainee)
    response = client.post(
        reverse("coaching:retraining_new"),
        {
            "held_on": timezone.localdate().isoformat(),
            "topic": "x",
            "attendee_count": 1,
            "attendee_names": "王芳, 刘洋",
            "materials": SimpleUploadedFile("virus.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "materials" in form.errors and "attendee_count" in form.errors
    assert RetrainingSession.objects.count() == 1


def test_champion_cannot_open_a_colleagues_private_workbook(client, setup):
    private = WorkbookFactory(owner=setup.colleague, organization=setup.organization)
    client.force_login(setup.trainee)
    assert client.get(reverse("workbook:detail", args=[private.pk])).status_code == 404
    team = client.get(reverse("coaching:champion_team")).content.decode()
    assert reverse("workbook:detail", args=[private.pk]) not in team
    # Once the colleague shares it, the team page links it and it opens.
    WorkbookShare.objects.create(workbook=private, user=setup.trainee, role="champion")
    team = client.get(reverse("coaching:champion_team")).content.decode()
    assert reverse("workbook:detail", args=[private.pk]) in team
    assert client.get(reverse("workbook:detail", args=[private.pk])).status_code in (
        200,
        302,
    )


def _colleague(setup, assignment, lessons, session) -> None:
    person = MembershipFactory(organization=setup.organization).user
    EnrolmentFactory(cohort=setup.cohort, user=person)
    SubmissionFactory(assignment=assignment, trainee=person)
    AttendanceFactory(session=session, user=person)
    for lesson in lessons:
        LessonProgress.objects.create(
            user=person,
            course_key=setup.cohort.course.translation_key,
            lesson_key=lesson.translation_key,
            completed_at=timezone.now(),
        )


def test_team_page_counts_in_constant_queries(client, setup):
    lessons = [LessonPageFactory(parent=setup.cohort.course) for _ in range(3)]
    assignment = AssignmentFactory(cohort=setup.cohort)
    AssignmentFactory(cohort=setup.cohort)
    held = SessionFactory(
        cohort=setup.cohort,
        starts_at=timezone.now() - dt.timedelta(days=2),
        ends_at=timezone.now() - dt.timedelta(days=2, hours=-2),
    )
    SubmissionFactory(
        assignment=assignment, trainee=setup.colleague, status=SubmissionStatus.APPROVED
    )
    AttendanceFactory(session=held, user=setup.colleague, status="late")
    client.force_login(setup.trainee)
    url = reverse("coaching:champion_team")
    client.get(url)
    _colleague(setup, assignment, lessons[:2], held)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(6):
        _colleague(setup, assignment, lessons, held)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    (block,) = response.context["blocks"]
    assert block.lessons_total == 3
    assert block.sessions_held == 1
    assert len(block.colleagues) == 2 + 1 + 6
    kevin = next(r for r in block.colleagues if r.user == setup.colleague)
    assert (kevin.homework_approved, kevin.homework_missing, kevin.attended) == (
        1,
        1,
        1,
    )
    first = block.assignments[0]
    assert (first.approved, first.waiting, first.missing) == (1, 7, 1)
