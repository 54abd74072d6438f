"""Create (or refresh) the demo: an enterprise, its people, and Lodestar staff.

Idempotent: it updates what exists and never duplicates. Each app that has demo
content provides `<app>/demo.py` with `seed(*, stdout) -> None`; they run in
`DEMO_APPS` order after the people exist.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, seed_people

DEMO_APPS = [
    "courses",
    "cohorts",
    "cohorts.coaching",
    "workbook",
    "cohorts.certificates",
    "cohorts.admissions",
    "cohorts.feedback",
    "cohorts.reporting",
]


class Command(BaseCommand):
    help = "Create or refresh the Lodestar demo data and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        organization, people = seed_people()
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo organization: {organization.name}"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(person.email) for person, _ in people)
        for person, user in people:
            email = person.email.ljust(width)
            self.stdout.write(f"  {email}  {user.display_name}  ({person.role_label})")
