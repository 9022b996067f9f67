"""Load generators: HTTP through ``wrk`` (C, keep-alive, one thread), SQL through psycopg threads.

``wrk`` takes a fraction of a core even at 16 connections, so on a small machine it steals
less from the servers under test than a Python client would. The bare-SQL runs use one
psycopg connection per simulated client (a pool of the same concurrency); the threads
spend their time waiting on PostgreSQL, with the GIL released.
"""
from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

# wrk's Lua hooks: count non-2xx answers and print the numbers as one JSON line at the end.
WRK_SCRIPT = """
local bad = 0
response = function(status, headers, body)
  if status >= 300 then bad = bad + 1 end
end
function setup(thread) thread:set("bad", 0) end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('JSON {"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, ' ..
    '"errors": %d, "bytes": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    e.connect + e.read + e.write + e.timeout + e.status, summary.bytes))
end
"""


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str:
    """Path of ``wrk``, installing Debian's package when it is missing (as embedded_pg does)."""
    found = shutil.which("wrk")
    if not found:
        from mapapp.devtools.embedded_pg import _apt_install

        _apt_install(["wrk"])
        found = shutil.which("wrk")
    return found


def http(url: str, concurrency: int, duration: float, var: Path, headers: dict | None = None,
         script: Path | None = None) -> Result:
    """GET ``url`` from ``concurrency`` keep-alive connections for ``duration`` seconds; ``script``
    replaces the reporting Lua script (it must include ``WRK_SCRIPT``), e.g. to ask several paths."""
    if script is None:
        script = var / "wrk-report.lua"
        script.write_text(WRK_SCRIPT)
    argv = [ensure_wrk(), "-t1", f"-c{concurrency}", f"-d{max(1, round(duration))}s", "--timeout", "60s",
            "-s", str(script)]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run(argv + [url], check=True, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("JSON "))
    data = json.loads(line[5:])
    return Result(data["requests"], data["seconds"], data["p50_ms"], data["p95_ms"], data["errors"])


def sql(libpq_url: str, statements: list, concurrency: int, duration: float) -> Result:
    """Run ``statements`` (the app's own SQL for one request, captured) in a loop from ``concurrency``
    connections; a list of such lists is run request after request, each client from its own start."""
    requests = statements if statements and isinstance(statements[0], list) else [statements]
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0]
    stop_at = [0.0]
    ready = threading.Barrier(concurrency + 1)

    def client(mine: list[float], at: int) -> None:
        with psycopg.connect(libpq_url) as conn:
            ready.wait()
            while time.perf_counter() < stop_at[0]:
                at = (at + 1) % len(requests)
                started = time.perf_counter()
                try:
                    with conn.transaction():  # as the app's session: one transaction per request
                        for statement, params in requests[at]:
                            cursor = conn.execute(statement, params, prepare=False)
                            if cursor.description is not None:
                                cursor.fetchall()
                except psycopg.Error:
                    errors[0] += 1
                    continue
                mine.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(latencies[i], i * 7)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + duration
    started = time.perf_counter()
    ready.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return summarise([x for mine in latencies for x in mine], elapsed, errors[0])


def summarise(latencies: list[float], seconds: float, errors: int = 0) -> Result:
    """Requests, elapsed seconds and p50/p95 in milliseconds of a list of latencies (seconds)."""
    if not latencies:
        return Result(0, seconds, 0.0, 0.0, errors)
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return Result(len(ordered), seconds, statistics.median(ordered) * 1e3, p95 * 1e3, errors)
