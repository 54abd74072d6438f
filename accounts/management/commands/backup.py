"""`manage.py backup [DIR]`: the database and media files into a new folder under DIR."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", nargs="?", default="backups")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(Path(options["destination"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {result.rows} rows in {result.tables} tables and "
            f"{result.media_files} media files to {result.folder}"
        )
