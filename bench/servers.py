"""Starting and stopping the servers under test (each a gunicorn with its own process group)."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    """One GET on a fresh connection: status, lower-cased headers, body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def start(name: str, argv: list[str], env: dict, port: int, ready_path: str, var: Path,
          timeout: float = 90) -> Server:
    """Start ``argv`` with ``env`` added, wait until ``ready_path`` answers 200, return the server."""
    log = var / f"{name}.log"
    out = log.open("wb")
    process = subprocess.Popen(argv, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
    server = Server(name, port, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {log}")
        try:
            if get(port, ready_path, timeout=10)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop(server)
    raise RuntimeError(f"{name} did not answer {ready_path} within {timeout:.0f} s; see {log}")


def stop(server: Server | None) -> None:
    """Stop the gunicorn master and its workers (its own process group), politely first."""
    if server is None or server.process.poll() is not None:
        return
    os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def empty_config(var: Path) -> Path:
    """An empty gunicorn config, so a ``gunicorn.conf.py`` in the working directory does not apply."""
    path = var / "gunicorn-bench.conf.py"
    path.write_text("")
    return path


def worker_args(workers: int, threads: int) -> list[str]:
    """The same process model for every contender: ``workers`` processes of ``threads`` threads."""
    model = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
    return ["-w", str(workers), *model, "--keep-alive", "5", "--timeout", "120"]


def start_mapapp(var: Path, url: str, workers: int, threads: int = 1) -> Server:
    """mapapp under gunicorn against the benchmark database, tiles off, rate limits off."""
    from bench.data import libpq_url

    port = free_port()
    env = {"DATABASE_URL": libpq_url(url), "SECRET_KEY": "bench", "MAPAPP_TILE_URL": "",
           "MAPAPP_RATELIMIT_ENABLED": "false"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    argv = [gunicorn, "-c", str(empty_config(var)), *worker_args(workers, threads),
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "mapapp:create_app()"]
    return start("mapapp", argv, env, port, "/api/categories", var)
