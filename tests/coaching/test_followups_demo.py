"""The demo's follow-ups and champion: the held 1:1 with three action items, the next
one booked, 陈思远 as Seabright's champion with a logged session. Idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_roles
from cohorts.coaching import demo_followups
from cohorts.coaching.models import (
    CohortChampion,
    FollowUp,
    FollowUpStatus,
    RetrainingSession,
)
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    li = User.objects.get(email="li.na@seabright.demo")
    return (
        FollowUp.objects.count(),
        li.action_items.count(),
        CohortChampion.objects.count(),
        RetrainingSession.objects.count(),
    )


def test_demo_follow_ups_and_champion_twice():
    seed_demo_cohorts()
    demo_followups.seed(stdout=StringIO())
    first = _counts()
    demo_followups.seed(stdout=StringIO())
    assert _counts() == first == (2, 3, 1, 1)

    held = FollowUp.objects.get(previous__isnull=True)
    assert held.status == FollowUpStatus.DONE
    assert held.notes and held.reflection
    assert held.coach.email == "coach@lodestar.demo"
    today = timezone.localdate()
    items = list(held.action_items.all())
    assert sorted(i.status for i in items) == ["done", "open", "open"]
    overdue = [i for i in items if i.status == "open" and i.due_date < today]
    assert len(overdue) == 1
    booked = held.next_follow_ups.get()
    assert booked.status == FollowUpStatus.SCHEDULED
    assert booked.scheduled_at > timezone.now()
    assert overdue[0].description in booked.agenda

    chen = User.objects.get(email="chen.siyuan@seabright.demo")
    session = RetrainingSession.objects.get()
    assert session.champion == chen
    assert {u.email for u in session.attendees.all()} == {
        "li.na@seabright.demo",
        "kevin.zhang@seabright.demo",
    }
    assert session.attendee_count == 5
    assert session.materials.name
    assert user_roles(chen).is_champion
