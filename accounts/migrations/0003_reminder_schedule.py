"""The django-q2 schedule that sends reminders every 15 minutes.

Idempotent: an existing schedule named "reminders" is updated, never duplicated, so
operators may also have created it by hand. Reversing removes it.
"""

from django.db import migrations
from django.utils import timezone

SCHEDULE_NAME = "reminders"
TASK = "accounts.tasks.send_reminders"
EVERY_MINUTES = 15


def create_schedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": TASK,
            "schedule_type": "I",  # django_q.models.Schedule.MINUTES
            "minutes": EVERY_MINUTES,
            "repeats": -1,
        },
    )
    Schedule.objects.filter(name=SCHEDULE_NAME, next_run__isnull=True).update(
        next_run=timezone.now()
    )


def remove_schedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_team_and_notifications"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
