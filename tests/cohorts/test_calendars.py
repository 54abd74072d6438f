from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from cohorts import services
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import CohortFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def _events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


def test_trainee_feed_keeps_local_time_across_daylight_saving(client):
    """New York moves its clocks on 8 March 2026: 09:00 stays 09:00 local."""
    cohort = CohortFactory(time_zone="America/New_York")
    before = dt.datetime(2026, 3, 5, 9, 0, tzinfo=NEW_YORK)
    after = dt.datetime(2026, 3, 12, 9, 0, tzinfo=NEW_YORK)
    for start in (before, after):
        SessionFactory(
            cohort=cohort, starts_at=start, ends_at=start + dt.timedelta(hours=1)
        )
    enrolment = EnrolmentFactory(cohort=cohort)
    feed = services.calendar_feed_for(user=enrolment.user)

    response = client.get(reverse("cohorts:feed_user", args=[feed.key]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = _events(response)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    starts = [e.decoded("dtstart") for e in events]
    assert [s.hour for s in starts] == [9, 9]
    assert [s.utcoffset() for s in starts] == [
        dt.timedelta(hours=-5),
        dt.timedelta(hours=-4),
    ]
    assert [s.astimezone(dt.UTC).hour for s in starts] == [14, 13]
    assert b"DTSTART;TZID=America/New_York:20260305T090000" in response.content


def test_feed_has_only_the_trainees_cohorts(client):
    mine = EnrolmentFactory()
    SessionFactory(cohort=mine.cohort, title="Mine")
    SessionFactory(cohort=CohortFactory(), title="Theirs")
    feed = services.calendar_feed_for(user=mine.user)
    _calendar, events = _events(
        client.get(reverse("cohorts:feed_user", args=[feed.key]))
    )
    assert [str(e["SUMMARY"]).split(" — ")[0] for e in events] == ["Mine"]


def test_revoked_key_stops_working(client):
    user = UserFactory()
    old = services.calendar_feed_for(user=user).key
    new = services.calendar_feed_revoke(user=user).key
    assert old != new
    assert client.get(reverse("cohorts:feed_user", args=[old])).status_code == 404
    assert client.get(reverse("cohorts:feed_user", args=[new])).status_code == 200


def test_revoke_view_needs_post_and_login(client):
    user = UserFactory()
    old = services.calendar_feed_for(user=user).key
    client.force_login(user)
    assert client.get(reverse("cohorts:calendar_revoke")).status_code == 405
    response = client.post(reverse("cohorts:calendar_revoke"))
    assert response.status_code == 302
    assert services.calendar_feed_for(user=user).key != old


def test_cohort_feed_only_for_the_feed_owners_cohorts(client):
    mine = EnrolmentFactory()
    SessionFactory(cohort=mine.cohort)
    other = CohortFactory()
    key = services.calendar_feed_for(user=mine.user).key
    ok = client.get(reverse("cohorts:feed_cohort", args=[key, mine.cohort.slug]))
    assert ok.status_code == 200
    assert len(_events(ok)[1]) == 1
    refused = client.get(reverse("cohorts:feed_cohort", args=[key, other.slug]))
    assert refused.status_code == 404


def test_session_file_parses(client):
    session = SessionFactory()
    response = client.get(
        reverse("cohorts:session_ics", args=[session.cohort.slug, session.pk])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    _calendar, events = _events(response)
    assert events[0].decoded("dtstart") == session.starts_at.replace(microsecond=0)
    assert str(events[0]["UID"]).startswith(f"session-{session.pk}@")


def test_session_file_hides_the_meeting_link_from_visitors(client):
    session = SessionFactory(meeting_url="https://meet.example.com/secret")
    url = reverse("cohorts:session_ics", args=[session.cohort.slug, session.pk])
    assert b"secret" not in client.get(url).content
    client.force_login(EnrolmentFactory(cohort=session.cohort).user)
    assert b"secret" in client.get(url).content


def test_one_to_one_session_is_only_for_its_trainee_and_coaches(client):
    enrolment = EnrolmentFactory()
    other = EnrolmentFactory(cohort=enrolment.cohort).user
    session = SessionFactory(cohort=enrolment.cohort, trainee=enrolment.user)
    slug = enrolment.cohort.slug
    for name in ("cohorts:session", "cohorts:session_ics"):
        url = reverse(name, args=[slug, session.pk])
        client.force_login(other)
        assert client.get(url).status_code == 404
        client.force_login(enrolment.user)
        assert client.get(url).status_code == 200
    other_feed = services.calendar_feed_for(user=other)
    content = client.get(reverse("cohorts:feed_user", args=[other_feed.key])).content
    assert session.title.encode() not in content
