"""`manage.py restore FOLDER --yes`: put a backup back and check every table's rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database and media files with a backup made by `backup`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: the current data is replaced."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "Restoring replaces all current data: add --yes to confirm."
            )
        try:
            result = restore(Path(options["folder"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {result.rows} rows in {result.tables} tables and "
            f"{result.media_files} media files from {result.folder}"
        )
