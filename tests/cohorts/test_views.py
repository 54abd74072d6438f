from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance, Enrolment, EnrolmentStatus
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.cohorts import (
    AttendanceFactory,
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_house():
    coach = CoachFactory()
    cohort = InHouseCohortFactory(coaches=[coach])
    trainee = EnrolmentFactory(cohort=cohort).user
    MembershipFactory(organization=cohort.organization, user=trainee)
    past = SessionFactory(
        cohort=cohort,
        kind="workshop",
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3, hours=-2),
    )
    upcoming = SessionFactory(cohort=cohort)
    return cohort, coach, trainee, past, upcoming


def _cohort_urls(cohort, session):
    slug = cohort.slug
    return [
        reverse("cohorts:detail", args=[slug]),
        cohort.get_absolute_url(),
        reverse("cohorts:session", args=[slug, session.pk]),
        reverse("cohorts:session_ics", args=[slug, session.pk]),
        reverse("cohorts:attendance", args=[slug]),
        reverse("cohorts:attendance_take", args=[slug, session.pk]),
        reverse("cohorts:checkin_screen", args=[slug, session.pk]),
        reverse("cohorts:questions", args=[slug]),
        reverse("cohorts:bulk_upload", args=[slug]),
    ]


def test_in_house_cohort_is_404_for_other_organizations(
    client, in_house, other_organization_user
):
    cohort, _coach, _trainee, past, _upcoming = in_house
    client.force_login(other_organization_user)
    for url in _cohort_urls(cohort, past):
        assert client.get(url).status_code == 404, url
    client.logout()
    assert client.get(cohort.get_absolute_url()).status_code == 404


def test_a_coach_sees_only_their_cohorts(client, in_house):
    cohort, _coach, _trainee, past, _upcoming = in_house
    other_coach = CoachFactory()
    theirs = CohortFactory(coaches=[other_coach])
    client.force_login(other_coach)
    for url in _cohort_urls(cohort, past):
        assert client.get(url).status_code == 404, url
    own_session = SessionFactory(cohort=theirs)
    public_but_not_theirs = SessionFactory(cohort=CohortFactory())
    take = "cohorts:attendance_take"
    assert (
        client.get(reverse(take, args=[theirs.slug, own_session.pk])).status_code == 200
    )
    slug = public_but_not_theirs.cohort.slug
    assert (
        client.get(reverse(take, args=[slug, public_but_not_theirs.pk])).status_code
        == 404
    )
    listing = client.get(reverse("cohorts:list"))
    assert [c.cohort for c in listing.context["cards"]] == [theirs]


def test_schedule_page_shows_sessions_in_the_viewers_time_zone(client, in_house):
    cohort, _coach, trainee, _past, upcoming = in_house
    trainee.time_zone = "Europe/London"
    trainee.preferred_language = "en"
    trainee.save()
    client.force_login(trainee)
    response = client.get(cohort.get_absolute_url())
    assert response.status_code == 200
    assert "cohorts/cohort_schedule_page.html" in [t.name for t in response.templates]
    html = response.content.decode()
    local = upcoming.starts_at.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M")
    assert local in html
    assert "Europe/London" in html
    assert "in Asia/Shanghai" in html  # the cohort's own time, beside the viewer's
    assert "You are enrolled" in html


def test_public_schedule_is_open_to_visitors(client):
    cohort = CohortFactory()
    SessionFactory(cohort=cohort, title="Kick-off")
    response = client.get(cohort.get_absolute_url())
    assert response.status_code == 200
    assert "Kick-off" in response.content.decode()
    assert reverse("cohorts:join") in response.content.decode()


def test_join_view_enrols_and_reports_a_wrong_code(client):
    cohort = CohortFactory(join_code="GOOD2345")
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    bad = client.post(reverse("cohorts:join"), {"code": "BAD"})
    assert bad.status_code == 200
    assert "not right" in bad.content.decode()
    good = client.post(reverse("cohorts:join"), {"code": "good2345"})
    assert good.status_code == 302
    assert Enrolment.objects.get(user=user).cohort == cohort


def test_join_requires_login_and_keeps_the_code(client):
    response = client.get(reverse("cohorts:join") + "?code=GOOD2345")
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_withdraw_view(client, in_house):
    cohort, _coach, trainee, _past, _upcoming = in_house
    client.force_login(trainee)
    url = reverse("cohorts:withdraw", args=[cohort.slug])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert Enrolment.objects.get(user=trainee).status == EnrolmentStatus.WITHDRAWN


def test_coach_marks_attendance_with_htmx(client, in_house):
    cohort, coach, trainee, past, _upcoming = in_house
    client.force_login(coach)
    url = reverse("cohorts:attendance_mark", args=[cohort.slug, past.pk, trainee.pk])
    response = client.post(url, {"status": "late"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert f'id="attendance-{trainee.pk}"' in response.content.decode()
    assert Attendance.objects.get(session=past, user=trainee).status == "late"
    client.post(url, {"status": ""}, headers={"HX-Request": "true"})
    assert not Attendance.objects.exists()


def test_trainee_cannot_mark_attendance(client, in_house):
    cohort, _coach, trainee, past, _upcoming = in_house
    client.force_login(trainee)
    url = reverse("cohorts:attendance_mark", args=[cohort.slug, past.pk, trainee.pk])
    assert client.post(url, {"status": "present"}).status_code == 404
    assert not Attendance.objects.exists()


def test_attendance_report_rates(client, in_house):
    cohort, coach, trainee, past, _upcoming = in_house
    absent = EnrolmentFactory(cohort=cohort).user
    AttendanceFactory(session=past, user=trainee, status="present")
    AttendanceFactory(session=past, user=absent, status="absent")
    client.force_login(coach)
    response = client.get(reverse("cohorts:attendance", args=[cohort.slug]))
    report = response.context["report"]
    assert {row[0]: row[2] for row in report.rows} == {trainee: 1.0, absent: 0.0}
    assert report.session_rates == [0.5]
    assert "50%" in response.content.decode()


def test_cohort_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    user = UserFactory()

    def add_cohort():
        cohort = CohortFactory()
        EnrolmentFactory(cohort=cohort, user=user)
        SessionFactory(cohort=cohort)
        SessionFactory(cohort=cohort)

    add_cohort()
    client.force_login(user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("cohorts:list")).status_code == 200
    for _ in range(4):
        add_cohort()
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("cohorts:list"))
    assert len(response.context["cards"]) == 5
    assert len(five) == len(one)


def test_attendance_report_query_count_does_not_grow(client, in_house):
    cohort, coach, _trainee, past, _upcoming = in_house
    client.force_login(coach)
    url = reverse("cohorts:attendance", args=[cohort.slug])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(5):
        user = EnrolmentFactory(cohort=cohort).user
        AttendanceFactory(session=past, user=user)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_home_panels_for_trainee_and_coach(client, in_house):
    cohort, coach, trainee, past, _upcoming = in_house
    client.force_login(trainee)
    html = client.get("/").content.decode()
    assert cohort.name in html
    client.force_login(coach)
    response = client.get("/")
    html = response.content.decode()
    assert reverse("cohorts:attendance_take", args=[cohort.slug, past.pk]) in html


def test_nav_has_my_cohorts(client):
    client.force_login(UserFactory())
    assert reverse("cohorts:list") in client.get("/").content.decode()


def test_coach_sees_the_join_code_and_trainees_do_not(client, in_house):
    cohort, coach, trainee, _past, _upcoming = in_house
    client.force_login(coach)
    assert cohort.join_code in client.get(cohort.get_absolute_url()).content.decode()
    client.force_login(trainee)
    assert (
        cohort.join_code not in client.get(cohort.get_absolute_url()).content.decode()
    )


def test_roster_shows_the_waitlist_in_order_to_coaches_and_org_admins(
    client, in_house, other_organization_user
):
    from tests.factories.accounts import OrgAdminFactory

    cohort, coach, trainee, _past, _upcoming = in_house
    first = EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.WAITLISTED).user
    second = EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.WAITLISTED).user
    url = reverse("cohorts:roster", args=[cohort.slug])
    for viewer in (coach, OrgAdminFactory(organization=cohort.organization).user):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        roster = response.context["roster"]
        assert [e.user for e in roster.waitlisted] == [first, second]
        assert [e.user for e in roster.active] == [trainee]
    for outsider in (trainee, other_organization_user, CoachFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_schedule_page_query_count_does_not_grow_with_sessions(client, in_house):
    cohort, _coach, trainee, _past, _upcoming = in_house
    client.force_login(trainee)
    url = cohort.get_absolute_url()
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for _ in range(6):
        SessionFactory(cohort=cohort)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
