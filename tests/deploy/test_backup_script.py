"""deploy/backup.sh (mapapp-backup.service): a new archive each night, those older than
BACKUP_KEEP_DAYS removed, but only once the new one was written."""
import os
import subprocess
import time

import pytest

from tests.deploy.helpers import DEPLOY

pytestmark = pytest.mark.deploy


def test_the_backup_keeps_the_new_archive_and_drops_those_past_the_retention(tmp_path):
    fake_cli = tmp_path / "mapapp"
    fake_cli.write_text('#!/bin/sh\n[ "$1" = backup ] && echo archive > "$2"\n')
    fake_cli.chmod(0o755)
    backups = tmp_path / "backups"
    backups.mkdir()
    old, recent, other = (backups / "mapapp-20260101T031500Z.tar", backups / "mapapp-20261201T031500Z.tar",
                          backups / "notes.txt")
    for path, age_days in ((old, 30), (recent, 3), (other, 30)):
        path.write_text("x")
        stamp = time.time() - age_days * 86400
        os.utime(path, (stamp, stamp))

    result = subprocess.run([str(DEPLOY / "backup.sh")], capture_output=True, text=True, timeout=60, env=dict(
        os.environ, BACKUP_DIR=str(backups), BACKUP_KEEP_DAYS="14", MAPAPP_CLI=str(fake_cli)))

    assert result.returncode == 0, result.stderr
    left = sorted(path.name for path in backups.iterdir())
    assert old.name not in left and recent.name in left and other.name in left
    assert len([name for name in left if name.startswith("mapapp-")]) == 2, "the new archive is there"


def test_a_failed_backup_deletes_no_old_archive(tmp_path):
    fake_cli = tmp_path / "mapapp"
    fake_cli.write_text("#!/bin/sh\nexit 1\n")
    fake_cli.chmod(0o755)
    old = tmp_path / "mapapp-20260101T031500Z.tar"
    old.write_text("x")
    os.utime(old, (time.time() - 30 * 86400,) * 2)

    result = subprocess.run([str(DEPLOY / "backup.sh")], capture_output=True, text=True, timeout=60, env=dict(
        os.environ, BACKUP_DIR=str(tmp_path), BACKUP_KEEP_DAYS="14", MAPAPP_CLI=str(fake_cli)))

    assert result.returncode != 0 and old.exists()
