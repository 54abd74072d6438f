"""Run every reminder producer once and print what each sent (for operators)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.tasks import send_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders that are due now (sessions and follow-ups tomorrow, "
        "homework, reviews, overdue action items). Safe to run again: nothing is "
        "sent twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_reminders()
        failed = [name for name, count in sent.items() if count < 0]
        for name, count in sent.items():
            shown = "FAILED (see the log)" if count < 0 else str(count)
            self.stdout.write(f"{name}: {shown}")
        total = sum(count for count in sent.values() if count > 0)
        self.stdout.write(f"total: {total}")
        if failed:
            self.stderr.write(f"{len(failed)} producer(s) failed")
