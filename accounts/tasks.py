"""Background jobs (django-q2) of accounts: the scheduled reminder run."""

from __future__ import annotations

import logging

from django.core.cache import caches
from django.utils import timezone

from accounts.reminders import run_reminders

logger = logging.getLogger(__name__)

LAST_RUN_CACHE_KEY = "reminders:last-run"


def send_reminders() -> dict[str, int]:
    """Run every registered reminder producer once; the schedule calls this.

    The summary is kept in the jobs cache (shared with the web process) so staff can
    see on /ops/jobs/ when reminders last ran and what they sent. A cache that is not
    there (no `createcachetable` yet) costs the summary, never the run's result.
    """
    started = timezone.now()
    sent = run_reminders(started)
    summary = {"started": started, "finished": timezone.now(), "sent": sent}
    try:
        caches["jobs"].set(LAST_RUN_CACHE_KEY, summary, timeout=None)
    except Exception:
        logger.warning(
            "Could not record the reminder run in the jobs cache", exc_info=True
        )
    return sent


def last_reminder_run() -> dict[str, object] | None:
    try:
        return caches["jobs"].get(LAST_RUN_CACHE_KEY)
    except Exception:
        logger.warning(
            "Could not read the reminder run from the jobs cache", exc_info=True
        )
        return None
