"""Scheduled reminders: apps register producers, one django-q2 job runs them all.

A producer is ``fn(now: datetime) -> int``: it finds what is due at `now` and calls
`accounts.notifications.notify` for each recipient with a `dedupe_key` naming the event,
returning how many notifications it sent. Because `notify` never sends the same key
twice, running the job twice (or two workers at once) sends nothing twice. Apps
register their producers in `AppConfig.ready()` so accounts imports none of them.

The django-q2 schedule "reminders" (created by migration accounts 0003) runs
`accounts.tasks.send_reminders` every 15 minutes; `manage.py send_reminders` runs the
same once by hand. Producers that speak of "tomorrow" use the recipient's own time zone
and wait until `REMINDER_DAY_STARTS` o'clock there, so nobody is emailed at midnight.
"""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

Producer = Callable[[datetime], int]

REMINDER_DAY_STARTS = 8  # local hour from which "tomorrow" reminders go out
RECENT_DAYS = 7  # how far back overdue and review reminders look (bounds the scan)
TOMORROW_HORIZON = timedelta(hours=48)  # every zone's "tomorrow" ends before now + this

PRODUCERS: list[Producer] = []


def register_reminder(producer: Producer) -> Producer:
    """Add a producer once (ready() may run twice in tests); usable as a decorator."""
    if producer not in PRODUCERS:
        PRODUCERS.append(producer)
    return producer


def run_reminders(now: datetime | None = None) -> dict[str, int]:
    """Run every producer; one failing producer is logged and does not stop the rest."""
    now = now or timezone.now()
    sent: dict[str, int] = {}
    for producer in PRODUCERS:
        name = f"{producer.__module__}.{producer.__qualname__}"
        try:
            sent[name] = producer(now)
        except Exception:
            logger.exception("Reminder producer %s failed", name)
            sent[name] = -1
    return sent


def user_zone(user: object) -> zoneinfo.ZoneInfo:
    """The recipient's zone (their profile), or the site's when it is unusable."""
    try:
        return zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_today(user: object, now: datetime) -> date:
    return now.astimezone(user_zone(user)).date()


def is_tomorrow_for(user: object, moment: datetime, now: datetime) -> bool:
    """True when `moment` falls on tomorrow's calendar date in the user's zone, and
    their day has started (from REMINDER_DAY_STARTS o'clock local).

    So a trainee in Shanghai and a coach in New York are each reminded on the day
    before by their own calendar, and never in the middle of their night.
    """
    zone = user_zone(user)
    local_now = now.astimezone(zone)
    if local_now.hour < REMINDER_DAY_STARTS:
        return False
    return moment.astimezone(zone).date() == local_now.date() + timedelta(days=1)
