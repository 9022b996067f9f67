"""The systemd units in deploy/systemd pass `systemd-analyze verify` (with their programs stubbed
under a temporary /opt/mapapp), share one hardening drop-in and log to the journal."""
import os
import shutil
import subprocess

import pytest

from tests.deploy.helpers import DEPLOY

pytestmark = pytest.mark.deploy

UNITS = DEPLOY / "systemd"
PROGRAMS = ["venv/bin/gunicorn", "venv/bin/mapapp", "src/deploy/backup.sh"]


@pytest.fixture
def unit_dir(tmp_path):
    """The units with /opt/mapapp moved into tmp_path, where each program they start is a stub."""
    opt = tmp_path / "opt/mapapp"
    for program in PROGRAMS:
        (opt / program).parent.mkdir(parents=True, exist_ok=True)
        (opt / program).write_text("#!/bin/sh\n")
        (opt / program).chmod(0o755)
    target = tmp_path / "units"
    shutil.copytree(UNITS, target)
    for unit in target.rglob("*"):
        if unit.is_file():
            unit.write_text(unit.read_text().replace("/opt/mapapp", str(opt)))
    return target


def verify(unit_dir, *units):
    systemd_analyze = shutil.which("systemd-analyze")
    assert systemd_analyze, "systemd-analyze is missing: run `make test`, which installs Debian's systemd"
    return subprocess.run([systemd_analyze, "verify", *units], cwd=unit_dir, capture_output=True, text=True,
                          env=dict(os.environ, SYSTEMD_UNIT_PATH=f"{unit_dir}:"), timeout=120)


def test_every_unit_passes_systemd_analyze_verify_without_a_warning(unit_dir):
    units = sorted(path.name for path in unit_dir.iterdir() if path.suffix in (".service", ".timer"))
    assert units == ["mapapp-backup.service", "mapapp-backup.timer", "mapapp-city.service", "mapapp-city.timer",
                     "mapapp-web.service", "mapapp-worker.service"]

    result = verify(unit_dir, *units)

    assert (result.returncode, result.stderr, result.stdout) == (0, "", "")


def test_the_hardening_drop_in_is_read_for_every_mapapp_service(unit_dir):
    """A mistake in the shared drop-in shows up in the verification of each service."""
    drop_in = unit_dir / "mapapp-.service.d/hardening.conf"
    drop_in.write_text(drop_in.read_text() + "NoSuchOption=yes\n")

    result = verify(unit_dir, "mapapp-web.service", "mapapp-worker.service")

    assert result.stderr.count("Unknown key 'NoSuchOption'") == 2


def settings(path):
    return [line for line in path.read_text().splitlines() if line and not line.startswith("#")]


def test_services_run_as_mapapp_with_the_env_file_hardened_and_log_to_the_journal():
    hardening = settings(UNITS / "mapapp-.service.d/hardening.conf")
    for line in ("User=mapapp", "EnvironmentFile=/etc/mapapp/mapapp.env", "NoNewPrivileges=yes",
                 "ProtectSystem=strict", "ReadWritePaths=/var/lib/mapapp", "PrivateTmp=yes",
                 "StandardOutput=journal", "StandardError=journal"):
        assert line in hardening
    web = settings(UNITS / "mapapp-web.service")
    assert "ExecStart=/opt/mapapp/venv/bin/gunicorn -c /opt/mapapp/src/gunicorn.conf.py mapapp:create_app()" in web
    assert "ExecReload=/bin/kill -s HUP $MAINPID" in web, "reload must be gunicorn's graceful HUP"
    assert "ExecStart=/opt/mapapp/venv/bin/mapapp export worker" in settings(UNITS / "mapapp-worker.service")
    city = settings(UNITS / "mapapp-city.service")
    assert ["ExecStart=/opt/mapapp/venv/bin/mapapp city send",
            "ExecStart=/opt/mapapp/venv/bin/mapapp city refresh"] == [line for line in city if line.startswith("ExecStart")]
    assert "ReadWritePaths=/var/backups/mapapp" in settings(UNITS / "mapapp-backup.service")
