from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.admin_forms import as_wall_clock, reinterpret
from cohorts.models import Cohort, Session
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import CohortFactory, SessionFactory, make_course

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def test_wall_clock_round_trip():
    with timezone.override(ZoneInfo("Asia/Shanghai")):
        typed = timezone.make_aware(dt.datetime(2026, 7, 1, 19, 0))
        stored = reinterpret(typed, NEW_YORK)
    assert stored == dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC)
    assert as_wall_clock(stored, NEW_YORK) == dt.datetime(2026, 7, 1, 19, 0)


def _formset(prefix: str, rows: list[dict[str, str]], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_editor_creates_a_cohort_with_a_session_in_the_cohorts_zone(client):
    staff = UserFactory(is_staff=True, is_superuser=True, time_zone="Asia/Shanghai")
    client.force_login(staff)
    course = make_course()
    data = {
        "course": str(course.pk),
        "name": "NY evening class",
        "slug": "ny-evening",
        "format": "public",
        "description": "",
        "starts_on": "2026-07-01",
        "ends_on": "2026-08-01",
        "time_zone": "America/New_York",
        "capacity": "20",
        "join_code": "NYEVE123",
        "join_code_expires_on": "",
        **_formset(
            "sessions",
            [
                {
                    "title": "Week 1",
                    "kind": "online",
                    "starts_at": "2026-07-01 19:00",
                    "ends_at": "2026-07-01 20:30",
                    "meeting_url": "https://meet.example.com/x",
                    "ORDER": "1",
                }
            ],
        ),
    }
    response = client.post(reverse("wagtailsnippets_cohorts_cohort:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    session = Session.objects.get()
    assert session.starts_at == dt.datetime(2026, 7, 1, 23, 0, tzinfo=dt.UTC)

    cohort = Cohort.objects.get()
    edit = client.get(reverse("wagtailsnippets_cohorts_cohort:edit", args=[cohort.pk]))
    assert edit.status_code == 200
    assert "2026-07-01 19:00" in edit.content.decode()


def test_admin_listing_is_for_staff(client):
    CohortFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("wagtailsnippets_cohorts_cohort:list"))
    assert response.status_code in (302, 403)
    SessionFactory()
