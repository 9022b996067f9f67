"""A private PostgreSQL + PostGIS cluster under ``var/`` for development and tests.

initdb refuses to run as root, so when we are root the cluster belongs to an
unprivileged OS user (``postgres`` when the server package made it, else ``mapapp``)
and every server command runs through ``runuser``. The cluster listens on a unix
socket under ``var/`` and on 127.0.0.1 at a non-standard port, trusting local
connections only. Nothing here imports Flask: the CLI, the Makefile and the test
fixtures all drive the same functions.
"""
from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from mapapp.config import var_dir

DEFAULT_PORT = 54329
SUPERUSER = "mapapp"
DATABASE = "mapapp"
UNIX_SOCKET_MAX = 100


class EmbeddedPgError(RuntimeError):
    """The embedded cluster cannot be set up; the message says what to do."""


def _run(cmd: list[str], *, check: bool = True, **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and result.returncode != 0:
        raise EmbeddedPgError(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")
    return result


def _apt_install(packages: list[str]) -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise EmbeddedPgError(
            "Please install these packages (as root): apt-get install " + " ".join(packages)
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    _run(["apt-get", "update", "-q"], env=env)
    _run(["apt-get", "install", "-y", "-q", *packages], env=env)


def find_bindir() -> Path | None:
    """Return the newest PostgreSQL server bin directory on this machine."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def server_major(bindir: Path) -> str:
    out = _run([str(bindir / "postgres"), "--version"]).stdout
    return out.split()[-1].split(".")[0]


def postgis_available(bindir: Path) -> bool:
    sharedir = _run([str(bindir / "pg_config"), "--sharedir"]).stdout.strip()
    return Path(sharedir, "extension", "postgis.control").exists()


def ensure_installed() -> Path:
    """Make sure a PostgreSQL server and PostGIS for its major version are installed."""
    bindir = find_bindir()
    if bindir is None:
        _apt_install(["postgresql"])
        bindir = find_bindir()
        if bindir is None:
            raise EmbeddedPgError("PostgreSQL was installed but initdb was not found.")
    if not postgis_available(bindir):
        _apt_install([f"postgresql-{server_major(bindir)}-postgis-3"])
        if not postgis_available(bindir):
            raise EmbeddedPgError(
                f"PostGIS for PostgreSQL {server_major(bindir)} is missing: "
                f"install postgresql-{server_major(bindir)}-postgis-3."
            )
    return bindir


def _os_user() -> str:
    """Return the account that owns the cluster: ourselves, or an unprivileged one as root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    for name in ("postgres", SUPERUSER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    _run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER])
    return SUPERUSER


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Cluster:
    """One embedded cluster: where it lives, who owns it and where it listens."""

    base: Path
    port: int = DEFAULT_PORT

    @classmethod
    def default(cls) -> "Cluster":
        port = int(os.environ.get("MAPAPP_PG_PORT", DEFAULT_PORT))
        return cls(var_dir() / "postgres", port)

    @property
    def socket_dir(self) -> Path:
        return self.base / "run"

    @property
    def log_file(self) -> Path:
        return self.base / "postgres.log"

    @property
    def data_dir(self) -> Path:
        """Return the data directory; outside ``var/`` if the owner cannot reach ``var/``."""
        pointer = self.base / "DATA_DIR"
        if pointer.exists():
            return Path(pointer.read_text().strip())
        return self.base / "data"

    def url(self, database: str = DATABASE) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _as_owner(self, cmd: list[str], **kw) -> subprocess.CompletedProcess:
        user = _os_user()
        if os.geteuid() == 0 and user != "root":
            cmd = ["runuser", "-u", user, "--", *cmd]
        return _run(cmd, **kw)

    def _owner_can_use(self, path: Path) -> bool:
        return self._as_owner(["test", "-w", str(path)], check=False).returncode == 0

    def _prepare_dirs(self) -> None:
        user = _os_user()
        owner = pwd.getpwnam(user)
        for path in (self.base, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, owner.pw_uid, owner.pw_gid)
        if not self._owner_can_use(self.base):
            digest = hashlib.sha256(str(self.base).encode()).hexdigest()[:10]
            outside = Path("/var/lib/mapapp") / f"pg-{digest}"
            outside.mkdir(parents=True, exist_ok=True)
            os.chown(outside, owner.pw_uid, owner.pw_gid)
            (self.base / "DATA_DIR").write_text(str(outside / "data"))

    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def init(self, bindir: Path) -> None:
        """Create the cluster with a trusting local superuser and our listen settings."""
        self._prepare_dirs()
        self._as_owner([
            str(bindir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
            "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
        ])
        sockets = str(self.socket_dir) if len(str(self.socket_dir)) < UNIX_SOCKET_MAX else ""
        settings = (
            "\n# mapapp embedded cluster\n"
            f"port = {self.port}\n"
            "listen_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{sockets}'\n"
            "max_connections = 100\n"
            "shared_buffers = 256MB\n"
        )
        conf = self.data_dir / "postgresql.conf"
        self._as_owner(["sh", "-c", f"cat >> '{conf}'"], input=settings)

    def running(self, bindir: Path) -> bool:
        if not self.initialised():
            return False
        status = self._as_owner([str(bindir / "pg_ctl"), "status", "-D", str(self.data_dir)], check=False)
        return status.returncode == 0

    def start(self, bindir: Path) -> None:
        if _port_in_use(self.port):
            raise EmbeddedPgError(
                f"port {self.port} is taken by another server (another checkout's cluster?): "
                "stop it, or choose a free port with MAPAPP_PG_PORT"
            )
        self._prepare_dirs()
        self._as_owner([
            str(bindir / "pg_ctl"), "start", "-D", str(self.data_dir), "-l", str(self.log_file),
            "-w", "-t", "60", "-o", f"-p {self.port}",
        ])

    def stop(self, bindir: Path) -> None:
        self._as_owner([str(bindir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "fast", "-w"])

    def create_database(self, name: str = DATABASE) -> bool:
        """Create ``name`` if it is missing; return whether it was created."""
        import psycopg

        conninfo = f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres"
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = psycopg.connect(conninfo, autocommit=True)
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        return not exists


def ensure(cluster: Cluster | None = None, database: str = DATABASE) -> Cluster:
    """Install, initialise, start and create the database, doing only what is missing."""
    cluster = cluster or Cluster.default()
    bindir = ensure_installed()
    if not cluster.initialised():
        cluster.init(bindir)
    if not cluster.running(bindir):
        cluster.start(bindir)
    cluster.create_database(database)
    return cluster


def status(cluster: Cluster | None = None) -> dict:
    """Describe the cluster for humans and scripts."""
    cluster = cluster or Cluster.default()
    bindir = find_bindir()
    return {
        "data_dir": str(cluster.data_dir),
        "port": cluster.port,
        "url": cluster.url(),
        "initialised": cluster.initialised(),
        "running": bool(bindir) and cluster.running(bindir),
        "postgis_installed": bool(bindir) and postgis_available(bindir),
    }
