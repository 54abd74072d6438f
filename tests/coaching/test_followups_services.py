"""Follow-up services: schedule, record with action items (all or nothing), reflect,
book the next one, and an owner moving their own action items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cohorts.coaching.followups import selectors, services
from cohorts.coaching.models import FollowUp, FollowUpStatus
from tests.coaching.followups_setup import in_house_cohort
from tests.factories.accounts import UserFactory
from tests.factories.coaching import FollowUpFactory
from tests.factories.cohorts import CoachFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def setup():
    return in_house_cohort()


def _follow_up(setup, **kwargs) -> FollowUp:
    return FollowUpFactory(
        cohort=setup.cohort, coach=setup.coach, trainee=setup.trainee, **kwargs
    )


def test_coach_schedules_a_follow_up_with_a_trainee_of_the_cohort(setup):
    when = timezone.now() + dt.timedelta(days=2)
    follow_up = services.follow_up_schedule(
        cohort=setup.cohort,
        coach=setup.coach,
        trainee=setup.trainee,
        scheduled_at=when,
        duration_minutes=30,
        location=" https://meet.example.com/1 ",
        agenda="复盘 ACoS",
    )
    assert follow_up.status == FollowUpStatus.SCHEDULED
    assert follow_up.location == "https://meet.example.com/1"
    assert follow_up.duration_minutes == 30


def test_another_cohorts_coach_cannot_schedule_and_outsiders_are_refused(setup):
    when = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(PermissionDenied):
        services.follow_up_schedule(
            cohort=setup.cohort,
            coach=CoachFactory(),
            trainee=setup.trainee,
            scheduled_at=when,
        )
    with pytest.raises(ValidationError, match="not an active trainee"):
        services.follow_up_schedule(
            cohort=setup.cohort,
            coach=setup.coach,
            trainee=UserFactory(),
            scheduled_at=when,
        )
    assert FollowUp.objects.count() == 0


def test_staff_may_schedule(setup):
    staff = UserFactory(is_staff=True)
    follow_up = services.follow_up_schedule(
        cohort=setup.cohort,
        coach=staff,
        trainee=setup.trainee,
        scheduled_at=timezone.now(),
    )
    assert follow_up.coach == staff


def test_recording_creates_action_items_from_the_follow_up(setup):
    follow_up = _follow_up(setup)
    due = timezone.localdate() + dt.timedelta(days=7)
    items = services.follow_up_record(
        follow_up=follow_up,
        coach=setup.coach,
        status=FollowUpStatus.DONE,
        notes="  ACoS 从 38% 降到 31%  ",
        action_items=[
            services.ActionItemDraft("关停 3 个低效广告组", setup.trainee, due),
            services.ActionItemDraft("整理否定词", setup.coach, None),
        ],
    )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.notes == "ACoS 从 38% 降到 31%"
    assert len(items) == 2
    rows = list(follow_up.action_items.order_by("id"))
    assert [(r.owner, r.source, r.created_by, r.status) for r in rows] == [
        (setup.trainee, "follow_up", setup.coach, "open"),
        (setup.coach, "follow_up", setup.coach, "open"),
    ]
    assert rows[0].due_date == due
    assert setup.trainee.action_items.count() == 1


def test_a_past_due_date_refuses_everything(setup):
    follow_up = _follow_up(setup, notes="before")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.follow_up_record(
            follow_up=follow_up,
            coach=setup.coach,
            status=FollowUpStatus.DONE,
            notes="after",
            action_items=[
                services.ActionItemDraft("ok", setup.trainee, None),
                services.ActionItemDraft("late", setup.trainee, yesterday),
            ],
        )
    assert "Action item 2: the due date" in refused.value.messages[0]
    assert "in the past" in refused.value.messages[0]
    follow_up.refresh_from_db()
    assert follow_up.notes == "before"
    assert follow_up.status == FollowUpStatus.SCHEDULED
    assert follow_up.action_items.count() == 0


def test_action_item_owner_must_be_the_trainee_or_the_coach(setup):
    follow_up = _follow_up(setup)
    with pytest.raises(ValidationError, match="owner must be"):
        services.follow_up_record(
            follow_up=follow_up,
            coach=setup.coach,
            status=FollowUpStatus.DONE,
            notes="",
            action_items=[services.ActionItemDraft("x", setup.colleague, None)],
        )
    assert follow_up.action_items.count() == 0


def test_only_the_cohorts_coach_records(setup):
    follow_up = _follow_up(setup)
    for outsider in (CoachFactory(), setup.trainee, setup.admin):
        with pytest.raises(PermissionDenied):
            services.follow_up_record(
                follow_up=follow_up, coach=outsider, status="done", notes="x"
            )


def test_the_trainee_writes_only_the_reflection(setup):
    follow_up = _follow_up(setup, notes="coach notes")
    services.follow_up_reflect(
        follow_up=follow_up, trainee=setup.trainee, reflection=" 学到了拆解 "
    )
    follow_up.refresh_from_db()
    assert follow_up.reflection == "学到了拆解"
    assert follow_up.notes == "coach notes"
    with pytest.raises(PermissionDenied):
        services.follow_up_reflect(
            follow_up=follow_up, trainee=setup.colleague, reflection="x"
        )


def test_next_follow_up_is_a_week_later_with_open_items_in_the_agenda(setup):
    follow_up = _follow_up(setup, location="会议室 A", duration_minutes=60)
    services.follow_up_record(
        follow_up=follow_up,
        coach=setup.coach,
        status=FollowUpStatus.DONE,
        notes="",
        action_items=[
            services.ActionItemDraft("未完成的事", setup.trainee, None),
            services.ActionItemDraft("已完成的事", setup.trainee, None),
        ],
    )
    done = follow_up.action_items.get(description="已完成的事")
    services.action_item_set_status(item=done, user=setup.trainee, status="done")
    draft = services.next_follow_up_draft(follow_up=follow_up)
    assert draft.scheduled_at == follow_up.scheduled_at + dt.timedelta(days=7)
    assert draft.location == "会议室 A"
    assert draft.duration_minutes == 60
    assert "未完成的事" in draft.agenda
    assert "已完成的事" not in draft.agenda
    booked = services.follow_up_schedule(
        cohort=setup.cohort,
        coach=setup.coach,
        trainee=setup.trainee,
        scheduled_at=draft.scheduled_at,
        agenda=draft.agenda,
        previous=follow_up,
    )
    assert list(follow_up.next_follow_ups.all()) == [booked]


def test_previous_must_be_the_same_trainee(setup):
    follow_up = _follow_up(setup)
    with pytest.raises(PermissionDenied):
        services.follow_up_schedule(
            cohort=setup.cohort,
            coach=setup.coach,
            trainee=setup.colleague,
            scheduled_at=timezone.now(),
            previous=follow_up,
        )


def test_owner_moves_their_own_item_only(setup):
    follow_up = _follow_up(setup)
    (item,) = services.follow_up_record(
        follow_up=follow_up,
        coach=setup.coach,
        status="done",
        notes="",
        action_items=[services.ActionItemDraft("x", setup.trainee, None)],
    )
    services.action_item_set_status(item=item, user=setup.trainee, status="done")
    item.refresh_from_db()
    assert item.status == "done" and item.completed_at is not None
    with pytest.raises(PermissionDenied):
        services.action_item_set_status(item=item, user=setup.coach, status="open")
    with pytest.raises(ValidationError):
        services.action_item_set_status(item=item, user=setup.trainee, status="bogus")


def test_items_grouped_open_overdue_done_across_sources(setup):
    model = selectors.action_item_model()
    today = timezone.localdate()
    trainee = setup.trainee
    model.objects.create(owner=trainee, description="a", due_date=today, source="other")
    model.objects.create(
        owner=trainee, description="b", due_date=today - dt.timedelta(days=2)
    )
    model.objects.create(owner=trainee, description="c", status="done")
    model.objects.create(owner=setup.colleague, description="not mine")
    groups = selectors.action_items_grouped(user=trainee)
    assert [i.description for i in groups.open] == ["a"]
    assert [i.description for i in groups.overdue] == ["b"]
    assert [i.description for i in groups.done] == ["c"]
