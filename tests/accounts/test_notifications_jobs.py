"""The scheduled reminder job: its django-q2 schedule, running every producer, never
sending twice, surviving a broken producer, and the operators' command."""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import Schedule, Task
from django_q.scheduler import scheduler

from accounts import reminders
from accounts.models import Notification
from accounts.tasks import last_reminder_run, send_reminders
from cohorts.coaching.models import FollowUp
from tests.config.test_jobs import run_one_worker_cycle
from tests.factories.accounts import UserFactory
from tests.factories.coaching import AssignmentFactory, FollowUpFactory
from tests.factories.cohorts import (
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
)
from tests.factories.workbook import WorkbookFactory
from workbook.models import ActionItem

migration = importlib.import_module("accounts.migrations.0003_reminder_schedule")


@pytest.fixture
def reminder_schedule() -> None:
    """The migration's row. A transactional test earlier on the same worker flushes every
    table (django_q_schedule too), so the row is written again the way migrate writes it."""
    from django.apps import apps

    migration.create_schedule(apps, None)


@pytest.mark.django_db
def test_the_migration_schedules_send_reminders_every_15_minutes() -> None:
    from django.apps import apps

    migration.create_schedule(apps, None)
    schedule = Schedule.objects.get(name="reminders")
    assert schedule.func == "accounts.tasks.send_reminders"
    assert schedule.schedule_type == Schedule.MINUTES
    assert schedule.minutes == 15
    assert schedule.repeats == -1
    assert schedule.cluster is None


@pytest.mark.django_db
def test_schedule_migration_is_idempotent() -> None:
    Schedule.objects.filter(name="reminders").update(minutes=5)
    migration.create_schedule(apps, None)
    migration.create_schedule(apps, None)
    assert Schedule.objects.filter(name="reminders").count() == 1
    assert Schedule.objects.get(name="reminders").minutes == 15
    migration.remove_schedule(apps, None)
    assert not Schedule.objects.filter(name="reminders").exists()


def test_every_app_registers_its_producers() -> None:
    names = {f"{p.__module__}.{p.__name__}" for p in reminders.PRODUCERS}
    assert {
        "cohorts.reminders.sessions_tomorrow",
        "cohorts.coaching.reminders.homework_due_soon",
        "cohorts.coaching.reminders.homework_overdue",
        "cohorts.coaching.reminders.homework_returned",
        "cohorts.coaching.reminders.reviews_new",
        "cohorts.coaching.reminders.follow_ups_tomorrow",
        "workbook.reminders.action_items_overdue",
    } <= names
    assert len(names) == len(reminders.PRODUCERS)


def _something_due_of_every_kind() -> dict[str, object]:
    """A trainee in Shanghai with a session, homework, a follow-up and an action item."""
    now = timezone.now()
    trainee = UserFactory(time_zone="Asia/Shanghai")
    coach = CoachFactory(time_zone="Asia/Shanghai")
    cohort = CohortFactory(
        starts_on=now.date() - dt.timedelta(days=10),
        ends_on=now.date() + dt.timedelta(days=50),
        coaches=[coach],
    )
    EnrolmentFactory(cohort=cohort, user=trainee)
    AssignmentFactory(cohort=cohort, due_at=now + dt.timedelta(hours=30))
    AssignmentFactory(cohort=cohort, due_at=now - dt.timedelta(hours=30))
    ActionItem.objects.create(
        owner=trainee,
        workbook=WorkbookFactory(owner=trainee),
        description="复盘广告结构",
        due_date=now.date() - dt.timedelta(days=2),
    )
    # tomorrow at 10:00 in Shanghai: "tomorrow" whenever today's reminders have started
    local = now.astimezone(dt.timezone(dt.timedelta(hours=8)))
    tomorrow_ten = (local + dt.timedelta(days=1)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    SessionFactory(cohort=cohort, starts_at=tomorrow_ten)
    FollowUpFactory(
        cohort=cohort, coach=coach, trainee=trainee, scheduled_at=tomorrow_ten
    )
    return {"trainee": trainee, "coach": coach, "cohort": cohort}


@pytest.mark.django_db
def test_running_twice_sends_nothing_twice(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    people = _something_due_of_every_kind()
    now = timezone.now()
    first = reminders.run_reminders(now)
    assert all(count >= 0 for count in first.values())
    sent = sum(first.values())
    expected = 3  # due soon, overdue, action item
    if reminders.is_tomorrow_for(
        people["trainee"], FollowUp.objects.get().scheduled_at, now
    ):
        expected += 5  # session: trainee + coach; follow-up: trainee + coach
    mine = Notification.objects.filter(user__in=[people["trainee"], people["coach"]])
    assert mine.count() == expected  # other apps' producers may add their own
    assert Notification.objects.count() == sent and len(mailoutbox) == sent
    again = reminders.run_reminders(now + dt.timedelta(minutes=15))
    assert sum(again.values()) == 0
    assert Notification.objects.count() == sent and len(mailoutbox) == sent


@pytest.mark.django_db
def test_a_failing_producer_does_not_stop_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(now: dt.datetime) -> int:
        raise RuntimeError("boom")

    def fine(now: dt.datetime) -> int:
        return 4

    monkeypatch.setattr(reminders, "PRODUCERS", [broken, fine])
    result = reminders.run_reminders()
    assert list(result.values()) == [-1, 4]


@pytest.mark.django_db
def test_task_records_its_last_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reminders, "PRODUCERS", [lambda now: 2])
    send_reminders()
    last = last_reminder_run()
    assert last is not None and sum(last["sent"].values()) == 2
    assert last["finished"] >= last["started"]


@pytest.mark.django_db
def test_command_prints_counts(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    _something_due_of_every_kind()
    out = StringIO()
    call_command("send_reminders", stdout=out)
    text = out.getvalue()
    assert "cohorts.coaching.reminders.homework_due_soon: 1" in text
    assert "workbook.reminders.action_items_overdue: 1" in text
    total = int(text.rsplit("total: ", 1)[1])
    assert total == len(mailoutbox) >= 3
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().rstrip().endswith("total: 0")


@pytest.mark.django_db(transaction=True)
def test_schedule_round_trip_through_a_django_q_worker(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    """The real path: the scheduler enqueues the schedule, a worker runs it.

    An earlier transactional test's flush may have emptied the table, so the
    migration's function puts the schedule back first (it is idempotent)."""
    migration.create_schedule(apps, None)
    _something_due_of_every_kind()
    broker = get_broker()
    broker.purge_queue()
    Schedule.objects.filter(name="reminders").update(
        next_run=timezone.now() - dt.timedelta(minutes=1)
    )
    scheduler(broker=broker)
    schedule = Schedule.objects.get(name="reminders")
    assert schedule.next_run > timezone.now()  # moved on by 15 minutes
    assert broker.queue_size() == 1
    run_one_worker_cycle()
    task = Task.objects.get(id=schedule.task)
    assert task.success, task.result
    assert sum(task.result.values()) >= 3
    assert Notification.objects.count() == sum(task.result.values())


@pytest.mark.django_db
def test_jobs_page_shows_the_last_reminder_run(
    reminder_schedule: None,
    client,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.factories.accounts import UserFactory as Users

    def boom(now: dt.datetime) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(reminders, "PRODUCERS", [lambda now: 3, boom])
    send_reminders()
    client.force_login(Users(is_staff=True, preferred_language="en"))
    content = client.get("/ops/jobs/").content.decode()
    assert "Scheduled every 15 minutes" in content
    assert "Last run finished" in content
    assert '<td class="num">3</td>' in content
    assert "boom" in content and "Failed" in content
    client.force_login(Users())
    assert client.get("/ops/jobs/").status_code == 404
