"""Throw-away servers beside the embedded PostGIS for the shared-state tests: Redis, a streaming
replica, PgBouncer. Each runs on a free loopback port from Debian's package (installed by
``make test``; a test is skipped, naming the package, where it is missing) and is stopped by its
fixture.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

SLOT_PREFIX = "mapapp_test_replica_"
GUARD_S = 60  # only so a server that never comes up fails the test instead of hanging it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen | None = None, what: str = "server") -> None:
    deadline = time.monotonic() + GUARD_S
    while True:
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            output = process.communicate()[0] if process is not None and process.poll() is not None else ""
            pytest.fail(f"{what} did not come up on port {port}: {output[-2000:]}")
        time.sleep(0.1)


def require(program: str, package: str) -> str:
    path = shutil.which(program) or next((str(p) for p in (Path("/usr/bin") / program, Path("/usr/sbin") / program)
                                          if p.exists()), None)
    if path is None:
        pytest.skip(f"{program} is missing: apt-get install {package} (make test does)")
    return path


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=GUARD_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class RedisServer:
    """Debian's redis-server on a free loopback port, in memory only (no dump file)."""

    def __init__(self, workdir: Path):
        binary = require("redis-server", "redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(workdir), "--daemonize", "no"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ),
        )
        wait_for_port(self.port, self.process, "redis-server")

    def stop(self) -> None:
        stop(self.process)


class StreamingReplica:
    """A hot standby of the embedded cluster: ``pg_basebackup -R`` into a temporary directory,
    started on a free port by the OS user that owns the primary (the embedded cluster trusts
    replication connections from 127.0.0.1, and its wal_level is PostgreSQL's default, replica)."""

    def __init__(self, primary, workdir: Path):
        from mapapp.devtools import embedded_pg

        self.primary_port = primary.port
        self.bindir = embedded_pg.find_bindir()
        self.owner = pwd.getpwuid(primary.data_dir.stat().st_uid)
        os.chown(workdir, self.owner.pw_uid, self.owner.pw_gid)
        self.data_dir = workdir / "data"
        self.port = free_port()
        self.slot = f"{SLOT_PREFIX}{os.getpid()}"

    def _as_owner(self, *cmd: str) -> subprocess.CompletedProcess:
        if os.geteuid() == 0 and self.owner.pw_uid != 0:
            cmd = ("runuser", "-u", self.owner.pw_name, "--", *cmd)
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            pytest.fail(f"{' '.join(cmd)} failed: {result.stdout}{result.stderr}")
        return result

    def create(self) -> None:
        """Copy the primary; a replication slot keeps the WAL the replica has yet to receive (other
        test runs churn through WAL segments faster than a fresh standby starts)."""
        self._drop_stale_slots()
        self._as_owner(str(self.bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary_port),
                       "-U", "mapapp", "-D", str(self.data_dir), "-R", "-X", "stream", "-c", "fast",
                       "-C", "-S", self.slot)
        with open(self.data_dir / "postgresql.auto.conf", "a") as conf:  # later lines win
            conf.write(f"\nport = {self.port}\nunix_socket_directories = ''\nshared_buffers = 32MB\n")

    def start(self) -> None:
        self._as_owner(str(self.bindir / "pg_ctl"), "start", "-D", str(self.data_dir), "-w", "-t", "120",
                       "-l", str(self.data_dir / "replica.log"))

    def stop(self) -> None:
        self._as_owner(str(self.bindir / "pg_ctl"), "stop", "-D", str(self.data_dir), "-m", "immediate", "-w")

    def drop(self) -> None:
        """Stop it if it runs and drop its slot, which would otherwise keep WAL on the primary for ever."""
        if (self.data_dir / "postmaster.pid").exists():
            self.stop()
        self._primary(f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                      f"WHERE slot_name = '{self.slot}'")

    def _drop_stale_slots(self) -> None:
        """Slots of earlier test processes that died before dropping theirs."""
        names = self._primary(f"SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE '{SLOT_PREFIX}%' "
                              "AND NOT active")
        for (name,) in names:
            if not Path("/proc", name.removeprefix(SLOT_PREFIX)).exists():
                self._primary(f"SELECT pg_drop_replication_slot('{name}')")

    def _primary(self, sql: str) -> list:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.primary_port} user=mapapp dbname=postgres",
                             autocommit=True) as conn:
            return conn.execute(sql).fetchall()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://mapapp@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres"):
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=mapapp dbname={database}",
                             autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql).fetchall()

    def wait_for(self, sql: str, database: str = "postgres") -> None:
        """Until ``sql`` answers true on the replica."""
        deadline = time.monotonic() + GUARD_S
        while True:
            try:
                if self.execute(sql, database)[0][0]:
                    return
            except Exception:  # noqa: BLE001  (still starting, or the database not replayed yet)
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the replica never answered true to {sql}")
            time.sleep(0.2)


class PgBouncer:
    """Debian's pgbouncer in transaction mode in front of the embedded cluster, with ONE server
    connection per database and user: every client's transactions take turns on it, so any
    session state (a prepared statement, a SET) would leak from one client to the next."""

    def __init__(self, primary_port: int, workdir: Path):
        binary = require("pgbouncer", "pgbouncer")
        self.port = free_port()
        owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
        (workdir / "userlist.txt").write_text('"mapapp" ""\n')
        ini = workdir / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"* = host=127.0.0.1 port={primary_port}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {workdir / 'userlist.txt'}\n"
            "pool_mode = transaction\ndefault_pool_size = 1\nmax_client_conn = 200\n"
            "ignore_startup_parameters = extra_float_digits\n"
        )
        for path in (workdir, ini, workdir / "userlist.txt"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        user = ["-u", owner.pw_name] if os.geteuid() == 0 else []  # it refuses to run as root
        self.process = subprocess.Popen([binary, *user, str(ini)], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        wait_for_port(self.port, self.process, "pgbouncer")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://mapapp@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        stop(self.process)
