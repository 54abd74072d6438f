"""Back up and restore the database and the media files, on SQLite or PostgreSQL.

A backup is a folder holding the database (`database.sqlite3`, made with SQLite's online
backup API, or `database.dump`, PostgreSQL's custom format from `pg_dump`), the media
files (`media.tar.gz`) and `manifest.json` with the row count of every table, which
`restore` checks after it has put everything back. Media on S3-compatible storage are
not in the archive: use the bucket's versioning (docs/deploy.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class BackupResult:
    folder: Path
    tables: int
    rows: int
    media_files: int


def _table_counts() -> dict[str, int]:
    names = sorted(connection.introspection.table_names(include_views=False))
    with connection.cursor() as cursor:
        counts = {}
        for name in names:
            # Table names come from introspection and are quoted by the backend.
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
            counts[name] = int(cursor.fetchone()[0])
    return counts


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    # A fixed argv (pg_dump/pg_restore and settings values), no shell.
    done = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, env=env, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup(destination: Path) -> BackupResult:
    """Write a new backup folder under `destination` and return what it holds."""
    folder = destination / timezone.now().strftime("lodestar-%Y%m%d-%H%M%S-utc")
    folder.mkdir(parents=True, exist_ok=False)
    counts = _table_counts()
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
    elif vendor == "postgresql":
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        _run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                *args,
                "-f",
                str(folder / "database.dump"),
                name,
            ],
            env,
        )
    else:  # pragma: no cover - settings allow only these two
        raise BackupError(f"Cannot back up a {vendor} database")
    media = _media_root()
    files = 0
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            for path in sorted(media.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media)))
                    files += 1
    manifest = {
        "created_at": timezone.now().isoformat(timespec="seconds"),
        "vendor": vendor,
        "tables": counts,
        "media_files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return BackupResult(folder, len(counts), sum(counts.values()), files)


def _extract_files(archive_path: Path, root: Path) -> None:
    """Regular files only, each inside `root` (no links, no absolute or ../ paths)."""
    base = root.resolve()
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive.getmembers():
            target = (base / member.name).resolve()
            if not member.isfile() or not target.is_relative_to(base):
                raise BackupError(f"Unsafe entry in the media archive: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            if source is None:  # pragma: no cover - isfile() members have content
                continue
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)


def restore(folder: Path) -> BackupResult:
    """Replace the database and media with the backup's; check every table's rows."""
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: not a Lodestar backup")
    manifest = json.loads(manifest_path.read_text())
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise BackupError(
            f"The backup is of a {manifest['vendor']} database; this one is {vendor}"
        )
    if vendor == "sqlite":
        # Page by page into the open connection: other connections see the new data.
        connection.ensure_connection()
        source = sqlite3.connect(folder / "database.sqlite3")
        source.backup(connection.connection)
        source.close()
    else:
        connection.close()
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                "-d",
                name,
                str(folder / "database.dump"),
            ],
            env,
        )
    media = _media_root()
    if media.exists() and any(media.iterdir()):
        aside = media.with_name(
            f"{media.name}.before-restore-{timezone.now():%Y%m%d%H%M%S}"
        )
        shutil.move(media, aside)
    media.mkdir(parents=True, exist_ok=True)
    _extract_files(folder / "media.tar.gz", media)
    counts = _table_counts()
    expected = manifest["tables"]
    wrong = {t: (n, counts.get(t)) for t, n in expected.items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Restored row counts differ from the backup: {wrong}")
    files = sum(1 for path in media.rglob("*") if path.is_file())
    return BackupResult(folder, len(counts), sum(counts.values()), files)
