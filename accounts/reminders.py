"""Scheduled reminders: apps register producers, one django-q2 job runs them all.

A producer is ``fn(now: datetime) -> int``: it finds what is due at `now` and calls
`accounts.notifications.notify` for each recipient with a `dedupe_key` naming the event,
returning how many notifications it sent. Because `notify` never sends the same key
twice, running the job twice (or two workers at once) sends nothing twice. Apps
register their producers in `AppConfig.ready()` so accounts imports none of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

logger = logging.getLogger(__name__)

Producer = Callable[[datetime], int]

PRODUCERS: list[Producer] = []


def register_reminder(producer: Producer) -> Producer:
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
