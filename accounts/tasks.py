"""Background jobs (django-q2) of accounts: the scheduled reminder run."""

from __future__ import annotations

from django.core.cache import caches
from django.utils import timezone

from accounts.reminders import run_reminders

LAST_RUN_CACHE_KEY = "reminders:last-run"


def send_reminders() -> dict[str, int]:
    """Run every registered reminder producer once; the schedule calls this.

    The summary is kept in the jobs cache (shared with the web process) so staff can
    see on /ops/jobs/ when reminders last ran and what they sent.
    """
    started = timezone.now()
    sent = run_reminders(started)
    caches["jobs"].set(
        LAST_RUN_CACHE_KEY,
        {"started": started, "finished": timezone.now(), "sent": sent},
        timeout=None,
    )
    return sent


def last_reminder_run() -> dict[str, object] | None:
    return caches["jobs"].get(LAST_RUN_CACHE_KEY)
