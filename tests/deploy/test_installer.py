"""deploy/install-server.sh writes the server's files once: run again it changes nothing, keeps the
secret key, remembers its options; the settings and the Caddyfile are what a public host needs."""
import shutil
import subprocess

import pytest

from tests.deploy.helpers import checksums, install, read_env_file, run_installer, snapshot

pytestmark = pytest.mark.deploy

DOMAIN = "begehung.example.de"


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return snapshot(tmp_path_factory.mktemp("checkout"))


@pytest.fixture
def root(tmp_path):
    return tmp_path / "root"


def test_a_second_run_changes_nothing(source, root):
    first = install(source, root, "--domain", DOMAIN, "--email", "admin@example.de")
    assert "changed: /etc/mapapp/mapapp.env" in first
    before = checksums(root)

    second = install(source, root, "--domain", DOMAIN, "--email", "admin@example.de")

    assert "changed:" not in second and "nothing to change" in second
    assert checksums(root) == before


def test_the_secret_key_is_made_once_and_kept_and_options_are_remembered(source, root):
    install(source, root, "--domain", DOMAIN, "--email", "admin@example.de")
    key = read_env_file(root / "etc/mapapp/mapapp.env")["SECRET_KEY"]
    assert len(key) == 64

    install(source, root)  # as deploy/upgrade.sh runs it: no options
    install(source, root, "--domain", "neu.example.de")

    settings = read_env_file(root / "etc/mapapp/mapapp.env")
    assert settings["SECRET_KEY"] == key
    assert settings["MAPAPP_PUBLIC_BASE_URL"] == "https://neu.example.de"
    assert "email admin@example.de" in (root / "etc/caddy/Caddyfile").read_text()


def test_the_settings_file_is_private_and_names_what_production_needs(source, root):
    install(source, root, "--domain", DOMAIN, "--email", "admin@example.de")
    env_file = root / "etc/mapapp/mapapp.env"
    settings = read_env_file(env_file)

    assert env_file.stat().st_mode & 0o777 == 0o640
    assert settings["DATABASE_URL"] == "postgresql://mapapp@/mapapp?host=/var/run/postgresql"
    assert settings["MAPAPP_PUBLIC_BASE_URL"] == f"https://{DOMAIN}"
    assert settings["MAPAPP_TRUSTED_HOSTS"] == f"{DOMAIN},localhost,127.0.0.1"
    assert settings["MAPAPP_REDIS_URL"].startswith("redis://")
    assert settings["MAPAPP_UPLOAD_DIR"] == "/var/lib/mapapp/uploads"
    assert (settings["MAPAPP_PROXY_FIX"], settings["MAPAPP_SESSION_COOKIE_SECURE"]) == ("1", "true")
    assert settings["MAPAPP_EXPORT_JOBS_IN_PROCESS"] == "false"


def test_the_app_tree_is_copied_without_state_or_build_products(source, root):
    for left_out in ("var/secret_key", ".venv/bin/python", "node_modules/x/index.js", ".git/HEAD",
                     "mapapp/__pycache__/config.cpython-311.pyc"):
        (source / left_out).parent.mkdir(parents=True, exist_ok=True)
        (source / left_out).write_text("not for the server")
    install(source, root, "--domain", DOMAIN, "--email", "admin@example.de")
    src = root / "opt/mapapp/src"

    assert (src / "gunicorn.conf.py").is_file() and (src / "mapapp/__init__.py").is_file()
    assert (src / "deploy/backup.sh").stat().st_mode & 0o111
    for left_out in ("var", ".venv", "node_modules", ".git"):
        assert not (src / left_out).exists(), left_out
    assert not list(src.rglob("__pycache__"))


@pytest.mark.parametrize("options", [[], ["--domain", "x y"], ["--domain", DOMAIN]])
def test_a_missing_or_bad_domain_or_email_is_refused(source, root, options):
    result = run_installer(source, "--root", str(root), *options)
    assert result.returncode == 2 and ("--domain" in result.stderr or "--email" in result.stderr)
    assert not (root / "etc/mapapp/mapapp.env").exists()


def test_caddy_accepts_the_caddyfile_with_a_public_or_an_internal_certificate(source, root, tmp_path):
    caddy = shutil.which("caddy")
    assert caddy, "caddy is not installed: run `make test`, which installs Debian's caddy"
    install(source, root, "--domain", DOMAIN, "--email", "admin@example.de")
    caddyfile = (root / "etc/caddy/Caddyfile").read_text()
    for part in ("max_size 80MB", "encode zstd gzip", "reverse_proxy 127.0.0.1:8000", "Strict-Transport-Security"):
        assert part in caddyfile
    assert "\tlog" not in caddyfile, "no access log: it would keep the clients' addresses"
    validate(caddy, root, tmp_path)

    install(source, root, "--tls-internal", "--https-port", "8443")
    assert "tls internal" in (root / "etc/caddy/Caddyfile").read_text()
    assert read_env_file(root / "etc/mapapp/mapapp.env")["MAPAPP_PUBLIC_BASE_URL"] == f"https://{DOMAIN}:8443"
    validate(caddy, root, tmp_path)


def validate(caddy, root, tmp_path):
    result = subprocess.run([caddy, "validate", "--adapter", "caddyfile", "--config", str(root / "etc/caddy/Caddyfile")],
                            capture_output=True, text=True, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
                            timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
