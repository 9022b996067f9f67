"""Running deploy/install-server.sh with ``--root`` (files only) and reading what it wrote."""
import hashlib
import socket
import subprocess
from pathlib import Path

from mapapp import config

DEPLOY = config.project_dir() / "deploy"
# What the installer leaves out of the tree it copies (state, build products).
NOT_COPIED = ["/.git/", "/.venv/", "/var/", "/node_modules/", "__pycache__/", "*.pyc", "*.mo",
              "/mapapp.egg-info/", "/.pytest_cache/", "/test-results/"]


def snapshot(target: Path) -> Path:
    """A copy of the checkout, so that edits made meanwhile do not count as the installer's changes."""
    excludes = [f"--exclude={pattern}" for pattern in NOT_COPIED]
    copied = subprocess.run(["rsync", "-rlp", *excludes, f"{config.project_dir()}/", f"{target}/"],
                            capture_output=True, text=True, timeout=120)
    # 24: a file vanished while copying (an editor's temporary file); the snapshot is still whole.
    assert copied.returncode in (0, 24), copied.stderr
    return target


def run_installer(source: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(source / "deploy/install-server.sh"), *args],
                          capture_output=True, text=True, timeout=120)


def install(source: Path, root: Path, *options: str) -> str:
    """Run ``source``'s installer into ``root`` (no packages, users, database or services); return its output."""
    result = run_installer(source, "--root", str(root), *options)
    assert result.returncode == 0, result.stderr
    return result.stdout


def checksums(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and directory under ``root``: its sha256 (files) and permission bits."""
    listing = {}
    for path in sorted(root.rglob("*")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else ""
        listing[str(path.relative_to(root))] = (digest, path.lstat().st_mode & 0o7777)
    return listing


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a systemd environment file as written by the installer."""
    settings = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            settings[name] = value
    return settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
