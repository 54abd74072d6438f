"""Create (or refresh) the demo: an enterprise, its people, and Lodestar staff.

Idempotent: it updates what exists and never duplicates. Apps that land later add
their own demo content by extending `DEMO_STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, seed_people

DEMO_STEPS: list[Callable[[], None]] = []


class Command(BaseCommand):
    help = "Create or refresh the Lodestar demo data and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        organization, people = seed_people()
        for step in DEMO_STEPS:
            step()
        self.stdout.write(self.style.SUCCESS(f"Demo organization: {organization.name}"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        width = max(len(person.email) for person, _ in people)
        for person, user in people:
            email = person.email.ljust(width)
            self.stdout.write(f"  {email}  {user.display_name}  ({person.role_label})")
