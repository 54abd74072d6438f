"""`make backup` / `make restore`: the database and media round-trip, row for row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.backup import backup, restore
from accounts.demo import seed_people
from accounts.models import Membership, Organization, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "media"
    (root / "homework" / "1").mkdir(parents=True)
    (root / "homework" / "1" / "目标拆解.txt").write_text("年度目标 1200 万")
    settings.MEDIA_ROOT = str(root)
    return root


def test_backup_then_restore_puts_every_row_and_file_back(
    tmp_path: Path, media: Path
) -> None:
    seed_people()
    users, orgs = User.objects.count(), Organization.objects.count()
    made = backup(tmp_path / "backups")
    manifest = json.loads((made.folder / "manifest.json").read_text())
    assert manifest["tables"]["accounts_user"] == users
    assert made.media_files == 1

    Membership.objects.all().delete()
    User.objects.all().delete()
    Organization.objects.all().delete()
    (media / "homework" / "1" / "目标拆解.txt").unlink()

    restored = restore(made.folder)
    assert (User.objects.count(), Organization.objects.count()) == (users, orgs)
    assert User.objects.filter(email="li.na@seabright.demo").exists()
    assert (media / "homework" / "1" / "目标拆解.txt").read_text() == "年度目标 1200 万"
    assert restored.rows == made.rows
    assert list(media.parent.glob("media.before-restore-*"))  # the replaced files kept


def test_restore_refuses_without_confirmation_or_a_backup(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="not a Lodestar backup"):
        call_command("restore", str(tmp_path), "--yes")
